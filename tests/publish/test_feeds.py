"""Atom and RSS feeds: parse cleanly, keep their ids, answer conditional GETs (issue #8)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import atoma
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
@pytest.mark.parametrize("kind", ["atom", "rss"])
async def test_every_feed_passes_strict_validation(crawled_db: Path, kind: str) -> None:
    """atoma rejects a feed missing an element its specification requires, or a date that is
    not RFC 3339 (Atom) or RFC 822 (RSS)."""
    datasette = make_datasette(crawled_db)
    parse = atoma.parse_atom_bytes if kind == "atom" else atoma.parse_rss_bytes
    for path in FEEDS:
        body = (await datasette.client.get(path.format(f=kind))).content
        feed = parse(body)
        items = feed.entries if kind == "atom" else feed.items
        assert items, path
        if kind == "atom":
            assert all(e.id_ and e.updated and e.title.value for e in items)
            hrefs = [link.href for e in items for link in e.links] + [link.href for link in feed.links]
        else:
            assert all(i.guid and i.pub_date and i.title for i in items)
            hrefs = [i.link for i in items] + [feed.link]
        assert hrefs and all(href.startswith(("http://", "https://")) for href in hrefs), path


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


@pytest.mark.slow
async def test_opml_lists_feeds_that_exist_and_pages_advertise_them(crawled_db: Path) -> None:
    datasette = make_datasette(crawled_db)
    response = await datasette.client.get("/-/feeds.opml")
    urls = [el.get("xmlUrl") for el in ElementTree.fromstring(response.content).iter("outline")]
    assert len(urls) >= 20 and "http://localhost/-/feeds/launches.atom" in urls
    assert any("/-/feeds/company/Meta.atom" in url for url in urls)
    for url in urls:
        feed = await datasette.client.get(url.replace("http://localhost", ""))
        assert feed.status_code == 200 and not feedparser.parse(feed.content).bozo, url
    for page in ("/", f"/{crawled_db.stem}/launches", "/-/launch/1"):
        text = (await datasette.client.get(page)).text
        assert '<link rel="alternate" type="application/atom+xml"' in text, page
        assert 'href="/-/feeds/launches.rss"' in text, page


@pytest.mark.slow
def test_publish_out_writes_every_feed_as_files(crawled_db: Path, tmp_path: Path) -> None:
    from tests.conftest import run_launchwire

    out = tmp_path / "site"
    result = run_launchwire("publish", "--db", str(crawled_db), "--out", str(out),
                            "--base-url", "https://launches.example.org")
    assert result.returncode == 0, result.stderr
    atom = (out / "feeds" / "launches.atom").read_bytes()
    assert not feedparser.parse(atom).bozo and b"https://launches.example.org/-/launch/" in atom
    assert atoma.parse_rss_bytes((out / "feeds" / "company" / "Meta.rss").read_bytes()).items
    opml = ElementTree.fromstring((out / "feeds.opml").read_bytes())
    assert all(el.get("xmlUrl").startswith("https://launches.example.org/feeds/")
               for el in opml.iter("outline"))


async def test_an_entry_keeps_its_id_while_coverage_grows_and_its_updated_time_moves(tmp_path: Path) -> None:
    path = _story_db(tmp_path / "growing.db", "Kivo launches an AI companion", "Kivo")
    first = feedparser.parse((await make_datasette(path).client.get("/-/feeds/launches.atom")).content)
    db = connect(path)
    text = "Kivo launched Kivo App, which passed a million sign-ups in two days."
    article = store.insert_article(db, {"url": "https://news.example/b", "source": "Example & Co",
                                        "title": "Kivo passes a million sign-ups", "text": text,
                                        "published": "2026-01-07T08:00:00+00:00",
                                        "fetched_at": "2026-01-07T09:00:00+00:00"})
    fact = {"company": "Kivo", "product": "Kivo App", "product_label": "APP", "about": True,
            "modality": "launched", "date": "2026-01-05", "sentence": text, "start": 0, "end": len(text)}
    store.save_analysis(db, article, {"entities": [], "metrics": [], "launches": [fact],
                                      "launch_facts": [fact], "summary": text,
                                      "summary_sentences": [text], "kind": "launch"}, "v1")
    cluster_launches(db)
    again = feedparser.parse((await make_datasette(path).client.get("/-/feeds/launches.atom")).content)
    assert [e.id for e in again.entries] == [e.id for e in first.entries]
    assert again.entries[0].updated > first.entries[0].updated
    assert "Covered by 2 article(s)" in again.entries[0].summary
