"""Atom and RSS feeds: parse cleanly, keep their ids, answer conditional GETs (issue #8)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
import sqlite_utils

from db import connect, store
from db.launches import cluster_launches
from publish.site import make_datasette
from tests.conftest import free_port

FEEDS = ["/-/feeds/launches.{f}", "/-/feeds/company/Meta.{f}", "/-/feeds/product/threads.{f}",
         "/-/feeds/label/APP.{f}", "/-/feeds/modality/launched.{f}", "/-/feeds/launches.{f}?q=threads",
         "/-/feeds/source/techpulse.{f}"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["atom", "rss"])
async def test_every_feed_parses_without_a_bozo_flag(crawled_db: Path, kind: str) -> None:
    datasette = make_datasette(crawled_db)
    for path in FEEDS:
        response = await datasette.client.get(path.format(f=kind))
        assert response.status_code == 200, path
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        assert all(entry.get("id") and entry.get("title") and entry.get("link") for entry in parsed.entries)


@pytest.mark.slow
async def test_a_launch_keeps_its_entry_id_and_links_its_page_and_articles(crawled_db: Path) -> None:
    response = await make_datasette(crawled_db).client.get("/-/feeds/product/Threads.atom")
    entry = feedparser.parse(response.content).entries[0]
    assert entry.id.endswith(":launch:threads-2023-07")
    assert entry.link.endswith("/-/launch/" + str(next(sqlite_utils.Database(crawled_db).query(
        "select id from launches where story_key = 'threads-2023-07'"))["id"]))
    assert "techpulse" in entry.content[0].value and "Stage: launched" in entry.summary
    assert {tag.term for tag in entry.tags} == {"Meta", "Threads"}


def _story_db(path: Path, title: str, name: str) -> Path:
    db = connect(path)
    store.upsert_source(db, {"name": "Example & Co", "homepage": "https://news.example/"})
    text = f"{name} launched {name} App today."
    article = store.insert_article(db, {"url": "https://news.example/a?x=1&y=2", "source": "Example & Co",
                                        "title": title, "text": text,
                                        "published": "2026-01-05T09:00:00+00:00",
                                        "fetched_at": "2026-01-05T10:00:00+00:00"})
    fact = {"company": name, "product": f"{name} App", "product_label": "APP", "about": True,
            "modality": "launched", "date": "2026-01-05", "sentence": text, "start": 0, "end": len(text)}
    store.save_analysis(db, article, {"entities": [], "metrics": [], "launches": [fact],
                                      "launch_facts": [fact], "summary": title,
                                      "summary_sentences": [title], "kind": "launch"}, "v1")
    cluster_launches(db)
    store.prepare_for_serving(db)
    return path


@pytest.mark.parametrize("kind", ["atom", "rss"])
async def test_hostile_names_and_titles_still_give_valid_xml(tmp_path: Path, kind: str) -> None:
    title = "AT&T <b>launches</b> 🚀 \x07bell \u202eשלום\u202c “quotes”"
    path = _story_db(tmp_path / "hostile.db", title, "R&D <Labs> \x01")
    response = await make_datasette(path).client.get(f"/-/feeds/launches.{kind}")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    # A strict XML parser reads the title back exactly, less the control character XML forbids.
    tree = ElementTree.fromstring(response.content)
    titles = [el.text for el in tree.iter() if el.tag.endswith("title") and el.text and "AT&T" in el.text]
    assert titles == [title.replace("\x07", "")]


@pytest.mark.slow
def test_conditional_get_over_real_http(crawled_db: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "launchwire", "serve", "--db", str(crawled_db),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/-/feeds/launches.atom"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                first = urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(server.communicate(timeout=20)[1].decode())
                time.sleep(0.3)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert etag and modified and first.headers["Content-Type"].startswith("application/atom+xml")
        for header, value in (("If-None-Match", etag), ("If-Modified-Since", modified)):
            with pytest.raises(urllib.error.HTTPError) as again:
                urllib.request.urlopen(urllib.request.Request(url, headers={header: value}), timeout=5)
            assert again.value.code == 304
        stale = urllib.request.urlopen(urllib.request.Request(
            url, headers={"If-None-Match": '"something-else"'}), timeout=5)
        assert stale.status == 200 and stale.read()
    finally:
        server.terminate()
        server.wait(timeout=20)
