"""A sorted table's pages, read along its sort's index, in one order, with one set's facets
(#17).

Datasette pages a sorted table by key: the rows after the last one shown are
`(col < :p1 or col is null or (col = :p1 and id > :p0))` (desc; `col > :p1 or …` asc).
SQLite answers such an OR with one index search per term, merged and sorted: the second page
of the launches table at a million articles read 315k stories and passed the 1 s limit.
Marking the first term as likely true (`likelihood(…, 0.9)`) makes the OR look costly, so
SQLite walks the sort's index from the cursor and stops at the page's end (1,259 → 4 ms).
The comparison itself is unchanged, column affinity included.
"""

from __future__ import annotations

import re
from typing import Any

from datasette.utils import escape_sqlite

from publish.schema_facts import has_table, primary_keys

# A column as Datasette writes it: bare, or [escaped].
_COLUMN = r"(?:\[[^\]]+\]|\w+)"
# Datasette's (views/table.py) keyset clause: its column, comparison and sort value.
KEYSET = re.compile(rf"\((?P<column>{_COLUMN}) (?P<op>[<>]) (?P<value>:p\d+) or "
                    r"(?P<tail>(?:(?P=column) is null or )?\((?P=column) = (?P=value) and )")
LIKELY = 0.9


# A sorted first page: Datasette orders it by the column alone, its later pages by the
# column and then the primary key, so among tied values ("coverage desc": many stories of
# one article) the first page's order was the index's or the sorter's, and rows were
# repeated or skipped from page 2 on.
FIRST_PAGE_SORTED = re.compile(
    rf" from (?P<table>{_COLUMN}) (?P<where>where .* )?order by (?P<column>{_COLUMN})"
    rf"(?: desc)? limit (?P<limit>\d+)$", re.DOTALL)


async def tied_in_key_order(sql: str, database: Any) -> str:
    """`sql`, if it is a table's sorted first page, ordered as its later pages: ties by the
    primary key, ascending."""
    found = FIRST_PAGE_SORTED.search(sql)
    if not found:
        return sql
    table = found["table"].strip("[]")
    if not await has_table(database, table):
        return sql  # a view: paged by offset, in one order throughout
    keys = [escape_sqlite(key) for key in await primary_keys(database, table)] or ["rowid"]
    if found["column"] in keys:
        return sql  # ordered by its key already
    return (sql[:found.start("limit")].removesuffix("limit ")
            + f", {', '.join(keys)} limit {found['limit']}")


def walking_the_index(sql: str) -> str:
    """`sql` with Datasette's keyset clause's first term marked likely; other SQL unchanged."""
    if " order by " not in sql:
        return sql
    return KEYSET.sub(lambda found: f"(likelihood({found['column']} {found['op']} "
                                    f"{found['value']}, {LIKELY}) or {found['tail']}", sql)


# Datasette adds the keyset clause last to the page's conditions, facets' included, so a
# facet on page 2 counted only the rows after the cursor: grouping most of the table (430-500
# ms at a million articles, at the facet time limit) for counts that changed page by page.
_AFTER_KEY = rf"(?:\(\({_COLUMN} > :p\d+\)\)|rowid > :p\d+)"
_KEYSET_CLAUSE = (rf"\({_COLUMN} [<>] :p\d+(?: or {_COLUMN} is null)? or \({_COLUMN} = :p\d+ "
                  rf"and {_AFTER_KEY}\)\)|\({_COLUMN} is null and {_AFTER_KEY}\)"
                  rf"|\({_COLUMN} is not null or \({_COLUMN} is null and {_AFTER_KEY}\)\)"
                  rf"|{_AFTER_KEY}")
TRAILING_KEYSET = re.compile(rf"(?: and |where )(?:{_KEYSET_CLAUSE}) $")


def without_keyset(sql: str, params: Any) -> tuple[str, Any]:
    """A later page's facet SQL and parameters as its first page's: the whole set it pages.
    (A view is paged by offset, its facets' SQL has no keyset and its parameters may be a
    list: it is left as it is.)"""
    paged = TRAILING_KEYSET.sub(" ", sql)
    if paged == sql or not isinstance(params, dict):
        return sql, params
    return paged, {name: value for name, value in params.items()
                   if re.search(rf":{re.escape(name)}\b", paged)}
