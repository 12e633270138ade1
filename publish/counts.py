"""Whole-table row counts from the counts the database keeps (#17).

An unfiltered table page shows how many rows its table holds, and Datasette counts them at
every request: `select count(*) from articles_public` took 8.8 ms of an articles page's
~30 at a million articles, and grows with the archive. The database keeps each counted
table's total in `row_counts` (db/schema.py m021), by triggers in the writing transaction,
so it is exact. Datasette 0.65 has no hook for its count, so the site's databases answer
that one statement, word for word, from the kept total; any filter or search changes the
statement, and Datasette counts as before.

The database page counts every table, hidden ones too, with a 5 ms limit that a count
cannot honour: SQLite counts a table in one step, between two of the progress checks that
enforce the limit. Counting the search index's shadow tables took 180 of the page's 235 ms
at a million articles; hidden tables are not listed, so they are not counted.

A table search with a common word is counted from its search index (publish.table_search).
The same wrapper of the database's `execute` lets a table's next page walk its sort's index
(publish.keyset).
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from datasette.database import QueryInterrupted
from datasette.utils import escape_sqlite

from db.schema import COUNTED_COLUMNS
from publish.facets import COUNTED_VIEWS, narrowed_by
from publish.keyset import tied_in_key_order, walking_the_index
from publish.table_search import count_walked

KEPT_TOTAL = "select count from row_counts where source_table = :table"
# Datasette's count of a filtered page: a page narrowed to values of one or two counted
# columns (a facet's link, and another's after it) reads its kept count (publish.facets).
NARROWED_COUNT = re.compile(r"select count\(\*\) from (?P<table>\S+)(?P<where> where .*)",
                            re.DOTALL)


def whole_table_counts() -> dict[str, str]:
    """Datasette's count statement for each counted table or public view -> the table whose
    total it is (a public view shows its table's rows one for one)."""
    counted = {table: table for table in COUNTED_COLUMNS}
    counted.update({view: table for view, table in COUNTED_VIEWS.items() if table in counted})
    # Datasette's table page writes `select count(*) from <name> ` + its where clause, empty
    # here; its database page `select count(*) from [<name>]`.
    return {statement: table for name, table in counted.items()
            for statement in (f"select count(*) from {escape_sqlite(name)} ",
                              f"select count(*) from [{name}]")}


async def count_from_kept_totals(database: Any) -> None:
    """Answer `database`'s whole-table counts from its `row_counts`, when it has them, and
    a common word's table search from its search index.

    database (datasette.database.Database): one of the site's databases.
    """
    statements = whole_table_counts() if await database.table_exists("row_counts") else {}
    execute = database.execute

    async def execute_counting_ahead(sql: str, params: Any = None, *args: Any,
                                     **kwargs: Any) -> Any:
        if not sql.startswith("select count(*) from "):
            # A table's pages, too, are read here (publish.keyset).
            sql = await tied_in_key_order(walking_the_index(sql), database)
            return await execute(sql, params, *args, **kwargs)
        table = statements.get(sql)
        if table is not None and not params:
            return await execute(KEPT_TOTAL, {"table": table}, *args, **kwargs)
        narrowed = NARROWED_COUNT.fullmatch(sql)
        if narrowed and not args:
            kept = await narrowed_by(database, narrowed["table"].strip("[]"),
                                     narrowed["where"], params or {})
            if kept is not None:
                return await execute(*kept.kept_count(), **kwargs)
        counted = None if args else await count_walked(execute, sql, params, **kwargs)
        return counted if counted is not None else await execute(sql, params, *args, **kwargs)

    database.execute = execute_counting_ahead
    counting_every_table = database.table_counts

    async def table_counts(limit: int = 10) -> dict[str, int | None]:
        """Datasette's counts for its database page, hidden tables left uncounted (None)."""
        if not database.is_mutable:
            return await counting_every_table(limit)  # counted once, for the whole run
        hidden = set(await database.hidden_table_names())
        counts: dict[str, int | None] = {}
        for table in await database.table_names():
            counts[table] = None
            if table not in hidden:
                try:
                    counts[table] = (await database.execute(
                        f"select count(*) from [{table}]", custom_time_limit=limit)).rows[0][0]
                except (QueryInterrupted, sqlite3.Error):
                    pass  # as Datasette's own: a count past its limit is left unknown
        return counts

    database.table_counts = table_counts
