"""Snapshots for readers (#18): `publish --snapshot` writes a public-only, immutable copy, and
any number of `serve --immutable` replicas answer from it alike, as the live site does."""

from __future__ import annotations

import asyncio
import gzip
import json
import sqlite3
import urllib.error
import urllib.request
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from db import connect, crawl_state, store
from db.snapshot import is_snapshot, snapshot_inspect_path, write_snapshot
from launchwire import stages
from launchwire.errors import LaunchwireError
from launchwire.settings import load_settings
from publish.site import make_datasette
from tests.conftest import run_launchwire
from tests.publish.answers import answers, found, settled
from tests.publish.served import served
from tests.publish.stories import SOURCE, add_story

SECRET_SENTENCE = "The unreleased roadmap names a quixotical bandwidth tier."
SECRET_WORD = b"quixot"  # the porter stem the search index would hold of "quixotical"
RAW_PAGE = b"<html><body><p>Raw page of the Zorbit story, never served.</p></body></html>"
FEED_ERROR = "feed answered with a stale certificate"
FEED = "https://news.example/feed.xml"
SITE = "https://launches.example"
# Pages of every kind a reader asks for: home, a table, a launch page, a feed, a canned query,
# both searches, an entity, the sources page, a JSON API answer.
PAGES = ["/", "/launchwire/launches", "/launchwire/articles_public?_sort=id",
         "/-/launch/1", "/-/feeds/launches.atom", "/-/feeds/company/zorbit.rss", "/-/feeds.opml",
         "/launchwire/latest_launches", "/-/search?q=quanta",
         "/launchwire/articles_public?_search=quanta", "/launchwire/entities/1", "/-/sources",
         "/launchwire/launches.json?_shape=array"]
# The ranked searches: an article's full text counts in its rank on the live site only.
RANKED = ["/launchwire/search.json?q=zorbit&_shape=array", "/-/search.json?q=zorbit"]


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


def test_a_server_ignores_counts_of_another_file(snapshot: Path) -> None:
    """A server started between the two renames of a new snapshot finds the new counts beside
    the old file: it counts for itself instead."""
    inspect_path = snapshot_inspect_path(snapshot)
    found = json.loads(inspect_path.read_text(encoding="utf-8"))
    found["launchwire"]["size"] += 4096
    inspect_path.write_text(json.dumps(found), encoding="utf-8")
    assert make_datasette(snapshot, immutable=True).inspect_data is None


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


async def test_the_site_on_a_snapshot_serves_the_live_sites_pages(live_db: Path,
                                                                 snapshot: Path) -> None:
    immutable = make_datasette(snapshot, immutable=True)
    database = immutable.get_database("launchwire")
    assert not database.is_mutable and database.cached_table_counts["articles"] == 3
    live_site = make_datasette(live_db)
    live = await answers(live_site, PAGES + RANKED)
    on_snapshot = await answers(immutable, PAGES + RANKED)
    assert all(status == 200 for status, _ in on_snapshot.values()), on_snapshot
    assert {page: on_snapshot[page] for page in PAGES} == {page: live[page] for page in PAGES}
    # Ranked on titles and summaries alone, the same results may come in another order.
    assert all(found(on_snapshot[page]) == found(live[page]) for page in RANKED)
    assert all(found(on_snapshot[page]) for page in RANKED)


async def test_a_snapshot_finds_articles_by_their_public_words_only(live_db: Path,
                                                                   snapshot: Path) -> None:
    searches = ["/-/search.json?q=quixotical", "/launchwire/search.json?q=quixotical&_shape=array",
                "/launchwire/articles_public.json?_search=quixotical&_shape=array"]
    live = await answers(make_datasette(live_db), searches)
    on_snapshot = await answers(make_datasette(snapshot, immutable=True), searches)
    assert all(found(live[page]) and not found(on_snapshot[page]) for page in searches)
    title = await make_datasette(snapshot, immutable=True).client.get(
        "/-/search.json?q=faster+tier")
    assert [row["id"] for row in title.json()["results"]] == [3]


def _fetch(url: str, etag: str | None = None) -> tuple[int, bytes, str | None]:
    request = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, settled(response.read()), response.headers["etag"]
    except urllib.error.HTTPError as answer:  # urllib raises on a 304
        return answer.code, answer.read(), answer.headers["etag"]


def _swap(link: Path, target: Path) -> None:
    """Point `link` at `target` in one rename, as docs/deploy.md tells."""
    fresh = link.with_name(link.name + ".new")
    fresh.symlink_to(target)
    fresh.replace(link)


def test_two_immutable_replicas_answer_alike(live_db: Path, snapshot: Path,
                                            tmp_path: Path) -> None:
    link = tmp_path / "serving" / "launchwire.db"
    link.parent.mkdir()
    _swap(link, snapshot)
    with ExitStack() as stack:
        # Behind one load balancer, every replica is told the site's one public URL.
        replicas = [stack.enter_context(served(link, "--immutable", LAUNCHWIRE_BASE_URL=SITE))
                    for _ in range(2)]
        first, second = ({page: _fetch(replica.base + page) for page in PAGES + RANKED}
                         for replica in replicas)
        assert all(status == 200 and etag for status, _, etag in first.values()), first
        assert first == second  # the same bytes, and the same ETag from either replica
        status, body, _ = _fetch(replicas[1].base + "/-/launch/1", first["/-/launch/1"][2])
        assert status == 304 and body == b""

        # A newer snapshot behind the link: running replicas keep the one they started with.
        add_story(live_db, "Vantor ships its app", "Vantor", url="https://news.example/e",
                  published="2026-01-08")
        newer = snapshot.with_name("newer.db")
        write_snapshot(connect(live_db, create=False), newer)
        _swap(link, newer)
        assert _fetch(replicas[0].base + "/launchwire/launches")[1] == \
            first["/launchwire/launches"][1]
    assert b"Vantor" in settled(
        asyncio.run(make_datasette(link, immutable=True).client.get("/launchwire/launches"))
        .content)


@pytest.mark.parametrize("where, problem", [
    ("launchwire.db", "cannot replace the database it copies"),
    ("missing/snap.db", "no such folder")])
def test_a_snapshot_names_what_it_cannot_write(live_db: Path, where: str, problem: str) -> None:
    with pytest.raises(LaunchwireError, match=problem):
        stages.snapshot(load_settings({"db": str(live_db)}), live_db.parent / where)


def test_serve_immutable_refuses_a_live_database(live_db: Path) -> None:
    result = run_launchwire("serve", "--db", str(live_db), "--immutable", timeout=60)
    assert result.returncode == 1 and "not a snapshot" in result.stderr
