"""Frontier, raw pages and feed schedules on a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlite_utils

from db import crawl_state as state
from db import store

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
FEED = "https://news.example/feed"


def _source(db: sqlite_utils.Database) -> None:
    store.upsert_source(db, {"name": "Example", "homepage": "https://news.example/"})


def test_feed_state_keeps_validators_across_a_304(fresh_db: sqlite_utils.Database) -> None:
    _source(fresh_db)
    state.record_feed_success(fresh_db, url=FEED, source="Example", kind="feed", status=200,
                              etag='"abc"', last_modified="Wed, 05 Jul 2023 10:00:00 GMT",
                              items=12, newest=NOW, next_check=NOW + timedelta(hours=1),
                              interval_s=3600)
    state.record_feed_success(fresh_db, url=FEED, source="Example", kind="feed", status=304,
                              etag=None, last_modified=None, items=None, newest=None,
                              next_check=NOW + timedelta(hours=2), interval_s=3600)
    feed = state.feed_state(fresh_db, FEED)
    assert (feed["status"], feed["etag"], feed["items"]) == (304, '"abc"', 12)
    assert feed["newest_item_at"] == "2026-11-01T12:00:00+00:00"


def test_only_due_feeds_are_fetched(fresh_db: sqlite_utils.Database) -> None:
    _source(fresh_db)
    state.record_feed_success(fresh_db, url=FEED, source="Example", kind="feed", status=200,
                              etag=None, last_modified=None, items=1, newest=None,
                              next_check=NOW + timedelta(hours=1), interval_s=3600)
    other = "https://news.example/other-feed"
    assert state.due_feeds(fresh_db, [FEED, other], NOW) == [other]
    assert state.due_feeds(fresh_db, [FEED, other], NOW + timedelta(hours=2)) == [FEED, other]
    assert state.due_feeds(fresh_db, [FEED], NOW, force=True) == [FEED]


def test_failures_count_up_and_a_success_resets(fresh_db: sqlite_utils.Database) -> None:
    _source(fresh_db)
    for expected in (1, 2):
        assert state.record_feed_failure(fresh_db, url=FEED, source="Example", kind="feed",
                                         status=500, error="HTTP 500", next_check=NOW) == expected
    health = state.feed_health(fresh_db)[0]
    assert health["health"] == "failing" and health["last_error"] == "HTTP 500"
    state.record_feed_success(fresh_db, url=FEED, source="Example", kind="feed", status=200,
                              etag=None, last_modified=None, items=3,
                              newest=datetime.now(timezone.utc), next_check=NOW, interval_s=900)
    health = state.feed_health(fresh_db)[0]
    assert (health["consecutive_failures"], health["health"]) == (0, "ok")


def test_stale_and_soft_blocked_feeds_are_told_apart(fresh_db: sqlite_utils.Database) -> None:
    _source(fresh_db)
    state.record_feed_success(fresh_db, url=FEED, source="Example", kind="feed", status=200,
                              etag=None, last_modified=None, items=3,
                              newest=datetime(2019, 1, 1, tzinfo=timezone.utc), next_check=NOW,
                              interval_s=900)
    state.record_feed_failure(fresh_db, url=FEED + "2", source="Example", kind="feed",
                              status=200, error="HTML page, not a feed", next_check=NOW,
                              soft_block="soft block: checking your browser")
    health = {row["url"]: row["health"] for row in state.feed_health(fresh_db)}
    assert health == {FEED: "stale", FEED + "2": "soft block"}


def test_frontier_resumes_and_never_stores_a_page_twice(fresh_db: sqlite_utils.Database) -> None:
    _source(fresh_db)
    entries = [{"url": f"https://news.example/{n}", "title": f"Story {n}"} for n in range(3)]
    assert len(state.add_entries(fresh_db, "Example", FEED, entries)) == 3
    page = {"url": "https://news.example/0", "source": "Example", "status": 200,
            "body": b"<html>story</html>", "content_type": "text/html"}
    [first] = state.save_pages(fresh_db, [{**page, "entry_url": "https://news.example/0"}])
    # A killed crawl comes back: two entries still pending, the stored page is not redone.
    assert [e["url"] for e in state.pending_entries(fresh_db, ["Example"])] == [
        "https://news.example/1", "https://news.example/2"]
    assert len(state.add_entries(fresh_db, "Example", FEED, entries)) == 2
    # A redirect that lands on a stored URL closes its entry against the same page.
    assert state.save_pages(fresh_db, [{**page, "entry_url": "https://news.example/1"}]) == [first]
    assert fresh_db.table("pages").count == 1
    stored = next(state.pages_to_extract(fresh_db))[0]
    assert state.page_body(stored) == b"<html>story</html>"


def test_transient_failures_retry_until_the_limit(fresh_db: sqlite_utils.Database) -> None:
    _source(fresh_db)
    state.add_entries(fresh_db, "Example", FEED, [{"url": "https://news.example/a"},
                                                  {"url": "https://news.example/b"}])
    state.entry_failed(fresh_db, "https://news.example/a", "HTTP 404", permanent=True)
    for _ in range(state.MAX_ATTEMPTS - 1):
        state.entry_failed(fresh_db, "https://news.example/b", "HTTP 503", permanent=False)
    assert [e["url"] for e in state.pending_entries(fresh_db, ["Example"])] == ["https://news.example/b"]
    state.entry_failed(fresh_db, "https://news.example/b", "HTTP 503", permanent=False)
    assert state.pending_entries(fresh_db, ["Example"]) == []


def _pages(db: sqlite_utils.Database, count: int) -> list[dict]:
    _source(db)
    pages = [{"url": f"https://news.example/{n}", "entry_url": f"https://news.example/{n}",
              "source": "Example", "status": 200, "body": b"<html></html>"} for n in range(count)]
    state.add_entries(db, "Example", FEED, pages)
    state.save_pages(db, pages)
    return list(db.query("select * from pages order by id"))


def _article(url: str, text: str) -> dict:
    return {"url": url, "source": "Example", "title": "Story", "text": text,
            "fetched_at": "2026-11-01T12:00:00+00:00", "author": None, "published": None,
            "lang": "en"}


def test_an_extracted_page_and_its_article_are_stored_together(
        fresh_db: sqlite_utils.Database) -> None:
    first, copy, empty = _pages(fresh_db, 3)
    assert state.store_extracted(fresh_db, first, {"article": _article(first["url"], "one")}) \
        == "stored"
    # A syndicated copy (same text, another URL) links to the story already stored.
    assert state.store_extracted(fresh_db, copy, {"article": _article(copy["url"], "One.")}) \
        == "duplicate"
    assert state.store_extracted(fresh_db, empty, {"problem": "no article body found"}) == "failed"
    rows = list(fresh_db.query("select article_id, extract_error from pages order by id"))
    article_id = fresh_db.execute("select id from articles").fetchone()[0]
    assert rows == [{"article_id": article_id, "extract_error": None},
                    {"article_id": article_id, "extract_error": None},
                    {"article_id": None, "extract_error": "no article body found"}]


def test_reextraction_updates_in_place_unless_it_duplicates_another_article(
        fresh_db: sqlite_utils.Database) -> None:
    first, second = _pages(fresh_db, 2)
    for page, text in ((first, "one"), (second, "two")):
        state.store_extracted(fresh_db, page, {"article": _article(page["url"], text)})
    first, second = list(fresh_db.query("select * from pages order by id"))
    assert state.store_extracted(fresh_db, first, {"article": _article(first["url"], "uno")},
                                 everything=True) == "updated"
    # Its new text is the other article's: that update is undone, the page says why.
    assert state.store_extracted(fresh_db, second, {"article": _article(second["url"], "Uno")},
                                 everything=True) == "failed"
    assert [row["text"] for row in fresh_db.query("select text from articles order by id")] == [
        "uno", "two"]
    assert fresh_db.execute("select extract_error from pages where id = ?",
                            [second["id"]]).fetchone()[0] == (
        "re-extracted text duplicates another article")
    assert not fresh_db.conn.in_transaction
