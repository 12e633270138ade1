"""Extraction beside a crawl (#17): a process of its own extracts pages as they are stored,
with the same articles as extraction after the crawl, and loses nothing when it dies."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path
from typing import Callable

import pytest
import sqlite_utils

import crawlers.extract as extract
from crawlers.extract import CpuShare, extract_pages, extraction_alongside
from db import connect, crawl_state, store
from launchwire.sample_site import SampleSite
from tests.processes import children, running

BASE = "http://news.test"


def _sample_pages() -> list[dict]:
    """The sample site's article pages as a crawl would store them."""
    site = SampleSite(BASE)
    articles = site.url_to_key()
    source_of = {source.homepage: source.name for source in site.sources()}
    pages = []
    for url in sorted(articles):
        homepage = next(home for home in source_of if url.startswith(home))
        page = site.pages[url]
        pages.append({"url": url, "entry_url": url, "source": source_of[homepage],
                      "status": 200, "body": page.body, "content_type": page.content_type})
    return pages


def _database(path: Path, pages: list[dict]) -> sqlite_utils.Database:
    db = connect(path)
    site = SampleSite(BASE)
    store.upsert_sources(db, [source.to_dict() for source in site.sources()])
    for page in pages:
        crawl_state.add_entries(db, page["source"], None, [{"url": page["url"]}])
    return db


def _unextracted(db: sqlite_utils.Database) -> int:
    return db.execute("select count(*) from pages where article_id is null "
                      "and extract_error is null").fetchone()[0]


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _articles(db: sqlite_utils.Database) -> list[tuple]:
    return [tuple(row) for row in db.execute(
        "select url, title, text, author, published, lang from articles order by url")]


def _extractor() -> multiprocessing.Process:
    [process] = multiprocessing.active_children()
    return process


def test_pages_are_extracted_while_the_crawl_stores_more(tmp_path: Path) -> None:
    pages = _sample_pages()
    first, rest = pages[:len(pages) // 2], pages[len(pages) // 2:]
    db = _database(tmp_path / "alongside.db", pages)
    with extraction_alongside(tmp_path / "alongside.db", 30, workers=2) as report:
        crawl_state.save_pages(db, first)
        # Extracted before the block ends, while "the crawl" is still going.
        assert _wait_for(lambda: _unextracted(db) == 0)
        crawl_state.save_pages(db, rest)
    assert _unextracted(db) == 0
    assert report.stored == len(pages) == db.table("articles").count
    assert extract_pages(db).pages == 0

    # The same articles as extraction after the crawl.
    after = _database(tmp_path / "after.db", pages)
    crawl_state.save_pages(after, pages)
    assert extract_pages(after, workers=2).stored == len(pages)
    assert _articles(db) == _articles(after)


def test_extraction_killed_mid_crawl_loses_no_page(tmp_path: Path) -> None:
    pages = _sample_pages()
    db = _database(tmp_path / "killed.db", pages)
    with extraction_alongside(tmp_path / "killed.db", 30, workers=2) as report:
        crawl_state.save_pages(db, pages)
        assert _wait_for(lambda: db.table("articles").count > 0)
        _extractor().terminate()
        _extractor().join()
    # Its counts died with it; what it stored is stored, the rest is still to extract.
    assert report.pages == 0
    done = db.table("articles").count
    assert _unextracted(db) == len(pages) - done
    assert extract_pages(db, workers=2).stored == len(pages) - done
    assert db.table("articles").count == len(pages) and _unextracted(db) == 0


def test_extraction_waits_while_the_crawl_is_cpu_bound(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Any use of this process's CPU counts as busy; the extraction process forks with it.
    monkeypatch.setattr(extract, "BUSY_CRAWL_SHARE", 0.05)
    pages = _sample_pages()
    db = _database(tmp_path / "busy.db", pages)
    crawl_state.save_pages(db, pages)
    with extraction_alongside(tmp_path / "busy.db", 30, workers=1) as report:
        busy_until = time.monotonic() + 1.5
        while time.monotonic() < busy_until:
            pass
        assert db.table("articles").count == 0
        # Idle, the crawl leaves the cores to extraction.
        assert _wait_for(lambda: _unextracted(db) == 0)
    assert report.stored == len(pages)


def test_cpu_share_tells_a_busy_process_from_an_idle_one() -> None:
    share = CpuShare(os.getpid())
    assert share.over_next_window() < 0.1
    busy_until = time.monotonic() + CpuShare.WINDOW_S * 3
    # A thread keeps this process busy while the measuring one sleeps out its window.
    spinner = threading.Thread(target=lambda: _spin_until(busy_until))
    spinner.start()
    try:
        assert share.over_next_window() > 0.3
    finally:
        spinner.join()
    assert CpuShare(2 ** 22 + 7).over_next_window() == 0.0  # no such process: never waits


def _spin_until(deadline: float) -> None:
    while time.monotonic() < deadline:
        pass


def test_extraction_workers_end_with_a_killed_extraction_process(tmp_path: Path) -> None:
    pages = _sample_pages()
    db = _database(tmp_path / "orphans.db", pages)
    with extraction_alongside(tmp_path / "orphans.db", 30, workers=2):
        crawl_state.save_pages(db, pages)
        assert _wait_for(lambda: len(children(_extractor().pid)) == 2)
        workers = children(_extractor().pid)
        # SIGKILL: no handler runs, so nothing stops the workers but their own watch.
        os.kill(_extractor().pid, signal.SIGKILL)
        _extractor().join()
        assert _wait_for(lambda: not any(running(pid) for pid in workers), seconds=10)

