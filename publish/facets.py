"""One facet, computed once (#17). Datasette computes a table's default facets (from
metadata) and, again under another name (`source_2`), each one a URL names with `_facet=`:
a facet scans a whole index, so a URL naming the defaults paid for them twice. The repeats
are taken out of the query before Datasette sees it; the page shows the same facets."""

from __future__ import annotations

from typing import Callable, Iterable
from urllib.parse import parse_qsl, unquote, urlencode

FORMATS = (".json", ".csv")


def table_of(path: str) -> tuple[str, str] | None:
    """(database, table) of a table page's path ("/launchwire/articles_public.json")."""
    parts = path.strip("/").split("/")
    if len(parts) != 2 or not all(parts) or parts[0].startswith("-"):
        return None
    table = parts[1]
    for suffix in FORMATS:
        table = table.removesuffix(suffix)
    return parts[0], unquote(table)


def without_repeated_facets(query: bytes, defaults: Iterable[str]) -> bytes:
    """The query without `_facet=` values the table facets by default or named before."""
    try:
        pairs = parse_qsl(query.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:  # the guard refuses it before this is asked
        return query
    seen = set(defaults)
    kept = []
    for name, value in pairs:
        if name == "_facet":
            if value in seen:
                continue
            seen.add(value)
        kept.append((name, value))
    return query if len(kept) == len(pairs) else urlencode(kept).encode("ascii")


def facet_deduplicator(default_facets: Callable[[str, str], list[str]]
                       ) -> Callable[[dict], dict]:
    """A scope rewriter for the site's ASGI layer; default_facets(database, table) gives a
    table's default facets."""
    def rewrite(scope: dict) -> dict:
        query = scope.get("query_string", b"")
        if b"_facet=" not in query:
            return scope
        table = table_of(scope.get("path", ""))
        if table is None:
            return scope
        cleaned = without_repeated_facets(query, default_facets(*table))
        return scope if cleaned == query else dict(scope, query_string=cleaned)
    return rewrite
