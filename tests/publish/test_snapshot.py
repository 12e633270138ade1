"""Snapshots for readers (#18): `publish --snapshot` writes a public-only, immutable copy."""

from __future__ import annotations

import gzip
import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from db import connect, crawl_state, store
from db.snapshot import is_snapshot, snapshot_inspect_path, write_snapshot
from tests.conftest import run_launchwire
from tests.publish.stories import SOURCE, add_story

SECRET_SENTENCE = "The unreleased roadmap names a quixotical bandwidth tier."
SECRET_WORD = b"quixot"  # the porter stem the search index would hold of "quixotical"
RAW_PAGE = b"<html><body><p>Raw page of the Zorbit story, never served.</p></body></html>"
FEED_ERROR = "feed answered with a stale certificate"
FEED = "https://news.example/feed.xml"


@pytest.fixture
def live_db(tmp_path: Path) -> Path:
    """A live database with two stories, an article in none whose text only the newsroom may
    read, one article's raw page, a feed with an error and a fetch logged, as a crawl leaves
    them."""
    path = tmp_path / "live" / "launchwire.db"
    path.parent.mkdir()
    add_story(path, "Zorbit ships its app", "Zorbit")
    add_story(path, "Quanta ships its app", "Quanta", url="https://news.example/b",
              published="2026-01-06")
    db = connect(path)
    store.insert_article(db, {"url": "https://news.example/c", "source": SOURCE,
                              "title": "Zorbit plans a faster tier", "text": SECRET_SENTENCE,
                              "published": "2026-01-07T09:00:00+00:00",
                              "fetched_at": "2026-01-07T10:00:00+00:00"})
    newest = datetime.now(timezone.utc) - timedelta(days=1)
    crawl_state.record_feed_success(
        db, url=FEED, source=SOURCE, kind="rss", status=200, etag=None, last_modified=None,
        items=2, newest=newest, next_check=newest, interval_s=900, problem=FEED_ERROR,
        entries=[{"url": "https://news.example/a?x=1&y=2", "title": "Zorbit ships its app"}])
    crawl_state.save_responses(db, fetches=[{
        "url": FEED, "source": SOURCE, "status": 200, "size": 512, "ms": 30}], pages=[{
        "url": "https://news.example/a?x=1&y=2", "entry_url": "https://news.example/a?x=1&y=2",
        "source": SOURCE, "feed_url": FEED, "status": 200, "body": RAW_PAGE}])
    store.prepare_for_serving(db)
    return path


@pytest.fixture
def snapshot(live_db: Path) -> Path:
    path = live_db.parent.parent / "snapshots" / "launchwire.db"
    path.parent.mkdir()
    write_snapshot(connect(live_db, create=False), path)
    return path


def _private_marks(live_db: Path) -> list[bytes]:
    """Byte strings only private data puts in a file: the full text, its words in the search
    index, a piece of the stored raw page, the feed's error."""
    conn = sqlite3.connect(live_db)
    body_gz = conn.execute("select body_gz from pages").fetchone()[0]
    conn.close()
    assert gzip.decompress(body_gz) == RAW_PAGE
    # A piece of the stored page's compressed body, past gzip's 10-byte header.
    return [SECRET_SENTENCE.encode(), SECRET_WORD, body_gz[12:40], FEED_ERROR.encode()]


def test_a_snapshot_holds_no_private_text(live_db: Path, snapshot: Path) -> None:
    live_bytes = live_db.read_bytes()
    for mark in _private_marks(live_db):
        assert mark in live_bytes, mark  # the check would catch it
        assert mark not in snapshot.read_bytes(), mark
    conn = sqlite3.connect(snapshot)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("select count(*) from pages").fetchone()[0] == 0
    assert conn.execute("select count(*) from articles").fetchone()[0] == 3
    conn.close()
    assert is_snapshot(snapshot) and not is_snapshot(live_db)
    assert not list(snapshot.parent.glob(".*"))  # nothing temporary left beside it


def test_the_inspect_data_counts_every_table_of_the_file(snapshot: Path) -> None:
    inspect = json.loads(snapshot_inspect_path(snapshot).read_text(encoding="utf-8"))
    found = inspect["launchwire"]
    conn = sqlite3.connect(snapshot)
    tables = [row[0] for row in conn.execute("select name from sqlite_master where type='table'")]
    assert found["size"] == snapshot.stat().st_size and found["file"] == "launchwire.db"
    assert {name: found["tables"][name]["count"] for name in tables} == {
        name: conn.execute(f"select count(*) from [{name}]").fetchone()[0] for name in tables}
    conn.close()


def test_a_snapshot_is_taken_while_another_connection_writes(live_db: Path,
                                                            tmp_path: Path) -> None:
    writer = sqlite3.connect(live_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("insert into articles (url, source, title, text, fetched_at) values "
                   "('https://news.example/d', ?, 'Uncommitted', 'Not yet.', '2026-01-07')",
                   [SOURCE])
    try:
        result = run_launchwire("publish", "--db", str(live_db), "--snapshot",
                                str(tmp_path / "during.db"), LAUNCHWIRE_DB_BUSY_TIMEOUT="1")
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(tmp_path / "during.db")  # what was committed, all of it
    assert copy.execute("select count(*) from articles").fetchone()[0] == 3
    copy.close()


