"""Every page answers a conditional GET (#17): unchanged, a 304 without rendering; after a
write to the database, the page again."""

from __future__ import annotations

import os
from pathlib import Path

from publish.conditional import file_states, validators
from publish.site import make_datasette
from tests.publish.stories import add_story, story_db


async def test_a_page_is_not_sent_again_until_the_database_changes(tmp_path: Path) -> None:
    db_path = story_db(tmp_path / "site.db", "Zorbit ships its app", "Zorbit")
    datasette = make_datasette(db_path)
    first = await datasette.client.get("/")
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('W/"') and first.headers["last-modified"]

    again = await datasette.client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["x-content-type-options"] == "nosniff"  # the guard's headers too

    other_page = await datasette.client.get("/-/sources", headers={"If-None-Match": etag})
    assert other_page.status_code == 200 and other_page.headers["etag"] != etag

    add_story(db_path, "Quanta ships its app", "Quanta", url="https://news.example/b",
              published="2026-01-06")
    changed = await datasette.client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Quanta" in changed.text
    assert changed.headers["etag"] != etag


async def test_errors_carry_no_validator_and_feeds_keep_their_own(tmp_path: Path) -> None:
    datasette = make_datasette(story_db(tmp_path / "site.db", "Zorbit ships its app", "Zorbit"))
    missing = await datasette.client.get("/-/no-such-page")
    assert missing.status_code == 404 and "etag" not in missing.headers
    feed = await datasette.client.get("/-/feeds/launches.atom")
    assert feed.status_code == 200 and not feed.headers["etag"].startswith("W/")


async def _get(app, path: str, host: bytes = b"site.example") -> tuple[int, bytes]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    await app({"type": "http", "method": "GET", "path": path, "query_string": b"",
               "scheme": "http", "headers": [(b"host", host)]}, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def test_an_answer_is_rendered_once_until_the_database_changes(tmp_path: Path) -> None:
    from publish.conditional import AnswerCache, conditional

    database = tmp_path / "site.db"
    database.write_bytes(b"one")
    rendered: list[str] = []

    async def pages(scope: dict, receive, send) -> None:
        rendered.append(scope["path"])
        status = 200 if scope["path"] != "/missing" else 404
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"page ", "more_body": True})
        await send({"type": "http.response.body", "body": database.read_bytes()})

    app = conditional(pages, lambda: file_states([str(database)]), "code",
                      AnswerCache(max_bytes=100))

    assert await _get(app, "/a") == (200, b"page one")
    assert await _get(app, "/a") == (200, b"page one")
    assert await _get(app, "/a", host=b"mirror.example") == (200, b"page one")
    assert rendered == ["/a", "/a"]  # once per host: links are written from it
    assert await _get(app, "/missing") == await _get(app, "/missing") == (404, b"page one")
    assert rendered.count("/missing") == 2  # only answers of 200 are kept

    database.write_bytes(b"two, longer")
    assert await _get(app, "/a") == (200, b"page two, longer")
    assert rendered.count("/a") == 3


def test_an_empty_write_ahead_log_does_not_change_a_page(tmp_path: Path) -> None:
    """SQLite touches an empty log, or deletes it, when the writer's connection closes
    (whenever the garbage collector gets to it): no page changes, nor does its ETag."""
    database = tmp_path / "site.db"  # the validator reads files' states only
    database.write_bytes(b"pages")
    log = Path(f"{database}-wal")
    scope = {"path": "/", "query_string": b""}
    log.write_bytes(b"")
    before = validators(scope, file_states([str(database)]), "code")
    os.utime(log, ns=(1, 1))
    assert validators(scope, file_states([str(database)]), "code") == before
    log.unlink()
    assert validators(scope, file_states([str(database)]), "code") == before
    log.write_bytes(b"a frame")
    assert validators(scope, file_states([str(database)]), "code")[0] != before[0]
