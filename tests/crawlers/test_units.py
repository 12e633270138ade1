"""Pure pieces of the crawler: URLs, encodings, languages, feeds, schedules, Retry-After,
sitemaps."""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from crawlers.encoding import CorruptGzip, decode_html, gunzipped
from crawlers.feeds import parse_feed, soft_block_reason
from crawlers.language import text_language, word_count
from crawlers.middlewares.retry_after import retry_after_seconds
from crawlers.schedule import MAX_INTERVAL, MIN_INTERVAL, after_failure, publishing_interval
from crawlers.spiders.news_sitemap import read_sitemap
from crawlers.urls import RefusedLink, canonical_url, fetch_url, refused_scheme, same_site

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("url, canonical", [
    ("https://Example.com/a?utm_source=rss&utm_medium=feed&id=7#comments", "https://example.com/a?id=7"),
    ("https://example.com:443/story?fbclid=abc&gclid=x", "https://example.com/story"),
    ("http://example.com:8080/x?b=2&a=1", "http://example.com:8080/x?a=1&b=2"),
    ("https://example.com", "https://example.com/"),
    # IPv6 hosts keep their brackets (#12); the key's query is normalised, never the fetch.
    ("http://[::1]:8334/x", "http://[::1]:8334/x"),
    ("HTTP://[2001:DB8::1]:80/a?b=2&a=1&c#top", "http://[2001:db8::1]/a?a=1&b=2&c="),
    ("https://example.com/p?item", "https://example.com/p?item="),
])
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("url", ["http://[::1/", "http://a.example:99999/", "http://a.example:x/"])
def test_canonical_url_refuses_what_it_cannot_read(url: str) -> None:
    with pytest.raises(RefusedLink, match="malformed URL"):
        canonical_url(url)


@pytest.mark.parametrize("link, fetched", [
    ("https://example.com/a?b=2&a=1&c", "https://example.com/a?b=2&a=1&c"),
    ("  /p?item \n", "https://feed.example/p?item"),
    ("http://[::1]:8334/x", "http://[::1]:8334/x"),
    ("https://exa\tmple.com/a\n/b", "https://example.com/a/b"),  # what a browser drops
    ("https://bücher.example/", "https://bücher.example/"),
])
def test_fetch_url_is_the_link_as_written(link: str, fetched: str) -> None:
    assert fetch_url(link, "https://feed.example/rss") == fetched


@pytest.mark.parametrize("link, reason", [
    ("http://[::1/", "malformed URL: Invalid IPv6 URL"),
    ("http://[not-v6]/", "malformed URL"),
    ("http://a.example:99999/", "malformed URL: Port out of range"),
    ("http://a.example:http/", "malformed URL: Port could not be cast"),
    ("http://a.example:0/", "invalid port: 0"),
    ("http://a.example/" + "x" * 3000, "too long: 3017 characters"),
    ("http://a.example/a\x00b", "control character"),
    ("http://a.example/\x7f", "control character"),
    ("http://a.example/\ud800", "control character or lone surrogate"),
    ("http://exa mple.com/", "invalid host"), ("http://a..b/", "invalid host"),
    ("http://-a.example/", "invalid host"), ("http://" + "a" * 64 + ".example/", "invalid host"),
    ("http:///x", "no host"), ("javascript:alert(1)", "javascript: scheme"),
    ("mailto:a@b.example", "mailto: scheme"),
])
def test_fetch_url_refuses_each_bad_link(link: str, reason: str) -> None:
    with pytest.raises(RefusedLink, match="^" + re.escape(reason)):
        fetch_url(link, "https://feed.example/rss")


@pytest.mark.parametrize("url, scheme", [
    ("javascript:alert(1)", "javascript"), ("data:text/html,<p>x</p>", "data"),
    ("file:///etc/passwd", "file"), ("ftp://x/y", "ftp"), ("https://ok.example/", None),
])
def test_refused_scheme(url: str, scheme: str | None) -> None:
    assert refused_scheme(url) == scheme


def test_same_site_ignores_www_and_amp() -> None:
    assert same_site("https://www.example.com/a", "https://amp.example.com/b")
    assert not same_site("https://example.com/a", "https://evil.example/a")


@pytest.mark.parametrize("text, encoding, header", [
    ("科技公司发布了新的应用程序，用户数量增长很快。" * 4, "gbk", None),
    ("科技公司發佈了新的應用程式，使用者數量成長很快。" * 4, "big5", "text/html; charset=utf-8"),
    ("新しいアプリが発表され、利用者が急増しています。" * 4, "shift_jis", None),
    ("He said \u201cno\u201d \u2014 it costs \u20ac9", "cp1252", "text/html; charset=iso-8859-1"),
])
def test_decode_html(text: str, encoding: str, header: str | None) -> None:
    decoded, _ = decode_html(f"<p>{text}</p>".encode(encoding), header)
    assert text in decoded


def test_valid_utf8_wins_over_a_wrong_meta() -> None:
    body = '<meta charset="windows-1252"><p>Café Müller, 中文</p>'.encode("utf-8")
    assert "Café Müller, 中文" in decode_html(body, "text/html")[0]


