"""A table page's search (`?_search=`) with a common word, at a million articles (#17).

Datasette filters a searched table with `pk in (select rowid from <fts> where … match …)`,
so SQLite sorts every match: "ai" (238k of 1M articles) took 1.8 s and "new" (every
article) passed the time limit, and the count and each facet redid the match.
A word in more than RANKED_MATCHES rows is read another way:

- In the table's own order (its default sort, else its primary key, both indexed), the
  rows are walked in that order and each looked up in the index until the page is full
  (0.4-1.6 ms). The page is the same as Datasette's.
- In any other order, the page sorts the word's newest RANKED_MATCHES matches, as the
  search page ranks them (publish.reads).
- The count of a search alone is the index's own count of the word (8 ms for "ai", 35 for
  "new"); with other filters, it is counted among all matches within COUNT_TIME_LIMIT_MS,
  and left unknown past it, as Datasette leaves a count that passes its limit.
- Facets count the word's newest RANKED_MATCHES matches; the page says so.

A rare word keeps Datasette's filter: sorting its few matches is fast, walking the table for
them is not (2.4 s for a word in no article).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from datasette.filters import FilterArguments
from datasette.utils import await_me_maybe, escape_sqlite

from publish import reads

# The clause datasette/filters.py writes for `?_search=`: `{fts_pk} in (select rowid from
# {fts_table} where {fts_table} match {escape_fts(:search) or :search in raw mode})`.
DATASETTE_SEARCH = re.compile(r"(?P<pk>\S+) in \(select rowid from (?P<index>\S+) "
                              r"where (?P=index) match (?P<match>escape_fts\(:search\)|:search)\)")
# A walked search, as written below; its count and facets find it by this.
WALKED_SEARCH = re.compile(r"exists \(select 1 from (?P<index>\S+) where (?P=index)\.rowid = "
                           r"\S+?\.(?P<pk>[^\s.]+) and (?P=index) match "
                           r"(?P<match>escape_fts\(:search\)|:search)\)")
# Datasette counts a table page's rows with `select count(*) from <table> where <clauses> `.
COUNT = re.compile(r"select count\(\*\) from (?P<table>\S+) where (?P<where>.*) ", re.DOTALL)
# Counting "ai" among other filters took 100-800 ms at 1M articles; a page waits this long.
COUNT_TIME_LIMIT_MS = 50


@dataclass(frozen=True)
class Searched:
    """A table's search index and how the table's rows are found in it."""

    table: str  # the table, escaped as Datasette writes it
    pk: str  # the column the index's rowid is, escaped
    index: str  # the FTS table, escaped
    match: str  # the match expression: escape_fts(:search), or :search in raw mode

    def walked(self) -> str:
        """Each row looked up in the index: read in the page's order, no sort."""
        return (f"exists (select 1 from {self.index} where {self.index}.rowid = "
                f"{self.table}.{self.pk} and {self.index} match {self.match})")

    def newest(self) -> str:
        """The word's newest RANKED_MATCHES matches: FTS5 reads them newest first and stops."""
        return newest_matches(self.pk, self.index, self.match)


def newest_matches(pk: str, index: str, match: str) -> str:
    return (f"{pk} in (select rowid from {index} where {index} match {match} "
            f"order by rowid desc limit {reads.RANKED_MATCHES})")


NEWEST_MATCHES = re.compile(r"\S+ in \(select rowid from (?P<index>\S+) where (?P=index) match "
                            r"(?:escape_fts\(:search\)|:search) order by rowid desc limit \d+\)")


def reads_newest_matches(sql: str) -> bool:
    """Whether `sql` reads a common word's newest RANKED_MATCHES matches (a bounded set)."""
    return NEWEST_MATCHES.search(sql) is not None


def in_table_order(request: Any, metadata: dict) -> bool:
    """Whether the page lists rows in the table's own order, which an index gives."""
    sort = request.args.get("_sort")
    sort_desc = request.args.get("_sort_desc")
    if not sort and not sort_desc:
        return True
    return (sort, sort_desc) == (metadata.get("sort"), metadata.get("sort_desc"))


async def is_common(db: Any, searched: Searched, params: dict) -> bool:
    """Whether more than RANKED_MATCHES rows match."""
    try:
        return await reads.matches_at_least(db, searched.index, searched.match, params,
                                            reads.RANKED_MATCHES + 1)
    except sqlite3.Error:
        return False  # a malformed raw query: Datasette's own filter reports it


async def common_word_search(arguments: FilterArguments | None, request: Any, database: str,
                             table: str, datasette: Any) -> FilterArguments | None:
    """`arguments` from a filters_from_request hook, with Datasette's `?_search=` clause
    replaced for a common word, and the page's description saying how it was read."""
    if not arguments or "search" not in arguments.params:
        return arguments
    for position, clause in enumerate(arguments.where_clauses):
        found = DATASETTE_SEARCH.fullmatch(clause)
        if found:
            break
    else:
        return arguments
    searched = Searched(escape_sqlite(table), found["pk"], found["index"], found["match"])
    db = datasette.get_database(database)
    if not await is_common(db, searched, {"search": arguments.params["search"]}):
        return arguments
    metadata = datasette.table_metadata(database, table)
    walked = in_table_order(request, metadata)
    where = list(arguments.where_clauses)
    where[position] = searched.walked() if walked else searched.newest()
    bound = f"{reads.RANKED_MATCHES:,}"
    note = (f"facets count its newest {bound} matches" if walked
            else f"among its newest {bound} matches")
    descriptions = [f"{description} ({note})" if description.startswith("search matches")
                    else description for description in arguments.human_descriptions]
    return FilterArguments(where, arguments.params, descriptions, arguments.extra_context)


def reading_common_words(results: list[Any], request: Any, database: str, table: str,
                         datasette: Any) -> list[Callable[[], Awaitable[Any]]]:
    """The filters_from_request hooks' results, each passed through common_word_search."""
    def adjusted(result: Any) -> Callable[[], Awaitable[Any]]:
        async def arguments() -> Any:
            return await common_word_search(await await_me_maybe(result), request, database,
                                            table, datasette)
        return arguments
    return [adjusted(result) for result in results]


def facet_sql(sql: str) -> str:
    """A facet's SQL reading a walked search's newest RANKED_MATCHES matches, not them all."""
    return WALKED_SEARCH.sub(
        lambda walked: newest_matches(walked["pk"], walked["index"], walked["match"]), sql)


async def count_walked(execute: Callable[..., Awaitable[Any]], sql: str, params: Any,
                       **options: Any) -> Any | None:
    """The result of Datasette's count statement `sql` over a walked search, or None when
    `sql` is not one: the index's count when the search is the only filter; else the rows
    counted among all the word's matches, within COUNT_TIME_LIMIT_MS.
    Past the limit the count is unknown: execute raises QueryInterrupted, which Datasette's
    table page takes for a count it could not make."""
    count = COUNT.fullmatch(sql)
    walked = count and WALKED_SEARCH.search(count["where"])
    if not walked:
        return None
    if walked[0] == count["where"]:
        index = walked["index"]
        return await execute(f"select count(*) from {index} where {index} match "
                             f"{walked['match']}", {"search": params["search"]}, **options)
    every_match = (f"{walked['pk']} in (select rowid from {walked['index']} "
                   f"where {walked['index']} match {walked['match']})")
    return await execute(sql.replace(walked[0], every_match), params,
                         **{**options, "custom_time_limit": COUNT_TIME_LIMIT_MS})
