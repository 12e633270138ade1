"""The ASGI layer in front of Datasette: refuse cheaply what no page needs, and give every
response the same protective headers (#12).

Each refusal is a 4xx decided from the request line alone, before Datasette routes it, runs
SQL or renders an error page: a method other than GET or HEAD (Datasette answered 500 to a
POST or TRACE), a path or query that is not UTF-8 or holds a NUL, an oversized query, a value
Datasette would feed to int() or json.loads() unchecked, raw FTS syntax, an unbounded search,
and, on a public site, Datasette's introspection pages.
"""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl, unquote_to_bytes, urlsplit

from publish.access import public_route
from publish.gate import Gate, is_costly
from publish.inline import sql_in_this_thread
from publish.search import search_problem

App = Callable[[dict, Callable, Callable], Awaitable[None]]

METHODS = ("GET", "HEAD")
MAX_QUERY_BYTES = 4096
MAX_QUERY_FIELDS = 64
MAX_VALUE_CHARS = 500
# Datasette calls int() on these and answered 500 to `_timelimit=abc`.
INTEGER_PARAMS = ("_size", "_timelimit")
# Added where a response lacks them. Datasette sends no-referrer on some pages already: every
# page does now, so an outlet never learns which search led a reader to it.
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]

Problem = tuple[int, str]


def _path_problem(scope: dict, public: bool) -> Problem | None:
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    try:
        path = unquote_to_bytes(raw.split(b"?", 1)[0].decode("latin-1")).decode("utf-8")
    except UnicodeDecodeError:
        return 400, "The path is not UTF-8"
    if "\x00" in path:
        return 400, "The path holds a NUL character"
    if public and not public_route(scope["path"]):
        return 404, "Not found on a public site"
    return None


def _through_is_valid(value: str) -> bool:
    try:
        through = json.loads(value)
    except ValueError:
        return False
    return isinstance(through, dict) and {"table", "column", "value"} <= set(through)


def _param_problem(name: str, value: str, public: bool) -> str | None:
    if "\x00" in name or "\x00" in value:
        return f"{name} holds a NUL character"
    if len(value) > MAX_VALUE_CHARS:
        return f"{name} is longer than {MAX_VALUE_CHARS} characters"
    if name in INTEGER_PARAMS and not (value.isdigit() or (name == "_size" and value == "max")):
        return f"{name} must be a whole number"
    if name == "_through" and not _through_is_valid(value):
        return "_through must be a JSON object with table, column and value"
    if public and name == "_searchmode" and value != "escaped":
        return "A public site searches words only (no raw FTS syntax)"
    return search_problem(name, value)


def _query_problem(query: bytes, public: bool) -> Problem | None:
    if len(query) > MAX_QUERY_BYTES:
        return 414, f"The query string is longer than {MAX_QUERY_BYTES} bytes"
    try:
        pairs = parse_qsl(query.decode("utf-8"), keep_blank_values=True, errors="strict",
                          max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:  # UnicodeDecodeError included
        return 400, f"The query string is not UTF-8 or has over {MAX_QUERY_FIELDS} fields"
    for name, value in pairs:
        problem = _param_problem(name, value, public)
        if problem:
            return 400, problem
    return None


def request_problem(scope: dict, public: bool) -> Problem | None:
    """The status and reason a request is refused with, or None to let Datasette answer.

    scope (dict): the ASGI HTTP scope.
    public (bool): whether the site is public (the default) rather than private.
    """
    if scope["method"] not in METHODS:
        return 405, "Only GET and HEAD"
    return _path_problem(scope, public) or _query_problem(scope.get("query_string", b""), public)


async def _refuse(scope: dict, send: Callable, status: int, reason: str) -> None:
    if scope["path"].endswith(".json"):
        body, kind = json.dumps({"ok": False, "error": reason, "status": status}), b"application/json"
    else:
        body, kind = f"{status}: {reason}\n", b"text/plain"
    headers = [(b"content-type", kind + b"; charset=utf-8")]
    if status == 405:
        headers.append((b"allow", ", ".join(METHODS).encode()))
    if status == 429:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body.encode("utf-8")})


def _with_security_headers(message: dict) -> dict:
    headers = list(message.get("headers", []))
    present = {name.lower() for name, _ in headers}
    return dict(message, headers=headers + [h for h in SECURITY_HEADERS if h[0] not in present])


def _as_served_at(scope: dict, site_url: str) -> dict:
    """The scope with the site's own scheme and host in place of the client's Host header:
    Datasette builds absolute URLs (`next_url`, the Link header) from it (#12)."""
    parts = urlsplit(site_url)
    headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"host"]
    return dict(scope, scheme=parts.scheme, headers=[(b"host", parts.netloc.encode("idna")), *headers])


def guarded(app: App, public: bool, site_url: str,
            rewrite: Callable[[dict], dict] = lambda scope: scope,
            cheap: Callable[[dict], bool] = lambda scope: False) -> App:
    """Wrap Datasette's ASGI app: refusals first, searches and facets in turns, URLs under
    `site_url` whatever the Host header says, and the security headers on every response.

    rewrite: applied to an admitted request's scope (publish.facets takes repeats out).
    cheap: whether an admitted request's SQL runs in this thread (publish.inline).
    """
    async def guard(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = _with_security_headers(message)
            await send(message)

        problem = request_problem(scope, public)
        if problem:
            return await _refuse(scope, send_with_headers, *problem)
        scope = rewrite(scope)
        with sql_in_this_thread(cheap(scope)):
            if not is_costly(scope.get("query_string", b"")):
                return await app(_as_served_at(scope, site_url), receive, send_with_headers)
            async with gate.turn() as admitted:
                if not admitted:
                    return await _refuse(scope, send_with_headers, 429,
                                         "Too many searches at once")
                return await app(_as_served_at(scope, site_url), receive, send_with_headers)
    gate = Gate()
    return guard
