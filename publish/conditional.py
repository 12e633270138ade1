"""Conditional GET for every page (#17): a reader or a cache that has a page already is told
"304 Not Modified" without the page being rendered again, until the database changes.

A page is a function of its URL, the database files and the code serving them. The validator
is made of exactly these: the path and query, each database file's size and modification time
(its write-ahead log's too, where a write lands first) and launchwire's and Datasette's
versions. Checking it costs a few `stat` calls, not a query. A response that sets its own
ETag (the feeds hash their body) keeps it. An immutable snapshot is known by its content's
hash instead, so every replica serving it gives a page the same ETag, whenever and however
its copy was made (#18).
"""

from __future__ import annotations

import hashlib
import os
from email.utils import formatdate
from typing import Any, Callable, Iterable

from publish.guard import App

FILE_SUFFIXES = ("", "-wal")
# What identifies a database's content in the ETag, and its modification time in ns.
State = tuple[Any, int]


def file_states(paths: Iterable[str]) -> list[State]:
    """The states of database files that may change: each file's and its log's size and time."""
    states = []
    for path in paths:
        for suffix in FILE_SUFFIXES:
            try:
                stat = os.stat(path + suffix)
            except OSError:
                continue
            # An empty log holds nothing. SQLite touches or deletes it as connections close,
            # which changes no page, so it must not change the ETag (a 304 test failed now and
            # then, whenever the garbage collector closed the test's writer between requests).
            if suffix and not stat.st_size:
                continue
            states.append(((suffix, stat.st_size, stat.st_mtime_ns), stat.st_mtime_ns))
    return states


def validators(scope: dict, states: list[State], code: str) -> tuple[str, str]:
    """(ETag, Last-Modified) of the page `scope` asks for, from the databases' states now."""
    identities = [identity for identity, _ in states]
    seed = repr((code, scope.get("path"), scope.get("query_string", b""), identities))
    etag = 'W/"' + hashlib.sha256(seed.encode("utf-8", "surrogateescape")).hexdigest()[:32] + '"'
    newest = max((mtime for _, mtime in states), default=0) // 1_000_000_000
    return etag, formatdate(newest, usegmt=True)


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    # Weak comparison (RFC 9110 13.1.2): W/ is ignored on both sides.
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


def conditional(app: App, database_states: Callable[[], list[State]], code: str) -> App:
    """Wrap an ASGI app: GET and HEAD answers of 200 carry an ETag and Last-Modified, and a
    request whose If-None-Match holds the current ETag gets a 304 without reaching `app`.

    database_states: the states of the databases the pages are read from (`file_states` for
    files that may change), asked for on each request (a database may be attached later).
    code: what else a page depends on (the versions of the code that renders it).
    """
    async def answer(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return await app(scope, receive, send)
        etag, last_modified = validators(scope, database_states(), code)
        headers = [(b"etag", etag.encode()), (b"last-modified", last_modified.encode())]
        if _matches(_header(scope, b"if-none-match"), etag):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_validators(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                present = {name.lower() for name, _ in message.get("headers", [])}
                if b"etag" not in present:
                    message = dict(message, headers=[*message.get("headers", []), *headers])
            await send(message)

        await app(scope, receive, send_with_validators)
    return answer
