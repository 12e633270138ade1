"""What a served database's schema says, read once per file (#17).

A page asked it on every request: a counted column's declared type for each facet and the
count of a narrowed page, whether a table is a table and its keys for a sorted first page.
`serve` refuses a database whose schema is not the current one, so the answers do not change
while it is served. A database with no file (Datasette's own, in memory) is asked each time.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

_READ: dict[tuple, Any] = {}


async def _once(database: Any, key: tuple, read: Callable[[], Awaitable[Any]]) -> Any:
    if database.path is None:
        return await read()
    key = (database.path, *key)
    if key not in _READ:
        _READ[key] = await read()
    return _READ[key]


async def has_table(database: Any, table: str) -> bool:
    """Whether `table` is a table (not a view) of `database`."""
    return await _once(database, ("table", table), lambda: database.table_exists(table))


async def declared_type(database: Any, table: str, column: str) -> str:
    """`column`'s declared type in `table`, upper case ("" when it has none)."""
    async def read() -> str:
        found = await database.execute(
            "select type from pragma_table_info(:table) where name = :column",
            {"table": table, "column": column})
        return ((found.first() or [""])[0] or "").upper()
    return await _once(database, ("type", table, column), read)


async def primary_keys(database: Any, table: str) -> list[str]:
    """`table`'s primary key columns ([] for a rowid table)."""
    return await _once(database, ("keys", table), lambda: database.primary_keys(table))
