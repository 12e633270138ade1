"""Conditional GET for every page (#17): a reader or a cache that has a page already is told
"304 Not Modified" without the page being rendered again, until the database changes.

A page is a function of its URL, the database files and the code serving them. The validator
is made of exactly these: the path and query, each database file's size and modification time
(its write-ahead log's too, where a write lands first) and launchwire's and Datasette's
versions. Checking it costs a few `stat` calls, not a query. A response that sets its own
ETag (the feeds hash their body) keeps it. An immutable snapshot is known by its content's
hash instead, so every replica serving it gives a page the same ETag, whenever and however
its copy was made (#18).

The same validator keys a small cache of whole answers in the server, so a page many readers
ask for is rendered once per change of the database, not once per reader: at a million
articles a table page spends most of its time in Jinja, not SQL (#17).
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
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


class AnswerCache:
    """Whole 200 answers to GETs, least recently used out first, within `max_bytes`.

    Only answers that set no cookie and fit in `max_body` are kept: a CSV of a whole table
    streams past it, and an answer with a cookie is one reader's.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_body: int = 2 * 1024 * 1024):
        self.max_bytes, self.max_body = max_bytes, max_body
        self._answers: OrderedDict[tuple, tuple[dict, bytes]] = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple) -> tuple[dict, bytes] | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def keep(self, key: tuple, start: dict, body: bytes) -> None:
        headers = {name.lower() for name, _ in start.get("headers", [])}
        if start.get("status") != 200 or b"set-cookie" in headers or len(body) > self.max_body:
            return
        if key in self._answers:
            self._bytes -= len(self._answers.pop(key)[1])
        self._answers[key] = (start, body)
        self._bytes += len(body)
        while self._bytes > self.max_bytes:
            self._bytes -= len(self._answers.popitem(last=False)[1][1])


def conditional(app: App, database_states: Callable[[], list[State]], code: str,
                cache: AnswerCache | None = None) -> App:
    """Wrap an ASGI app: GET and HEAD answers of 200 carry an ETag and Last-Modified, and a
    request whose If-None-Match holds the current ETag gets a 304 without reaching `app`;
    a GET answered before under the same ETag is sent again from `cache`.

    database_states: the states of the databases the pages are read from (`file_states` for
    files that may change), asked for on each request (a database may be attached later).
    code: what else a page depends on (the versions of the code that renders it).
    cache: where answers are kept (None: none are).
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
        # Datasette writes absolute links (facets, pagination) from the Host header. A request
        # with validators of its own (a feed's ETag, If-Modified-Since) goes to the app, which
        # answers them.
        key = (etag, _header(scope, b"host"), scope.get("scheme"))
        revalidating = _header(scope, b"if-none-match") or _header(scope, b"if-modified-since")
        kept_in = None if revalidating or scope["method"] != "GET" else cache
        kept = kept_in.get(key) if kept_in is not None else None
        if kept is not None:
            await send(kept[0])
            await send({"type": "http.response.body", "body": kept[1]})
            return
        started: dict[str, Any] = {}
        body = bytearray()

        async def send_with_validators(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                if message.get("status") == 200:
                    present = {name.lower() for name, _ in message.get("headers", [])}
                    if b"etag" not in present:
                        message = dict(message, headers=[*message.get("headers", []),
                                                         *headers])
                started.update(message)
            elif message["type"] == "http.response.body" and kept_in is not None \
                    and len(body) <= kept_in.max_body:
                body.extend(message.get("body", b""))
                if not message.get("more_body"):
                    kept_in.keep(key, started, bytes(body))
            await send(message)

        await app(scope, receive, send_with_validators)
    return answer
