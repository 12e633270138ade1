"""Whole-table row counts from the counts the database keeps (#17).

An unfiltered table page shows how many rows its table holds, and Datasette counts them at
every request: `select count(*) from articles_public` took 8.8 ms of an articles page's
~30 at a million articles, and grows with the archive. The database keeps each counted
table's total in `row_counts` (db/schema.py m021), by triggers in the writing transaction,
so it is exact. Datasette 0.65 has no hook for its count, so the site's databases answer
that one statement, word for word, from the kept total; any filter or search changes the
statement, and Datasette counts as before.

A table search with a common word is counted from its search index (publish.table_search).
"""

from __future__ import annotations

from typing import Any

from datasette.utils import escape_sqlite

from db.schema import COUNTED_COLUMNS
from publish.facets import COUNTED_VIEWS
from publish.table_search import count_walked

KEPT_TOTAL = "select count from row_counts where source_table = :table"


def whole_table_counts() -> dict[str, str]:
    """Datasette's count statement for each counted table or public view -> the table whose
    total it is (a public view shows its table's rows one for one)."""
    counted = {table: table for table in COUNTED_COLUMNS}
    counted.update({view: table for view, table in COUNTED_VIEWS.items() if table in counted})
    # Datasette writes `select count(*) from <name> ` + its where clause, empty here.
    return {f"select count(*) from {escape_sqlite(name)} ": table
            for name, table in counted.items()}


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
            return await execute(sql, params, *args, **kwargs)
        table = statements.get(sql)
        if table is not None and not params:
            return await execute(KEPT_TOTAL, {"table": table}, *args, **kwargs)
        counted = None if args else await count_walked(execute, sql, params, **kwargs)
        return counted if counted is not None else await execute(sql, params, *args, **kwargs)

    database.execute = execute_counting_ahead
