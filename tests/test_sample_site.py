"""The bundled sample site is what the issue promised: outlets, feeds, launches, hostile bits."""

from __future__ import annotations

import re
import urllib.request
from collections import defaultdict

import feedparser
import pytest

from launchwire.sample_site import SampleServer, load_articles, load_gold


def test_at_least_40_articles_across_4_outlets() -> None:
    articles = load_articles()
    assert len(articles) >= 40
    assert len({article.outlet for article in articles}) >= 4


def test_gold_names_every_article_and_only_those() -> None:
    gold = load_gold()
    assert set(gold["articles"]) == {article.key for article in load_articles()}
    for key, entry in gold["articles"].items():
        assert entry["launch"] is None or entry["launch"] in gold["launches"], key


def test_six_launches_covered_by_several_outlets_on_different_days() -> None:
    gold = load_gold()
    by_launch = defaultdict(list)
    articles = {article.key: article for article in load_articles()}
    for key, entry in gold["articles"].items():
        if entry["launch"]:
            by_launch[entry["launch"]].append(articles[key])
    multi = {launch: group for launch, group in by_launch.items()
             if 2 <= len({a.outlet for a in group}) <= 4}
    assert len(multi) >= 6
    for group in multi.values():
        assert len({a.published.date() for a in group}) == len(group)
        assert len({a.meta["title"] for a in group}) == len(group)


def test_non_launch_kinds_are_all_there() -> None:
    kinds = {entry["kind"] for entry in load_gold()["articles"].values() if not entry["launch"]}
    assert {"funding", "earnings", "acquisition", "shutdown", "feature", "rumour",
            "commentary"} <= kinds


@pytest.mark.parametrize("outlet", ["techpulse", "byteledger", "asiatechwire", "startupsignal"])
def test_each_outlet_feed_parses_cleanly(sample_server: SampleServer, outlet: str) -> None:
    source = next(s for s in sample_server.site.sources() if s.name == outlet)
    with urllib.request.urlopen(source.feeds[0]) as response:
        parsed = feedparser.parse(response.read())
    assert not parsed.bozo
    assert len(parsed.entries) == sum(1 for a in load_articles() if a.outlet == outlet)
    assert all(entry.link.startswith(sample_server.base_url) for entry in parsed.entries)


def test_news_sitemap_lists_its_outlet(sample_server: SampleServer) -> None:
    source = next(s for s in sample_server.site.sources() if s.sitemaps)
    with urllib.request.urlopen(source.sitemaps[0]) as response:
        body = response.read().decode()
    assert "<news:publication_date>" in body and body.count("<url>") >= 10


def test_gbk_page_declares_its_charset_only_in_a_meta_tag(sample_server: SampleServer) -> None:
    url = next(u for u, key in sample_server.site.url_to_key().items() if "tencent" in key)
    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"] == "text/html"
        body = response.read()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert b'charset=gbk' in body and "腾讯" in body.decode("gbk")


def test_hostile_bits(sample_server: SampleServer) -> None:
    pages = {key: sample_server.site.pages[url].body
             for url, key in sample_server.site.url_to_key().items()}
    # The title's script tag is escaped text in the page, never markup.
    assert b"&lt;script&gt;" in pages["startupsignal/brightloop-tandem"]
    assert b"<script>alert" not in pages["startupsignal/brightloop-tandem"]
    # A spam anchor sits in the middle of a sentence of a body paragraph.
    assert re.search(rb'<p>[^<]+ <a href="https://cheap-pills[^"]+">[^<]+</a> [^<]+</p>',
                     pages["techpulse/spotify-q3-results"])


def test_conditional_get_on_feeds(sample_server: SampleServer) -> None:
    feed = sample_server.site.sources()[0].feeds[0]
    with urllib.request.urlopen(feed) as response:
        etag = response.headers["ETag"]
    request = urllib.request.Request(feed, headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(request)
    assert not_modified.value.code == 304
