"""Turn stored raw pages into articles: decode, extract, canonicalise, de-duplicate.

Runs in worker processes beside the fetching (`extraction_alongside`) and after it for what
is left: extraction is CPU work that would otherwise hold up Scrapy's reactor. The same code
serves `launchwire reextract` and `launchwire extract`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import time
from concurrent.futures import Executor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, fields
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import sqlite_utils

from crawlers.encoding import decode_html
from crawlers.items import Article
from crawlers.language import load_classifier, word_count
from crawlers.parsers.generic import Extracted, extract_article
from crawlers.pools import forked_pool
from crawlers.urls import RefusedLink, canonical_url, fetch_url, same_site
from db import connect, write_transaction
from db import crawl_state as state

# Counted by `word_count`: a Chinese article is not a handful of space-separated words.
MIN_WORDS = 40
# Below this many pages a worker pool costs more than it saves.
POOL_THRESHOLD = 24
# Articles stored per transaction: a commit per page cost a third of the storing (1.06 ms
# a page against 0.73). A failed transaction leaves its pages to be extracted next time.
STORE_CHUNK = 8
# Extraction beside a crawl runs this much nicer than the fetching, so that on a busy
# machine the crawl's own processes come first (nice alone did not keep a CPU-bound loopback
# crawl from slowing down here; BUSY_CRAWL_SHARE does that).
ALONGSIDE_NICENESS = 10
# How long extraction beside a crawl waits for more pages once it has caught up.
ALONGSIDE_POLL_S = 0.25
# Pages extracted beside a crawl between two looks at how busy the crawl is.
ALONGSIDE_BATCH = 48
# Pages read per batch otherwise: the workers wait at the end of each batch while its
# last pages are stored and the next are read (2,016 pages of a loopback crawl on two
# workers took a median 10% longer in batches of 48 than of 200, six alternated runs).
EXTRACT_BATCH = 200
# A crawl using more of a core than this is CPU-bound (a loopback or LAN crawl, not a real
# one, which uses under 1%): extraction then waits, as on 2 cores it slowed fetching 2.6x.
BUSY_CRAWL_SHARE = 0.5


@dataclass
class ExtractReport:
    stored: int = 0
    duplicates: int = 0
    updated: int = 0
    failed: int = 0

    def count(self, outcome: str) -> None:
        """Count one page by what db.crawl_state.store_extracted did with it."""
        field = {"duplicate": "duplicates"}.get(outcome, outcome)
        setattr(self, field, getattr(self, field) + 1)

    def add(self, other: "ExtractReport") -> None:
        for counter in fields(self):
            setattr(self, counter.name,
                    getattr(self, counter.name) + getattr(other, counter.name))

    @property
    def pages(self) -> int:
        return self.stored + self.duplicates + self.updated + self.failed


def read_page(body: bytes, url: str, content_type: str | None = None) -> tuple[Extracted | None, str]:
    """Decode and extract one page exactly as the crawler does; RETURNS (article, encoding)."""
    html, encoding = decode_html(body, content_type)
    return extract_article(html, url), encoding


def article_problem(article: Article) -> str | None:
    """Why an extracted article is not worth storing, or None when it is."""
    if not article.title.strip():
        return "no title"
    if word_count(article.text) < MIN_WORDS:
        return f"body under {MIN_WORDS} words"
    return None


def _story_url(claimed: str | None, page_url: str) -> str:
    """A page's canonical link, trusted on its own site only: AMP and tracking copies fold
    into one story, but a hostile page cannot claim another site's URL. A canonical link
    that is no usable URL (`http://[::1/`, #12) is ignored rather than failing the page."""
    if not claimed:
        return page_url
    try:
        absolute = fetch_url(claimed, page_url)
    except RefusedLink:
        return page_url
    return canonical_url(absolute) if same_site(absolute, page_url) else page_url


def article_from_page(page: dict[str, Any]) -> dict[str, Any]:
    """A stored page row -> {"article": {...}} or {"problem": "..."}; runs in a worker."""
    body = state.page_body(page)
    extracted, _ = read_page(body, page["url"], page["content_type"])
    if extracted is None:
        return {"problem": "no article body found"}
    hints = json.loads(page["hints"] or "{}")
    article = Article(url=_story_url(extracted.url, page["url"]), source=page["source"],
                      feed_url=page["feed_url"],
                      title=extracted.title or hints.get("title") or "", text=extracted.text,
                      author=extracted.author or hints.get("author"),
                      published=hints.get("published") or extracted.published,
                      lang=extracted.lang, fetched_at=page["fetched_at"])
    problem = article_problem(article)
    return {"problem": problem} if problem else {"article": asdict(article)}


def extract_pages(db: sqlite_utils.Database, everything: bool = False,
                  workers: int | None = None, on_page: Callable[[], None] | None = None,
                  pool: Executor | None = None,
                  keep_going: Callable[[], bool] | None = None,
                  batch_size: int = EXTRACT_BATCH) -> ExtractReport:
    """Extract every stored page that has no article yet (or all pages, to re-extract).

    pool (Executor): worker processes to use, else a pool of `workers` is started when the
        pages are many enough to pay for it.
    keep_going (callable): asked before each batch of `batch_size` pages; False stops here.
    RETURNS (ExtractReport): counts of stored, duplicate, updated and failed pages.
    """
    workers = workers or min(os.cpu_count() or 1, 4)
    report = ExtractReport()
    with ExitStack() as stack:
        for batch in state.pages_to_extract(db, everything=everything, batch=batch_size):
            if keep_going is not None and not keep_going():
                break
            if pool is None and workers > 1 and len(batch) >= POOL_THRESHOLD:
                load_classifier()
                pool = stack.enter_context(forked_pool(workers))
            results: Iterable[dict[str, Any]] = (
                pool.map(article_from_page, batch, chunksize=8) if pool is not None
                else map(article_from_page, batch))
            pages_and_results = zip(batch, results)
            while chunk := list(islice(pages_and_results, STORE_CHUNK)):
                with write_transaction(db):
                    outcomes = [state.store_extracted(db, page, result, everything)
                                for page, result in chunk]
                for outcome in outcomes:
                    report.count(outcome)
                    if on_page:
                        on_page()
    return report


@contextmanager
def extraction_alongside(db_path: str | Path, busy_timeout: float,
                         workers: int) -> Iterator[ExtractReport]:
    """Extract the pages a crawl stores while it goes on, in a process of its own.

    Yields a report that is filled in when the block ends: the extraction process then
    finishes the pages already stored and stops. It stores as `extract_pages` does, a few
    pages per transaction; if it fails or is killed, the pages it did not finish stay
    unextracted for the caller's own `extract_pages` to take (#17). While the caller is
    CPU-bound (a crawl of a loopback or LAN site) it waits instead of competing for the
    cores; a crawl of real sites mostly waits on the network, and extraction keeps up.
    """
    report = ExtractReport()
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    receiving, sending = context.Pipe(duplex=False)
    extractor = context.Process(target=_extract_until_stopped,
                                args=(str(db_path), busy_timeout, workers, stop, sending))
    extractor.start()
    sending.close()
    try:
        yield report
    except BaseException:
        # The caller's own error goes first; what was not extracted is there for the next run.
        extractor.terminate()
        raise
    finally:
        stop.set()
        extractor.join()
        # Its counts were sent before it ended, or never: not waited for, as a process it
        # left behind would hold the pipe open.
        if receiving.poll():
            try:
                report.add(ExtractReport(**receiving.recv()))
            except EOFError:
                pass  # it died before it could send its counts; its articles are stored
        receiving.close()


def _extract_until_stopped(db_path: str, busy_timeout: float, workers: int, stop: Any,
                           results: Connection) -> None:
    """Body of the extraction process: extract what is stored, wait for more, and once told
    to stop, finish what is stored and send the counts back."""
    os.nice(ALONGSIDE_NICENESS)
    # Terminated, it rolls back the transaction it is in and stops its own workers.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        _extract_beside(db_path, busy_timeout, workers, stop, results)
    except (sqlite3.Error, OSError):
        # A database it cannot write (a full disk, a lock held too long): the crawl's own
        # pass over what is left meets the same error and reports it in one line (#15).
        results.close()


def _extract_beside(db_path: str, busy_timeout: float, workers: int, stop: Any,
                    results: Connection) -> None:
    parent = os.getppid()
    crawl = CpuShare(parent)
    db = connect(db_path, create=False, busy_timeout=busy_timeout)
    report = ExtractReport()

    def keep_going() -> bool:
        return stop.is_set() or crawl.over_next_window() < BUSY_CRAWL_SHARE

    # Nothing is loaded or started while the crawl is busy: on two cores even starting the
    # workers slowed a loopback crawl.
    if _first_pages_stored(db, stop, parent) and _until_crawl_leaves_a_core(keep_going, parent):
        load_classifier()
        with ExitStack() as stack:
            pool = (stack.enter_context(forked_pool(workers))
                    if workers > 1 else None)
            while os.getppid() == parent:
                stopping = stop.is_set()
                # Once the crawl has ended there is no one to look at between batches.
                done = extract_pages(db, workers=workers, pool=pool, keep_going=keep_going,
                                     batch_size=EXTRACT_BATCH if stopping else ALONGSIDE_BATCH)
                report.add(done)
                if stopping and not done.pages:
                    break
                if not done.pages:
                    stop.wait(ALONGSIDE_POLL_S)
    try:
        results.send(asdict(report))
    except BrokenPipeError:
        pass  # the crawl is gone (killed): its next run counts what is stored
    results.close()


def _first_pages_stored(db: sqlite_utils.Database, stop: Any, parent: int) -> bool:
    """Wait until a page waits for extraction; False if the crawl ends (or is gone) first.
    Most scheduled crawls store no new page: they load no classifier and start no workers."""
    while os.getppid() == parent:
        stopping = stop.is_set()
        if next(state.pages_to_extract(db, batch=1), None) is not None:
            return True
        if stopping:
            return False
        stop.wait(ALONGSIDE_POLL_S)
    return False


def _until_crawl_leaves_a_core(keep_going: Callable[[], bool], parent: int) -> bool:
    """Wait while the crawl is CPU-bound (each look takes a window); False if it is gone."""
    while os.getppid() == parent:
        if keep_going():
            return True
    return False


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # the shell's code for a process ended by a signal


class CpuShare:
    """How much of one core a process uses, from Linux's /proc; 0.0 where there is no /proc
    (extraction then never waits)."""

    # CPU time is counted in ticks (10 ms): shorter windows would read as 0 or 100%.
    WINDOW_S = 0.2

    def __init__(self, pid: int) -> None:
        self.stat = Path(f"/proc/{pid}/stat")

    def _cpu_seconds(self) -> float | None:
        try:
            # The fields after the command name, which may hold spaces and parentheses.
            after_name = self.stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(after_name[11]) + int(after_name[12])) / os.sysconf("SC_CLK_TCK")

    def over_next_window(self) -> float:
        """The share of a core used over the next WINDOW_S, while the caller sleeps. Measured
        while extraction ran, a crawl it slowed would look idle and let it go on: on two
        cores that fed back until extraction held up fetching by a third (#17)."""
        started, before = time.monotonic(), self._cpu_seconds()
        time.sleep(self.WINDOW_S)
        after = self._cpu_seconds()
        if before is None or after is None:
            return 0.0
        return (after - before) / (time.monotonic() - started)
