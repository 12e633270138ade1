"""Cheap requests run their SQL in the serving process's own thread (#17).

Datasette hands every query to a pool of SQL threads and waits for the answer. A table page
makes a dozen or more queries of a millisecond or less, and on this 2-core machine each hand-off
to a thread and back cost more than its query: the launches table at a million articles took
22 ms (p50) one client at a time with the threads and 15 ms without. With two clients it was
worse. A process waiting on its SQL thread is idle in its event loop, so it takes new
connections as readily as an idle one, and two requests end up on one process while the other
has none: p95 39 ms against 23 ms without threads.

Only requests whose every query is known to be cheap run this way: no search, and either
`column=value` on one or two counted columns (its count and facets are kept, its rows read by
an index in the page's order) or a sort the table offers (each reads an index), and only
facets read from the kept counts (publish/facets.py). Such a
request keeps its process busy for a few milliseconds, and a process that is busy takes no new
connections. Everything else keeps Datasette's threads, so a costly search still cannot hold a
whole process (publish/gate.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl

from publish.facets import counted_column, table_of

_IN_THIS_THREAD: ContextVar[bool] = ContextVar("launchwire_sql_in_this_thread", default=False)

# Query keys that change how rows are shown or which page of them, not how much SQL runs.
PRESENTATION_KEYS = frozenset({"_next", "_size", "_shape", "_labels", "_nolabels", "_json",
                               "_col", "_nocol", "_extra", "_nocount", "_nofacet",
                               "_nosuggest"})


SORT_KEYS = frozenset({"_sort", "_sort_desc"})


def cheap_requests(default_facets: Callable[[str, str], list[str]],
                   offered_sorts: Callable[[str, str], list[str]] = lambda *table: []
                   ) -> Callable[[dict], bool]:
    """Whether a request (an ASGI scope) makes only cheap queries; default_facets(database,
    table) gives a table's default facets, which its unfiltered pages compute, and
    offered_sorts(database, table) the sorts it offers, each of which reads an index."""
    def cheap(scope: dict) -> bool:
        try:
            pairs = parse_qsl(scope.get("query_string", b"").decode("utf-8"),
                              keep_blank_values=True)
        except UnicodeDecodeError:
            return False
        table = table_of(scope.get("path", ""))
        facets = [value for name, value in pairs if name == "_facet"]
        rest = [(name, value) for name, value in pairs
                if name != "_facet" and name not in PRESENTATION_KEYS]
        if table is None:
            return not facets and not rest
        names = [name for name, _ in rest]
        if names and names[0] in SORT_KEYS:
            if len(rest) > 1 or rest[0][1] not in offered_sorts(*table):
                return False
        elif len(rest) > 2 or len(set(names)) < len(names) or not all(
                not name.startswith("_") and "__" not in name and _narrows(table[1], name)
                for name in names):
            return False
        return all(counted_column(table[1], facet) is not None
                   for facet in [*default_facets(*table), *facets])
    return cheap


def _narrows(table: str, column: str) -> bool:
    """Whether `?column=value` narrows `table` to rows its kept counts and indexes serve."""
    counted = counted_column(table, column)
    return counted is not None and not counted[2]


@contextmanager
def sql_in_this_thread(cheap: bool) -> Iterator[None]:
    """Within the block, the current request's queries run in this thread when `cheap`."""
    token = _IN_THIS_THREAD.set(cheap)
    try:
        yield
    finally:
        _IN_THIS_THREAD.reset(token)


def run_cheap_sql_here(database: Any) -> None:
    """Let a cheap request's queries on `database` run in the calling thread, on a connection
    of its own prepared as Datasette prepares its threads' (functions, time limit per query).

    database (datasette.database.Database): one of the site's databases.
    """
    in_threads = database.execute_fn
    connection = None

    async def execute_fn(fn: Callable[[Any], Any]) -> Any:
        nonlocal connection
        if not _IN_THIS_THREAD.get():
            return await in_threads(fn)
        if connection is None:
            connection = database.connect()
            database.ds._prepare_connection(connection, database.name)
        return fn(connection)

    database.execute_fn = execute_fn
