"""Every kind of hostile input, served over real HTTP by the team's own server, crawled by
the real CLI: each case is logged with its reason, and the good articles beside them land."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from hostile_site import ENCODING_PHRASES, GOOD_ARTICLES, HOSTILE_LINKS, HostileSite
from tests.conftest import run_launchwire

pytestmark = pytest.mark.slow

# Small limits so the slow feed times out and the big pages are refused quickly.
LIMITS = {"LAUNCHWIRE_DOWNLOAD_TIMEOUT": "1", "LAUNCHWIRE_DOWNLOAD_MAXSIZE": str(1024 * 1024),
          "LAUNCHWIRE_DOWNLOAD_DELAY": "0", "LAUNCHWIRE_RETRY_AFTER_MAX": "5"}


@pytest.fixture(scope="module")
def hostile():
    with HostileSite() as site:
        yield site


@pytest.fixture(scope="module")
def crawled(hostile: HostileSite, tmp_path_factory: pytest.TempPathFactory) -> sqlite_utils.Database:
    folder = tmp_path_factory.mktemp("hostile")
    sources = folder / "sources.toml"
    sources.write_text(hostile.sources_toml(), encoding="utf-8")
    database = folder / "hostile.db"
    result = run_launchwire("crawl", "--db", str(database), "--sources", str(sources), **LIMITS)
    assert result.returncode == 0, result.stderr
    return sqlite_utils.Database(database)


def _errors(db: sqlite_utils.Database, path: str) -> list[str]:
    return [row["error"] for row in db.query(
        "select error from fetches where url like ? and error is not null", [f"%{path}"])]


def _stored(db: sqlite_utils.Database, base_url: str) -> list[str]:
    """Stored article paths; the copy of good-1 and good-1 are one story, whichever came first."""
    paths = [row["url"].removeprefix(base_url) for row in db.query("select url from articles")]
    return sorted("/a/good-1.html" if path == "/a/copy-of-good-1.html" else path for path in paths)


def test_every_good_article_lands_once(crawled: sqlite_utils.Database, hostile: HostileSite) -> None:
    assert _stored(crawled, hostile.base_url) == sorted(GOOD_ARTICLES)


@pytest.mark.parametrize("path, reason", [
    ("/feeds/html.xml", "HTML page, not a feed"),
    ("/feeds/empty.xml", "empty body"),
    ("/feeds/404.xml", "HTTP 404"),
    ("/feeds/410.xml", "HTTP 410"),
    ("/feeds/500.xml", "HTTP 500"),
    ("/feeds/slow.xml", "timeout"),
    ("/feeds/loop.xml", "redirect loop"),
    ("/feeds/botcheck.xml", "soft block: checking your browser"),
    ("/a/huge.html", "over size limit"),
    ("/a/bomb.html", "over size limit"),
    ("/a/doc.pdf", "not an article page: application/pdf"),
    ("/a/image.png", "not an article page: image/png"),
    ("/a/gone.html", "HTTP 410"),
    ("/a/missing.html", "HTTP 404"),
    ("/a/error.html", "HTTP 500"),
    ("/private/report.html", "robots.txt"),
    ("10.11.12.13/private.html", "private or loopback address refused"),
])
def test_each_hostile_case_is_logged_with_its_reason(crawled: sqlite_utils.Database, path: str,
                                                     reason: str) -> None:
    errors = _errors(crawled, path)
    assert errors and all(reason.lower() in error.lower() for error in errors), errors


@pytest.mark.parametrize("link", [link for link in HOSTILE_LINKS if not link.startswith("http")])
def test_dangerous_schemes_are_refused_without_a_request(crawled: sqlite_utils.Database,
                                                         link: str) -> None:
    scheme = link.split(":")[0]
    rows = list(crawled.query("select error from fetches where url like ?", [f"{scheme}:%"]))
    assert rows and all(row["error"] == f"refused: {scheme}: scheme" for row in rows)
    assert not list(crawled.query("select url from entries where url like ?", [f"{scheme}:%"]))


def test_malformed_feed_keeps_what_feedparser_recovers(crawled: sqlite_utils.Database) -> None:
    errors = _errors(crawled, "/feeds/malformed.xml")
    assert errors and errors[0].startswith("malformed XML, 2 entries recovered")


def test_503_with_retry_after_is_retried(crawled: sqlite_utils.Database, hostile: HostileSite) -> None:
    assert hostile.hits["/feeds/503.xml"] == 2
    feed = next(crawled.query("select * from feeds where url like '%/feeds/503.xml'"))
    assert feed["status"] == 200 and feed["consecutive_failures"] == 0


def test_failing_feeds_back_off_and_bad_ones_show_in_health(crawled: sqlite_utils.Database) -> None:
    health = {row["url"].rsplit("/", 1)[-1]: row for row in crawled.query("select * from feed_health")}
    assert health["404.xml"]["health"] == "failing" and health["404.xml"]["consecutive_failures"] == 1
    assert health["404.xml"]["next_check_at"] > health["404.xml"]["checked_at"]
    assert health["botcheck.xml"]["health"] == "soft block"
    assert health["stale.xml"]["health"] == "stale"
    assert health["main.xml"]["health"] == "ok"


@pytest.mark.parametrize("path", sorted(ENCODING_PHRASES))
def test_encodings_come_out_as_unicode(crawled: sqlite_utils.Database, hostile: HostileSite,
                                       path: str) -> None:
    text = next(crawled.query("select text from articles where url = ?",
                              [hostile.base_url + path]))["text"]
    assert ENCODING_PHRASES[path] in text


def test_one_story_one_row(crawled: sqlite_utils.Database, hostile: HostileSite) -> None:
    # The tracked link, the redirect to it and the AMP copy fold into their canonical URLs;
    # the copied text is recognised as the same story.
    paths = _stored(crawled, hostile.base_url)
    assert "/a/tracked.html" in paths and "/a/amp-story.html" in paths
    assert not any("utm_" in path or "/amp/" in path or "/r/" in path for path in paths)
    assert hostile.hits["/a/tracked.html"] == 2  # the tracked link and the redirect's target
    pages = {row["url"].removeprefix(hostile.base_url): row["article_id"]
             for row in crawled.query("select url, article_id from pages")}
    assert pages["/a/good-1.html"] == pages["/a/copy-of-good-1.html"]
    amp = next(crawled.query("select url from articles where id = ?", [pages["/amp/a/amp-story.html"]]))
    assert amp["url"] == hostile.base_url + "/a/amp-story.html"


def test_a_second_crawl_asks_conditionally_and_adds_nothing(
        crawled: sqlite_utils.Database, hostile: HostileSite, tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(hostile.sources_toml(), encoding="utf-8")
    articles = crawled.table("articles").count
    fetched = hostile.hits["/a/good-1.html"]
    result = run_launchwire("crawl", "--force", "--db", str(crawled.conn.execute(
        "pragma database_list").fetchone()[2]), "--sources", str(sources), **LIMITS)
    assert result.returncode == 0, result.stderr
    assert crawled.table("articles").count == articles
    assert hostile.hits["/a/good-1.html"] == fetched
    main = next(crawled.query("select status from feeds where url like '%/feeds/main.xml'"))
    assert main["status"] == 304