def test_json_feed() -> None:
    body = (b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", '
            b'"url": "https://a.example/1", "title": "One", "date_published": "2026-10-01T10:00:00Z",'
            b' "authors": [{"name": "Ann"}]}, {"id": "2", "external_url": "https://b.example/2"}]}')
    parsed = parse_feed(body, "https://a.example/feed.json", "application/feed+json")
    assert [(e.link, e.title, e.author) for e in parsed.entries] == [
        ("https://a.example/1", "One", "Ann"), ("https://b.example/2", None, None)]
    assert parsed.newest == datetime(2026, 10, 1, 10, tzinfo=timezone.utc)


@pytest.mark.parametrize("body, content_type, problem", [
    (b"", "application/rss+xml", "empty body"),
    (b"<!DOCTYPE html><html><body>Welcome</body></html>", "text/html", "HTML page, not a feed"),
    (b'{"not": "a feed"}', "application/json", "JSON but not a JSON Feed"),
])
def test_feed_problems(body: bytes, content_type: str, problem: str) -> None:
    assert parse_feed(body, "https://a.example/feed", content_type).problem == problem


def test_soft_block_only_on_small_pages() -> None:
    wall = b"<html><title>Just a moment</title>Checking your browser before accessing</html>"
    assert soft_block_reason(wall) == "soft block: checking your browser"
    article = b"<p>" + b"The court said access denied claims fail. " * 2000 + b"</p>"
    assert soft_block_reason(article) is None


def test_publishing_interval_follows_the_feed() -> None:
    hourly = [NOW - timedelta(hours=n) for n in range(12)]
    assert publishing_interval(hourly) == timedelta(hours=1)
    assert publishing_interval([NOW - timedelta(minutes=n) for n in range(12)]) == MIN_INTERVAL
    assert publishing_interval([NOW - timedelta(days=7 * n) for n in range(5)]) == MAX_INTERVAL


def test_failures_back_off_and_honour_retry_after() -> None:
    hour = timedelta(hours=1)
    assert after_failure(NOW, 0, hour) == NOW + hour
    assert after_failure(NOW, 3, hour) == NOW + 8 * hour
    assert after_failure(NOW, 9, hour) == NOW + MAX_INTERVAL
    assert after_failure(NOW, 0, hour, retry_after=timedelta(hours=5)) == NOW + 5 * hour


@pytest.mark.parametrize("value, seconds", [
    ("120", 120.0), (b"5", 5.0), ("Sun, 01 Nov 2026 12:01:00 GMT", 60.0), ("soon", None), (None, None),
])
def test_retry_after_seconds(value, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=NOW) == seconds


def test_read_news_sitemap_and_index() -> None:
    urlset = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://a.example/1</loc><news:news><news:publication_date>2026-10-31T09:00:00Z</news:publication_date>
  <news:title>One</news:title></news:news></url>
  <url><loc>https://a.example/2</loc><lastmod>2026-10-01</lastmod></url>
</urlset>"""
    kind, entries = read_sitemap(urlset)
    assert kind == "urlset"
    assert [(e["loc"], e["title"], e["date"].date().isoformat()) for e in entries] == [
        ("https://a.example/1", "One", "2026-10-31"), ("https://a.example/2", None, "2026-10-01")]
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://a.example/news-1.xml</loc></sitemap></sitemapindex>"""
    assert read_sitemap(index) == ("index", [{"loc": "https://a.example/news-1.xml", "date": None,
                                              "title": None}])
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset>&e;</urlset>'
    assert read_sitemap(evil)[1] == []  # the external entity is never expanded


@pytest.mark.parametrize("body", [
    b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4,  # a gzip header, then no deflate stream (zlib)
    b"\x1f\x8bnot gzip at all",  # a bad header (OSError)
])
def test_a_corrupt_gzip_body_is_one_error(body: bytes) -> None:
    with pytest.raises(CorruptGzip):
        gunzipped(body, max_size=10_000)


def test_gzip_unpacks_within_its_bound_and_plain_bytes_pass() -> None:
    assert gunzipped(gzip.compress(b"<urlset/>"), max_size=100) == b"<urlset/>"
    assert gunzipped(b"<urlset/>", max_size=1) == b"<urlset/>"
    with pytest.raises(ValueError) as raised:
        gunzipped(gzip.compress(b" " * 5000), max_size=1000)
    assert not isinstance(raised.value, CorruptGzip)


@pytest.mark.parametrize("text, words", [
    ("Tallyworks launched Ledgerly today.", 4),
    ("青柠笔记今天上线", 4),  # eight characters: four words
    ("云桥科技发布 Ledgerly 2 应用", 4 + 2),  # eight characters, two spaced words
    ("ソフトを公開した", 4),
    ("", 0),
])
def test_words_are_counted_in_any_script(text: str, words: int) -> None:
    assert word_count(text) == words


@pytest.mark.parametrize("text, declared, language", [
    ("云桥科技今天在杭州发布了一款名为青柠笔记的写作应用，支持完全离线使用。", "en", "zh"),
    ("Tallyworks launched Ledgerly, an invoicing app for freelancers, on Tuesday.", "zh-CN",
     "en"),
    # Too short to tell: the page's declaration, as a bare code.
    ("新品上线", "zh-Hans-CN", "zh"),
    ("OK", "EN_us", "en"),
    ("OK", "not a language!", None),
    ("OK", None, None),
])
def test_language_is_read_from_the_text(text: str, declared: str | None,
                                        language: str | None) -> None:
    assert text_language(text, declared) == language
