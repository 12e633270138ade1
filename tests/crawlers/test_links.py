"""What a feed's links make the crawler fetch, crawled over real HTTP on the IPv6 loopback
(#12): every bad link refused on its own with its reason, the rest of the feed fetched as
written, the frontier keyed by canonical URLs; entries that are no links never fetched; one
rule for a feed's health; JSON Feed and Atom authors inherited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from db import connect
from db.crawl_state import add_entries
from loopback_site import HTML, RSS, LoopbackSite, Reply, simple_page
from tests.conftest import free_port, run_launchwire

pytestmark = pytest.mark.slow

ATOM = "application/atom+xml; charset=utf-8"
OTHER_PORT = free_port()
LONG = "http://a.example/" + "x" * 3000
# Bad links in one feed beside good ones, and the start of the reason each is logged with.
BAD_LINKS = {
    "http://[::1/": "refused: malformed URL: Invalid IPv6 URL",
    "http://[::1]:99999/x": "refused: malformed URL: Port out of range",
    "http://a.example:0/x": "refused: invalid port: 0",
    "http://exa mple.com/x": "refused: invalid host",
    LONG: "refused: too long: 3017 characters",
    f"http://[::1]:{OTHER_PORT}/x":
        f"refused: private or loopback address refused: [::1]:{OTHER_PORT}",
}
JSON_BAD_LINKS = {"http://a.example/a\u0001b": "refused: control character",
                  "http://a.example/\ud800": "refused: control character or lone surrogate"}
LIMITS = {"LAUNCHWIRE_DOWNLOAD_DELAY": "0", "LAUNCHWIRE_DOWNLOAD_TIMEOUT": "5"}


def _rss(title: str, items: list[str]) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
            f"</title>{''.join(f'<item>{item}</item>' for item in items)}</channel></rss>"
            ).encode("utf-8")


def _page(name: str) -> Reply:
    return Reply(200, simple_page(f"Story {name}", "An invented story. " * 30),
                 {"Content-Type": HTML})


def _feeds(site: LoopbackSite, canary: Path) -> dict[str, Reply]:
    base = site.base_url
    links = [f"<title>{n}</title><link>{link}</link>" for n, link in enumerate([
        f"{base}/a/one.html?b=2&amp;a=1&amp;c", "  /a/item.html?item  ",
        *(link.replace("&", "&amp;") for link in BAD_LINKS), f"{base}/a/two.html"])]
    guids = ['<title>g1</title><guid>abc-123</guid>',
             f'<title>g2</title><guid isPermaLink="true">{base}/a/guid-yes.html</guid>',
             f'<title>g3</title><guid isPermaLink="false">{base}/a/guid-no.html</guid>']
    atom = (f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Ids</title><id>tag:t,2026:f</id>'
            f"<author><name>Atom Desk</name></author>"
            f"<entry><title>i1</title><id>tag:t,2026:1</id></entry>"
            f"<entry><title>i2</title><id>{base}/a/atom-id.html</id></entry>"
            f'<entry><title>i3</title><id>tag:t,2026:3</id><link href="/a/atom-link.html"/></entry>'
            "</feed>").encode("utf-8")
    json_feed = json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "J", "authors": [{"name": "Desk"}],
        "items": [{"id": "1", "url": f"{base}/a/json-1.html"},
                  {"id": "2", "url": f"{base}/a/json-2.html", "authors": [{"name": "Ann"}]},
                  {"id": "3", "url": f"{base}/a/json-3.html", "title": {"not": "text"}},
                  *({"id": link, "url": link} for link in JSON_BAD_LINKS)]}).encode("utf-8")
    return {
        "/feeds/links.xml": Reply(200, _rss("Links", links), {"Content-Type": RSS}),
        "/feeds/guids.xml": Reply(200, _rss("Guids", guids), {"Content-Type": RSS}),
        "/feeds/ids.atom": Reply(200, atom, {"Content-Type": ATOM}),
        "/feeds/authors.json": Reply(200, json_feed, {"Content-Type": "application/feed+json"}),
        # Read as a feed (a title) though its XML is broken and it links nothing: quiet.
        "/feeds/quiet.xml": Reply(200, b'<rss version="2.0"><channel><title>Quiet & odd</title>',
                                  {"Content-Type": RSS}),
        "/feeds/broken.xml": Reply(200, b"<<< this & that >>>", {"Content-Type": RSS}),
        # A body naming a local file: feedparser used to open and read that file (#12).
        "/feeds/path.xml": Reply(200, str(canary).encode(), {"Content-Type": RSS}),
    }


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("links")
    with LoopbackSite(host="::1") as site:
        canary = folder / "canary.xml"
        canary.write_bytes(_rss("Canary", [f"<link>{site.base_url}/a/canary.html</link>"]))
        feeds = _feeds(site, canary)
        site.routes.update(feeds)
        site.routes["/robots.txt"] = Reply(200, b"User-agent: *\nAllow: /\n")
        for name in ("one", "item", "two", "guid-yes", "atom-link", "json-1", "json-2", "json-3"):
            site.routes[f"/a/{name}.html"] = _page(name)
        sources = folder / "sources.toml"
        sources.write_text(f'[[source]]\nname = "v6"\nhomepage = "{site.base_url}/"\nfeeds = ['
                           + ", ".join(f'"{site.url(path)}"' for path in feeds)
                           + "]\nallow_private = true\n", encoding="utf-8")
        database = folder / "links.db"
        result = run_launchwire("crawl", "--db", str(database), "--sources", str(sources), **LIMITS)
        assert result.returncode == 0, result.stderr
        yield site, sqlite_utils.Database(database)


def _refusals(db: sqlite_utils.Database) -> dict[str, str]:
    return {row["url"]: row["error"] for row in db.query(
        "select url, error from fetches where status is null")}


def test_each_bad_link_is_refused_with_its_reason(crawl) -> None:
    _, db = crawl
    refusals = _refusals(db)
    for link, reason in {**BAD_LINKS, **JSON_BAD_LINKS}.items():
        logged = link[:2083] + "…" if link == LONG else link.encode(
            "utf-8", "backslashreplace").decode()
        assert refusals.get(logged, "").startswith(reason), (link, refusals.get(logged))


def test_the_rest_of_the_feed_is_fetched_as_written(crawl) -> None:
    site, db = crawl
    assert "/a/one.html?b=2&a=1&c" in site.requests and "/a/item.html?item" in site.requests
    assert site.hits["/a/two.html"] == 1
    rows = {row["fetch_url"]: row for row in db.query("select * from entries")}
    one = rows[site.url("/a/one.html?b=2&a=1&c")]
    assert one["url"] == site.url("/a/one.html?a=1&b=2&c=") and one["state"] == "done"
    assert rows[site.url("/a/item.html?item")]["url"] == site.url("/a/item.html?item=")
    feed = next(db.query("select * from feed_health where url like '%links.xml'"))
    assert feed["health"] == "ok" and feed["items"] == 9


def test_ipv6_urls_keep_their_brackets(crawl) -> None:
    site, db = crawl
    assert site.base_url.startswith("http://[::1]:")
    pages = {row["url"] for row in db.query("select url from pages")}
    assert site.url("/a/two.html") in pages


@pytest.mark.parametrize("path, fetched", [
    ("/a/guid-yes.html", True), ("/a/atom-link.html", True),
    ("/abc-123", False), ("/feeds/abc-123", False), ("/a/guid-no.html", False),
    ("/a/atom-id.html", False), ("/a/canary.html", False),
])
def test_only_real_links_are_fetched(crawl, path: str, fetched: bool) -> None:
    site, _ = crawl
    assert (site.hits[path] > 0) is fetched


def test_authors_are_inherited(crawl) -> None:
    site, db = crawl
    authors = {row["fetch_url"].removeprefix(site.base_url): row["author"]
               for row in db.query("select fetch_url, author from entries")}
    assert authors["/a/json-1.html"] == "Desk" and authors["/a/json-2.html"] == "Ann"
    assert authors["/a/atom-link.html"] == "Atom Desk"


@pytest.mark.parametrize("path, health, error", [
    ("/feeds/quiet.xml", "ok", "malformed XML, 0 entries recovered"),
    ("/feeds/ids.atom", "ok", "2 entries without a link"),
    ("/feeds/broken.xml", "failing", "malformed XML"),
    ("/feeds/path.xml", "failing", "malformed XML"),
])
def test_one_rule_for_feed_health(crawl, path: str, health: str, error: str) -> None:
    site, db = crawl
    feed = next(db.query("select * from feed_health where url = ?", [site.url(path)]))
    assert feed["health"] == health and feed["last_error"].startswith(error), feed


def test_pending_entries_are_fetched_by_their_fetch_url(tmp_path: Path) -> None:
    """A transient failure leaves the entry pending; the next crawl (feed not due) asks for
    the URL as the feed wrote it, and a row older than fetch_url by its key."""
    with LoopbackSite() as site:
        flaky = lambda request, count: _page("flaky") if count > 3 else Reply(503)  # noqa: E731
        site.routes.update({"/a/flaky.html": flaky, "/a/old.html": _page("old"),
                            "/feed.xml": Reply(200, _rss("F", [
                                f"<link>{site.url('/a/flaky.html?z=1&amp;y')}</link>"]),
                                {"Content-Type": RSS})})
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nname = "s"\nhomepage = "{site.base_url}/"\n'
                           f'feeds = ["{site.url("/feed.xml")}"]\nallow_private = true\n')
        database = tmp_path / "resume.db"
        args = ("crawl", "--db", str(database), "--sources", str(sources))
        assert run_launchwire(*args, **LIMITS).returncode == 0
        db = connect(database)
        # A row as stored before m012, with no fetch_url.
        add_entries(db, "s", site.url("/feed.xml"), [{"url": site.url("/a/old.html")}])
        assert run_launchwire(*args, **LIMITS).returncode == 0
    assert site.hits["/feed.xml"] == 1
    assert site.requests.count("/a/flaky.html?z=1&y") == 4 and site.hits["/a/old.html"] == 1
    states = {row["url"]: row["state"] for row in db.query("select url, state from entries")}
    assert states == {site.url("/a/flaky.html?y=&z=1"): "done", site.url("/a/old.html"): "done"}


def _urlset(links: list[tuple[str, str]]) -> Reply:
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>{when}</lastmod></url>" for loc, when in links)
    return Reply(200, f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}'
                      "</urlset>".encode(), {"Content-Type": "application/xml"})


def test_a_sitemap_refuses_bad_children_and_survives_odd_dates(tmp_path: Path) -> None:
    """An index with unusable child URLs, a urlset dated 9999 in a negative offset, a corrupt
    gzip sitemap: each is logged on its own and the good children are crawled (#12)."""
    with LoopbackSite() as site:
        index = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in (
            "http://[::1/", "http://a.example:99999/s.xml", site.url("/news-1.xml")))
        site.routes.update({
            "/index.xml": Reply(200, f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                                     f'sitemap/0.9">{index}</sitemapindex>'.encode(),
                                {"Content-Type": "application/xml"}),
            "/news-1.xml": _urlset([(site.url("/a/one.html"), "9999-12-31T23:59:59-10:00")]),
            "/news-2.xml": _urlset([(site.url("/a/two.html"), "9999-12-31T23:59:59-10:00")]),
            "/a/two.html": _page("two"),
            "/broken.xml.gz": Reply(200, b"\x1f\x8b\x08junk", {"Content-Type": "application/gzip"}),
            "/a/one.html": _page("one")})
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nname = "s"\nhomepage = "{site.base_url}/"\nfeeds = []\n'
                           "sitemaps = [" + ", ".join(f'"{site.url(path)}"' for path in (
                               "/index.xml", "/news-2.xml", "/broken.xml.gz"))
                           + "]\nallow_private = true\n")
        database = tmp_path / "sitemaps.db"
        result = run_launchwire("crawl", "--db", str(database), "--sources", str(sources),
                                **LIMITS)
    assert result.returncode == 0, result.stderr
    assert site.hits["/a/one.html"] == 1 and site.hits["/a/two.html"] == 1
    db = sqlite_utils.Database(database)
    refusals = _refusals(db)
    assert refusals["http://[::1/"].startswith("refused: malformed URL")
    assert refusals["http://a.example:99999/s.xml"].startswith("refused: malformed URL")
    health = {row["url"]: row for row in db.query("select * from feed_health")}
    assert {health[site.url(path)]["health"] for path in ("/index.xml", "/news-2.xml")} == {"ok"}
    broken = health[site.url("/broken.xml.gz")]
    assert broken["health"] == "failing" and broken["last_error"].startswith(
        "not a sitemap: bad gzip")
