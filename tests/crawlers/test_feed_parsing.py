"""Reading feeds (#12): which entries give a link, whose author an entry has, and the one
rule that tells a quiet feed from a failing one. Every feed here is written for the test."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawlers.feeds import FeedsAside, parse_feed
from tests.processes import running

BASE = "https://news.example/feed"


def _rss(items: str, title: str = "<title>News</title>") -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel>{title}{items}</channel></rss>'
            ).encode()


def _atom(entries: str, author: str = "") -> bytes:
    return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>'
            f"<id>tag:news.example,2026:feed</id>{author}{entries}</feed>").encode()


def _json(document: dict) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J",
                       **document}).encode()


def _links(body: bytes, content_type: str | None = None) -> list[str]:
    return [entry.link for entry in parse_feed(body, BASE, content_type).entries]


@pytest.mark.parametrize("item, link", [
    ("<link>https://news.example/a</link>", "https://news.example/a"),
    ("<link>/relative/a</link>", "https://news.example/relative/a"),
    ("<guid>https://news.example/g</guid>", "https://news.example/g"),
    ('<guid isPermaLink="true">https://news.example/g</guid>', "https://news.example/g"),
    ('<guid isPermaLink="false">https://news.example/g</guid>', None),
    ("<guid>abc-123</guid>", None),  # feedparser makes it https://news.example/abc-123
    ("<guid>/relative/guid</guid>", None),
    ("<guid>tag:news.example,2026:1</guid>", None),
    ('<guid>https://news.example/g</guid><link>https://news.example/l</link>',
     "https://news.example/l"),
])
def test_an_rss_item_gives_its_link_or_a_permalink_guid(item: str, link: str | None) -> None:
    assert _links(_rss(f"<item><title>t</title>{item}</item>")) == ([link] if link else [])


@pytest.mark.parametrize("entry, link", [
    ('<id>tag:news.example,2026:1</id><link href="https://news.example/a"/>',
     "https://news.example/a"),
    ("<id>tag:news.example,2026:1</id>", None),
    ("<id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>", None),
    ("<id>https://news.example/only-an-id</id>", None),  # a name, even when it looks like a URL
    ("<id>relative-id</id>", None),
    ('<id>x</id><link rel="enclosure" href="https://news.example/a.mp3"/>', None),
    ('<id>x</id><link rel="alternate" type="application/pdf" href="/r.pdf"/>',
     "https://news.example/r.pdf"),
])
def test_an_atom_id_is_never_a_link(entry: str, link: str | None) -> None:
    assert _links(_atom(f"<entry><title>t</title>{entry}</entry>")) == ([link] if link else [])


def test_atom_entries_inherit_their_sources_or_feeds_author() -> None:
    body = _atom('<entry><id>1</id><link href="/1"/></entry>'
                 '<entry><id>2</id><link href="/2"/><author><name>Own</name></author></entry>'
                 '<entry><id>3</id><link href="/3"/><source><author><name>Src</name></author>'
                 "</source></entry>", author="<author><name>Desk</name></author>")
    assert [entry.author for entry in parse_feed(body, BASE, None).entries] == [
        "Desk", "Own", "Src"]


def test_rss_items_do_not_inherit_the_channels_editor() -> None:
    body = _rss("<managingEditor>ed@news.example (Ed)</managingEditor>"
                "<item><link>https://news.example/a</link></item>")
    assert parse_feed(body, BASE, None).entries[0].author is None


@pytest.mark.parametrize("document, authors", [
    ({"authors": [{"name": "Desk"}], "items": [{"url": "/1"}, {"url": "/2", "authors": [
        {"name": "Ann"}]}, {"url": "/3", "authors": []}]}, ["Desk", "Ann", "Desk"]),
    ({"author": {"name": "Old Desk"}, "version": "https://jsonfeed.org/version/1",
      "items": [{"url": "/1"}, {"url": "/2", "author": {"name": "Bo"}}]}, ["Old Desk", "Bo"]),
    ({"authors": [{"url": "https://x.example/"}, {"name": "Named"}], "items": [{"url": "/1"}]},
     ["Named"]),
    ({"items": [{"url": "/1", "authors": "Ann"}]}, [None]),
])
def test_json_feed_items_inherit_the_feeds_authors(document: dict, authors: list) -> None:
    entries = parse_feed(_json(document), BASE, "application/feed+json").entries
    assert [entry.author for entry in entries] == authors
    assert entries[0].link == "https://news.example/1"


@pytest.mark.parametrize("document", [
    {"items": {"url": "/1"}}, {"items": 5}, {"items": [{"url": "/1", "title": {"x": 1}}]},
    {"items": [{"url": 7}, {"url": "/1", "date_published": "99999-01-01"}]},
])
def test_odd_json_feeds_do_not_crash(document: dict) -> None:
    parsed = parse_feed(_json(document), BASE, "application/json")
    assert parsed.problem is None
    assert all(isinstance(entry.title, (str, type(None))) for entry in parsed.entries)


@pytest.mark.parametrize("body, content_type, outcome", [
    # Read as a feed: never failing, whatever it lacks.
    (_rss(""), None, ("ok", None)),
    (b'<rss version="2.0"><channel></channel></rss>', None, ("ok", None)),
    (_atom(""), "text/html", ("ok", None)),  # a feed mislabelled as HTML is still a feed
    (b'<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd">'
     + _rss("").split(b"?>", 1)[1], None, ("ok", None)),  # behind an XHTML doctype
    (_rss("").replace(b"</channel></rss>", b""), None, ("ok", "malformed XML, 0 entries")),
    (_rss("<item><title>a & b</title><link>/a</link></item>"), None,
     ("ok", "malformed XML, 1 entries recovered")),
    (_rss("<item><title>no link</title></item>"), None, ("ok", "1 entries without a link")),
    (_json({"items": []}), "application/feed+json", ("ok", None)),
    # No feed: failing.
    (b"", None, ("failing", "empty body")),
    (b"<!DOCTYPE html><html><body>Welcome</body></html>", "text/html",
     ("failing", "HTML page, not a feed")),
    (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', None,
     ("failing", "HTML page, not a feed")),
    (b"<?xml version='1.0'?><error>Rate limited</error>", None, ("failing", "XML but not a feed")),
    (b"Service unavailable, try later", "text/plain", ("failing", "malformed XML")),
    (b'<rss version="2.0"><channel><title>T &#xD800;</title>', None,
     ("failing", "unreadable feed")),
    (b'{"not": "a feed"}', "application/json", ("failing", "JSON but not a JSON Feed")),
    (b"[" * 100_000, "application/json", ("failing", "malformed JSON feed")),
])
def test_one_rule_tells_a_quiet_feed_from_a_failing_one(body: bytes, content_type: str | None,
                                                        outcome: tuple) -> None:
    parsed = parse_feed(body, BASE, content_type)
    health, words = outcome
    text = parsed.note if health == "ok" else parsed.problem
    assert (parsed.problem is None) is (health == "ok")
    assert text == words if words is None else text.startswith(words), (parsed.problem, parsed.note)


def test_a_body_naming_a_local_file_is_not_read(tmp_path: Path) -> None:
    """feedparser opens bytes that name a file: a feed answering "/dev/zero" would hang the
    crawl, one answering a path would make the crawler read that file as its feed."""
    local = tmp_path / "local.xml"
    local.write_bytes(_rss("<item><link>https://secret.example/</link></item>"))
    parsed = parse_feed(str(local).encode(), BASE, None)
    assert parsed.entries == [] and parsed.problem.startswith("malformed XML")
    assert parse_feed(b"/dev/zero", BASE, None).problem.startswith("malformed XML")


@pytest.mark.parametrize("body", [
    _atom('<entry><id>1</id><link href="/a"/><updated>0000-01-01T00:00:00Z</updated></entry>'),
    _atom('<entry><id>1</id><link href="/a"/><updated>9999-12-31T23:59:59-10:00</updated>'
          "</entry>"),
    _json({"items": [{"url": "/a", "date_published": "9999-12-31T23:59:59-10:00"}]}),
    _json({"items": [{"url": "/a", "date_published": "0001-01-01T00:00:00+10:00"}]}),
])
def test_an_impossible_date_is_no_date(body: bytes) -> None:
    """Year 0 and year 10000 used to fail the whole feed (#12)."""
    entries = parse_feed(body, BASE, None).entries
    assert [(entry.link, entry.published) for entry in entries] == [
        ("https://news.example/a", None)]


def test_lone_surrogates_become_storable_text() -> None:
    body = _json({"items": [{"url": "/1", "title": "a\ud800b", "authors": [{"name": "\udfff"}]}]})
    entry = parse_feed(body, BASE, None).entries[0]
    (entry.title + entry.author).encode("utf-8")


async def test_a_feed_parsed_aside_reads_as_here_and_a_dead_parser_leaves_it_here() -> None:
    bodies = [
        _rss('<item><title>A</title><link>/a</link><pubDate>Mon, 30 Nov 2026 09:00:00 GMT'
             '</pubDate></item><item><title>B</title></item>'),
        _atom('<entry><title>C</title><link href="https://news.example/c"/></entry>'),
        b"<html><body>Checking your browser</body></html>"]
    aside = FeedsAside()
    try:
        for body in bodies:
            assert await aside.parse(body, BASE, None) == parse_feed(body, BASE, None)
        parsers = multiprocessing.active_children()
        assert len(parsers) == 1  # one process, started by the first feed
        os.kill(parsers[0].pid, signal.SIGKILL)
        for body in bodies:
            assert await aside.parse(body, BASE, None) == parse_feed(body, BASE, None)
    finally:
        aside.close()
    assert multiprocessing.active_children() == []


PARSE_THEN_WAIT = """
import asyncio, multiprocessing, sys, time
from crawlers.feeds import FeedsAside

async def main():
    aside = FeedsAside()
    await aside.parse(sys.argv[1].encode(), "https://news.example/feed", None)
    print(multiprocessing.active_children()[0].pid, flush=True)
    time.sleep(60)

asyncio.run(main())
"""


def test_a_feed_parser_ends_with_a_killed_crawl() -> None:
    crawl = subprocess.Popen([sys.executable, "-c", PARSE_THEN_WAIT, _rss("").decode()],
                             stdout=subprocess.PIPE, text=True)
    try:
        parser = int(crawl.stdout.readline())
        assert running(parser)
    finally:
        crawl.kill()
        crawl.wait()
    deadline = time.monotonic() + 10
    while running(parser) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(parser)
