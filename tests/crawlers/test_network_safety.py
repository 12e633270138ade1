"""Loopback and private addresses are recognised without touching the network, and each
source reaches only its own private origins."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from crawlers.middlewares.private_network import PrivateNetworkMiddleware, is_private_host
from crawlers.sources import Source
from crawlers.spiders.feed import FeedSpider
from loopback_site import HTML, RSS, LoopbackSite, Reply, redirect
from tests.conftest import run_launchwire

LAN = Source(name="lan", homepage="http://127.0.0.1:9/", feeds=("http://127.0.0.1:9/f",),
             allow_private=True)
OTHER = Source(name="other", homepage="http://127.0.0.2:9/", feeds=("http://127.0.0.2:9/f",),
               allow_private=True)
WEB = Source(name="web", homepage="https://a.example/", feeds=("https://a.example/f",))
REFUSED = "private or loopback address refused"


@pytest.mark.parametrize("host, private", [
    ("127.0.0.1", True), ("localhost", True), ("10.1.2.3", True), ("192.168.0.10", True),
    ("169.254.169.254", True), ("::1", True), ("8.8.8.8", False), ("2001:4860::8888", False),
    # Not public either (#12): carrier-grade NAT, "this host", IPv4 inside IPv6, multicast.
    ("100.64.0.1", True), ("0.0.0.0", True), ("::", True), ("::ffff:127.0.0.1", True),
    ("64:ff9b::a00:1", True), ("2002:7f00:1::", True), ("224.0.0.1", True), ("fe80::1", True),
    ("::ffff:8.8.8.8", False),
])
def test_is_private_host(host: str, private: bool) -> None:
    assert is_private_host(host) is private


@pytest.fixture
def middleware() -> PrivateNetworkMiddleware:
    crawler = get_crawler(FeedSpider)
    crawler.spider = FeedSpider(sources=[LAN, OTHER, WEB])
    return PrivateNetworkMiddleware.from_crawler(crawler)


def _request(url: str, source: str | None, *hops: str) -> Request:
    meta = {"source": source} if source else {}
    return Request(url, meta={**meta, **({"redirect_urls": list(hops)} if hops else {})})


@pytest.mark.parametrize("url, source", [
    ("http://127.0.0.1:9/feed", "lan"), ("http://127.0.0.2:9/a", "other"),
    ("http://127.0.0.1:9/robots.txt", None), ("http://127.0.0.2:9/robots.txt", None),
])
def test_a_source_reaches_its_own_private_origins(middleware: PrivateNetworkMiddleware, url: str,
                                                  source: str | None) -> None:
    assert middleware.process_request(_request(url, source)) is None


@pytest.mark.parametrize("url, source, hops", [
    ("http://127.0.0.2:9/a", "lan", ()),            # another source's private host
    ("http://127.0.0.1:9/a", "web", ()),            # a public source, a private host
    ("http://127.0.0.1:9/a", "other", ("http://127.0.0.2:9/jump",)),  # through a redirect
    ("http://127.0.0.1:8080/admin", "lan", ()),     # its own host, another port
    ("http://10.11.12.13/private.html", "lan", ()),
    ("http://169.254.169.254/latest/meta-data", "lan", ()),
    ("http://localhost:9/feed", "lan", ()),
    ("http://127.0.0.1:9/a", "unknown", ()),
    ("http://127.0.0.1:9/admin", None, ()),         # no source: robots.txt only
    ("http://127.0.0.1:9/robots.txt", None, ("http://127.0.0.2:9/robots.txt",)),
    ("http://127.0.0.1:9/robots.txt", None, ("https://a.example/robots.txt",)),
])
def test_everything_else_private_is_refused(middleware: PrivateNetworkMiddleware, url: str,
                                            source: str | None, hops: tuple[str, ...]) -> None:
    with pytest.raises(IgnoreRequest, match=REFUSED):
        middleware.process_request(_request(url, source, *hops))


def test_private_origins_are_the_sources_own() -> None:
    source = Source(name="lan", homepage="http://127.0.0.1:8000/", allow_private=True,
                    feeds=("http://127.0.0.1:8000/rss.xml", "http://192.168.1.5/feed",
                           "https://[fd00::5]/feed"))
    assert source.private_origins == {("127.0.0.1", 8000), ("192.168.1.5", 80), ("fd00::5", 443)}
    assert WEB.private_origins == frozenset()


def _rss(links: list[str]) -> Reply:
    items = "".join(f"<item><title>{n}</title><link>{link}</link></item>"
                    for n, link in enumerate(links))
    return Reply(200, f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
                 .encode(), {"Content-Type": RSS})


def _page(text: str, head: str = "") -> Reply:
    return Reply(200, f"<html><head>{head}</head><body><p>{text}</p></body></html>".encode(),
                 {"Content-Type": HTML})


@pytest.mark.slow
def test_a_source_cannot_reach_another_sources_private_host(tmp_path: Path) -> None:
    """Two private sources on two loopback addresses: alpha's feed links beta's pages
    directly, through a redirect, through a meta refresh, and its robots.txt redirects to
    beta's. Only each source's own pages are fetched (#12)."""
    with LoopbackSite("127.0.0.2") as alpha, LoopbackSite("127.0.0.1") as beta:
        alpha.routes.update({
            "/robots.txt": redirect(beta.url("/robots.txt")),
            "/feed.xml": _rss([alpha.url("/a/own.html"), alpha.url("/a/jump"),
                               alpha.url("/a/refresh.html"), beta.url("/secret-direct.html")]),
            "/a/own.html": _page("alpha's own"), "/a/jump": redirect(beta.url("/secret.html")),
            "/a/refresh.html": _page("moved", f'<meta http-equiv="refresh" content="0; url='
                                              f'{beta.url("/secret-refresh.html")}">')})
        beta.routes.update({
            "/robots.txt": Reply(200, b"User-agent: *\nAllow: /\n"),
            "/feed.xml": _rss([beta.url("/b/own.html")]), "/b/own.html": _page("beta's own"),
            **{f"/secret{kind}.html": _page("internal") for kind in ("", "-direct", "-refresh")}})
        sources = tmp_path / "sources.toml"
        sources.write_text("".join(
            f'[[source]]\nname = "{name}"\nhomepage = "{site.base_url}/"\n'
            f'feeds = ["{site.url("/feed.xml")}"]\nallow_private = true\n\n'
            for name, site in (("alpha", alpha), ("beta", beta))))
        database = tmp_path / "two.db"
        result = run_launchwire("crawl", "--db", str(database), "--sources", str(sources),
                                LAUNCHWIRE_DOWNLOAD_DELAY="0")
    assert result.returncode == 0, result.stderr
    assert alpha.hits["/a/own.html"] == 1 and beta.hits["/b/own.html"] == 1
    assert not [path for path in beta.hits if path.startswith("/secret")]
    assert beta.hits["/robots.txt"] == 1  # its own crawl's, not alpha's redirect
    db = sqlite_utils.Database(database)
    for kind in ("", "-direct", "-refresh"):
        errors = [row["error"] for row in db.query(
            "select error from fetches where url = ?", [beta.url(f"/secret{kind}.html")])]
        assert errors == [f"refused: {REFUSED}: 127.0.0.1:{beta.base_url.rsplit(':', 1)[1]} "
                          "is not an address of alpha"], (kind, errors)
