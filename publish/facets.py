"""Facets at a million articles (#17).

Computed once: Datasette computes a table's default facets (from metadata) and, again under
another name (`source_2`), each one a URL names with `_facet=`: a facet scans a whole index,
so a URL naming the defaults paid for them twice. The repeats are taken out of the query
before Datasette sees it; the page shows the same facets.

Counted ahead: on an unfiltered page a column facet reads the counts the database keeps as
rows change (`facet_counts`, db/schema.py m015) instead of grouping every row: 150 ms of an
articles page's 164 at a million articles. Filtered pages group their rows as before.

Of a common word's newest matches: a table searched for a word in more than RANKED_MATCHES
rows has its facets count the newest of them (publish.table_search), read once for all the
page's column facets: each facet looking the same 5,000 rows up again took 7-19 ms.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Iterable
from urllib.parse import parse_qsl, unquote, urlencode

from datasette.database import QueryInterrupted, Results
from datasette.facets import ArrayFacet, ColumnFacet, DateFacet
from datasette.utils import escape_sqlite

from db.schema import COUNTED_COLUMNS
from publish.keyset import without_keyset
from publish.schema_facts import declared_type, has_table
from publish.table_search import facet_sql, reads_newest_matches

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


# The public views show every row of the table they read, one for one, so its counts are
# theirs; a view's entity name is counted as the entity's id (names are unique).
COUNTED_VIEWS = {"articles_public": "articles", "mentions_public": "mentions",
                 "metrics_public": "metrics", "facts_public": "facts"}
NAMED_BY_ID = {"entity": "entity_id"}
# Datasette's facet query starts `select <column> as value, count(*) as count from (`.
FACETED_COLUMN = re.compile(r"\s*select (?:\[(?P<escaped>[^\]]+)\]|(?P<bare>\w+)) as value,")
# The kept counts of one faceted column (db/schema.py m015, m022, m025): of all rows, among
# the rows holding one value of another counted column (the facets of the page a facet value
# links to), or among those holding values of two others. Read in count order from an index;
# ties are few and sorted among the first counts only.
ALL_ROWS = ("facet_counts", "source_table = :table and column_name = :column")
NARROWED_ROWS = ("facet_pair_counts", "source_table = :table and narrowing_column = :narrowing "
                 "and narrowing_value = :narrowing_value and column_name = :column")
TWICE_NARROWED_ROWS = (
    "facet_triple_counts", "source_table = :table and first_column = :first "
    "and first_value = :first_value and second_column = :second "
    "and second_value = :second_value and column_name = :column")
COUNTS_SQL = "select {value} as value, count from {counts} where {where} {order}"
IN_COUNT_ORDER = "order by count desc, value limit :limit"
# A narrowing column's own facet, or the page's count: its one value.
OWN_VALUE = "and value = :own_value"
# Entities tied on the last count shown are sorted by name when there are at most this many;
# past it the entities are walked in name order, each tied one found by a lookup (of 160k
# products tied at a million articles, the first 31 by name took 27 ms to sort).
SORTED_TIES = 2000
ENTITY_NAME = "(select name from entities e where e.id = {counts}.value)"
# The row limit ending Datasette's facet query (its facet size, plus one to tell truncation).
FACET_LIMIT = re.compile(r"limit (?P<limit>\d+)\s*$")
# Datasette's where clause for a page narrowed by `?column=value`, or by two of them, and by
# nothing else: the clause ends the statement Datasette counts or facets.
NARROWED = re.compile(r'\s+where "(?P<column>[^"]+)" = :p0(?: and "(?P<second>[^"]+)" = :p1)?\s*$')


def counted_column(table: str | None, column: str) -> tuple[str, str, bool] | None:
    """(table, column, by id) whose kept counts answer a facet on `column` of `table`, or
    None when the database does not count it."""
    source = COUNTED_VIEWS.get(table or "", table)
    by_id = column in NAMED_BY_ID and source != table
    counted = NAMED_BY_ID[column] if by_id else column
    if counted in COUNTED_COLUMNS.get(source or "", ()):
        return source, counted, by_id
    return None


@dataclass(frozen=True)
class Narrowed:
    """The rows of a counted table holding one value of each of one or two counted columns."""

    source: str
    values: tuple[tuple[str, Any], ...]  # (column, value), in column name order

    def counts_of(self, column: str) -> tuple[str, str, dict[str, Any]]:
        """(count table, where, arguments) of the kept counts of `column` among these rows:
        among the rows of the other columns' values, and only this one's value if it is one
        of them (a narrowing column's own facet)."""
        others = [(name, value) for name, value in self.values if name != column]
        arguments: dict[str, Any] = {"table": self.source, "column": column}
        if not others:
            counts, where = ALL_ROWS
        elif len(others) == 1:
            counts, where = NARROWED_ROWS
            arguments.update(narrowing=others[0][0], narrowing_value=others[0][1])
        else:
            counts, where = TWICE_NARROWED_ROWS
            (first, first_value), (second, second_value) = others
            arguments.update(first=first, first_value=first_value, second=second,
                             second_value=second_value)
        own = dict(self.values)
        if column in own:
            where, arguments["own_value"] = f"{where} {OWN_VALUE}", own[column]
        return counts, where, arguments

    def kept_count(self) -> tuple[str, dict[str, Any]]:
        """The statement and arguments giving how many rows these are."""
        counts, where, arguments = self.counts_of(self.values[-1][0])
        return f"select coalesce((select count from {counts} where {where}), 0)", arguments


async def narrowed_by(database: Any, table: str | None, sql: str,
                      params: dict) -> Narrowed | None:
    """The rows `sql` reads when they are those of `table` holding one value of one or two
    counted columns and nothing else narrows them, else None.

    database (datasette.database.Database): the database `sql` reads.
    Each value comes as text from the URL; it is typed as its column stores it, so that it
    finds its kept counts (an entity id 7 is not "7")."""
    found = NARROWED.search(sql)
    if not found or sql.count(" where ") != 1:
        return None
    columns = [column for column in found.group("column", "second") if column]
    expected = {f"p{place}" for place in range(len(columns))}
    if set(params) != expected or len(set(columns)) < len(columns):
        return None
    if not await has_table(database, "facet_triple_counts"):
        return None  # a database no launchwire stage has opened since it was made
    values = []
    for place, column in enumerate(columns):
        counted = counted_column(table, column)
        if counted is None or counted[2]:  # a view's entity is narrowed by name, counted by id
            return None
        source, counted_name, _ = counted  # the same table for every column of `table`
        value = params[f"p{place}"]
        integer = "INT" in await declared_type(database, source, counted_name)
        if integer and re.fullmatch(r"-?\d+", str(value)):
            value = int(value)
        values.append((counted_name, value))
    return Narrowed(source, tuple(sorted(values)))


class _FacetsDatasette:
    """The Datasette a facet asks: everything but `execute` passed on to the real one."""

    def __init__(self, datasette: Any) -> None:
        self._datasette = datasette

    def __getattr__(self, name: str) -> Any:
        return getattr(self._datasette, name)


class _CountsReader(_FacetsDatasette):
    """Answers a facet's grouping query from the kept counts (same columns, same order) and
    passes everything else on: of all rows, or of the rows holding one value of each of
    one or two other counted columns (`narrowed`)."""

    def __init__(self, datasette: Any, table: str, limit: int,
                 narrowed: Narrowed | None = None) -> None:
        super().__init__(datasette)
        self._table = table
        self._limit = limit
        self._narrowed = narrowed

    async def execute(self, database: str, sql: str, params: Any = None, **options: Any) -> Any:
        match = FACETED_COLUMN.match(sql)
        counted = match and counted_column(self._table, match["escaped"] or match["bare"])
        if not counted:
            return await self._datasette.execute(database, sql, params, **options)
        source, column, by_id = counted
        counts, where, arguments = (self._narrowed or Narrowed(source, ())).counts_of(column)
        arguments["limit"] = self._limit
        if by_id:
            return await self._by_name(database, counts, where, arguments, options)
        return await self._datasette.execute(database, COUNTS_SQL.format(
            value="value", counts=counts, where=where, order=IN_COUNT_ORDER), arguments, **options)

    async def _by_name(self, database: str, counts: str, where: str, arguments: dict,
                       options: dict) -> Any:
        """Entity counts, named, in Datasette's order (ties by name): the names sorted are
        those of the counts above the last one shown and of its ties, or, when those ties
        are many, the tied entities first in name order."""
        def read(sql: str, **more: Any) -> Awaitable[Any]:
            return self._datasette.execute(database, sql, {**arguments, **more}, **options)

        def named(more_where: str, order: str = IN_COUNT_ORDER) -> str:
            return COUNTS_SQL.format(value=ENTITY_NAME.format(counts=counts), counts=counts,
                                     where=f"{where} {more_where}", order=order)

        last = (await read(f"select count from {counts} where {where} "
                           f"order by count desc limit 1 offset :limit - 1")).rows
        if not last:  # fewer counts than the facet shows: every one
            return await read(named(""))
        floor = last[0]["count"]
        tied = (await read(f"select count(*) from (select 1 from {counts} where {where} "
                           f"and count = :floor limit {SORTED_TIES + 1})", floor=floor)).rows[0][0]
        if tied <= SORTED_TIES:
            return await read(named("and count >= :floor"), floor=floor)
        above = await read(named("and count > :floor", "order by count desc, value"), floor=floor)
        # `+e.id`: without affinity, so that the lookup uses the index's value column.
        ties = await read(f"select e.name as value, :floor as count from entities e "
                          f"where exists (select 1 from {counts} where {where} "
                          f"and count = :floor and value = +e.id) order by e.name limit :rest",
                          floor=floor, rest=self._limit - len(above.rows))
        return Results(above.rows + ties.rows, False, (("value",), ("count",)))


def _sqlite_order(value: Any) -> tuple[int, Any]:
    """A sort key ordering values as SQLite does: numbers, then text, then blobs (UTF-8 text
    compares as its code points do)."""
    return (0 if isinstance(value, (int, float)) else 1 if isinstance(value, str) else 2, value)


class _SetCountsReader(_FacetsDatasette):
    """Answers each facet's grouping query from counts made in Python over one read of a
    bounded set (same rows, same order) and passes everything else on."""

    def __init__(self, datasette: Any, counts: dict[str, Counter]) -> None:
        super().__init__(datasette)
        self._counts = counts

    async def execute(self, database: str, sql: str, params: Any = None, **options: Any) -> Any:
        match = FACETED_COLUMN.match(sql)
        limit = FACET_LIMIT.search(sql)
        column = match and (match["escaped"] or match["bare"])
        if not column or column not in self._counts or not limit:
            return await self._datasette.execute(database, sql, params, **options)
        counted = sorted(self._counts[column].items(),
                         key=lambda item: (-item[1], _sqlite_order(item[0])))
        rows = [{"value": value, "count": count}
                for value, count in counted[:int(limit["limit"])]]
        return Results(rows, False, (("value",), ("count",)))


class FacetOfTheSet:
    """A facet of the set of rows a page shows, on every page of it alike (publish.keyset),
    and of a common word's newest matches, not all of them (publish.table_search): mixed in
    before a Datasette facet class."""

    sql: str
    params: dict
    request: Any

    def read_the_set(self) -> None:
        """Make this facet's SQL read the page's set (idempotent)."""
        if self.request.args.get("_next"):
            self.sql, self.params = without_keyset(self.sql, self.params)
        self.sql = facet_sql(self.sql)

    async def facet_results(self) -> tuple[list, list]:
        self.read_the_set()
        return await super().facet_results()  # type: ignore[misc]


class DateFacetOfTheSet(FacetOfTheSet, DateFacet):
    """Datasette's date facet (`_facet_date=`), of the set a page shows."""


class ArrayFacetOfTheSet(FacetOfTheSet, ArrayFacet):
    """Datasette's array facet (`_facet_array=`), of the set a page shows."""


class CountedColumnFacet(FacetOfTheSet, ColumnFacet):
    """Datasette's column facet, reading kept counts on an unfiltered page."""

    async def facet_results(self) -> tuple[list, list]:
        self.read_the_set()
        # Datasette's table page facets `select … from [table] <where>`: no where, no filter
        # (a search, a column filter and `_where` all add one).
        if self.table and reads_newest_matches(self.sql):
            counts = await self._count_the_set()
            if counts is not None:
                self.ds = _SetCountsReader(self.ds, counts)
        elif self.table and not self.params and " where " not in self.sql:
            self.ds = _CountsReader(self.ds, self.table, self.get_facet_size() + 1)
        elif self.table:
            narrowed = await narrowed_by(self.ds.get_database(self.database), self.table,
                                         self.sql, self.params)
            if narrowed is not None:
                self.ds = _CountsReader(self.ds, self.table, self.get_facet_size() + 1,
                                        narrowed)
        return await super().facet_results()

    async def _count_the_set(self) -> dict[str, Counter] | None:
        """Each faceted column's counts among the page's set, from one read of it; None when
        that read passes the facet time limit (each facet then tries, and says it timed out)."""
        columns = list(dict.fromkeys(config["config"].get("column") or config["config"]["simple"]
                                     for config in self.get_configs()))
        if not columns:
            return None
        try:
            read = await self.ds.execute(
                self.database,
                f"select {', '.join(escape_sqlite(column) for column in columns)} "
                f"from ({self.sql})", self.params, truncate=False,
                custom_time_limit=self.ds.setting("facet_time_limit_ms"))
        except QueryInterrupted:
            return None
        return {column: Counter(row[place] for row in read.rows if row[place] is not None)
                for place, column in enumerate(columns)}


def replace_datasette_facets() -> None:
    """Take Datasette's facet plugin out, so CountedColumnFacet stands in for its column facet
    (both would run for every `_facet=`). Called at the site's startup, not on import: this
    module is imported while Datasette loads its plugins."""
    from datasette.plugins import pm

    pm.set_blocked("datasette.facets")
