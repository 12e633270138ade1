"""A facet is computed once however often a URL names it (#17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.facets import table_of, without_repeated_facets
from publish.site import make_datasette


def test_repeats_and_defaults_leave_the_query_and_the_rest_stays() -> None:
    query = b"_facet=source&q=phone&_facet=author&_facet=author&_sort=published"
    assert without_repeated_facets(query, ["source", "month"]) == (
        b"q=phone&_facet=author&_sort=published")
    untouched = b"_facet=author&source=Example+%26+Co"
    assert without_repeated_facets(untouched, ["source"]) is untouched


@pytest.mark.parametrize("path, table", [
    ("/launchwire/articles_public", ("launchwire", "articles_public")),
    ("/launchwire/articles_public.json", ("launchwire", "articles_public")),
    ("/launchwire", None), ("/-/search", None), ("/launchwire/launches/3", None)])
def test_only_table_pages_are_rewritten(path: str, table: tuple[str, str] | None) -> None:
    assert table_of(path) == table


async def test_a_url_naming_the_default_facets_computes_each_once(crawled_db: Path) -> None:
    datasette = make_datasette(crawled_db)
    name = crawled_db.stem
    plain = (await datasette.client.get(
        f"/{name}/articles_public.json?_extra=facet_results")).json()["facet_results"]
    named = await datasette.client.get(
        f"/{name}/articles_public.json?_facet=source&_facet=month&_facet=author"
        "&_facet=author&_extra=facet_results")
    assert named.status_code == 200
    facets = named.json()["facet_results"]
    assert list(facets) == [*plain, "author"]
    def counts(facet: dict) -> list[tuple[str, int]]:
        return [(row["value"], row["count"]) for row in facet["results"]]
    assert counts(facets["source"]) == counts(plain["source"])


def _facets(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200, response.text
    return _facets_of(response.json())


def _facets_of(page: dict) -> dict[str, list[tuple]]:
    return {name: [(row["value"], row["label"], row["count"], row["selected"])
                   for row in facet["results"]] + [facet["truncated"]]
            for name, facet in page["facet_results"].items()}


@pytest.mark.parametrize("table, columns, every_row", [
    ("articles_public", ["source", "month", "kind"], "id__gte=-1"),
    ("launches", ["modality", "company_id"], "id__gte=-1"),
    ("mentions_public", ["entity", "label"], "article_id__gte=-1"),
    ("metrics_public", ["metric", "modality", "claimant", "unit"], "id__gte=-1"),
    ("facts_public", ["modality", "about"], "id__gte=-1"),
    ("entities", ["label"], "id__gte=-1")])
async def test_an_unfiltered_page_reads_kept_counts_that_equal_grouping_every_row(
        crawled_db: Path, table: str, columns: list[str], every_row: str) -> None:
    datasette = make_datasette(crawled_db, private=True)
    facets = "".join(f"&_facet={column}" for column in columns)
    path = f"/{crawled_db.stem}/{table}.json?_extra=facet_results&_facet_size=3{facets}"
    # A filter every row passes makes Datasette group the rows itself.
    grouped = _facets(await datasette.client.get(f"{path}&{every_row}"))
    counted = _facets(await datasette.client.get(path))

    assert counted == grouped
    assert list(counted) == columns
    assert all(facet[:-1] for facet in counted.values())  # every facet has values to compare


async def test_the_unfiltered_page_is_answered_from_the_kept_counts(crawled_db: Path,
                                                                    tmp_path: Path) -> None:
    import sqlite_utils

    copy = tmp_path / crawled_db.name
    sqlite_utils.Database(crawled_db).execute("vacuum into ?", [str(copy)])
    sqlite_utils.Database(copy).execute(
        "update facet_counts set count = 1000 where source_table = 'articles' "
        "and column_name = 'kind' and value = 'launch'")
    datasette = make_datasette(copy)
    path = f"/{copy.stem}/articles_public.json?_extra=facet_results&_facet=kind"

    counted = _facets(await datasette.client.get(path))["kind"]
    filtered = _facets(await datasette.client.get(path + "&id__gte=-1"))["kind"]

    assert counted[0] == ("launch", "launch", 1000, False)
    assert ("launch", "launch", 1000, False) not in filtered


async def test_an_unfiltered_page_shows_the_kept_total_and_a_filtered_one_counts(
        crawled_db: Path, tmp_path: Path) -> None:
    import sqlite_utils

    copy = tmp_path / crawled_db.name
    sqlite_utils.Database(crawled_db).execute("vacuum into ?", [str(copy)])
    db = sqlite_utils.Database(copy)
    articles = db.execute("select count(*) from articles").fetchone()[0]
    launches = db.execute("select count(*) from launches").fetchone()[0]
    db.execute("update row_counts set count = 123456 where source_table = 'articles'")
    datasette = make_datasette(copy)
    name = copy.stem

    async def count(path: str) -> int:
        return (await datasette.client.get(f"/{name}/{path}")).json()["filtered_table_rows_count"]

    assert await count("articles_public.json") == 123456  # read, not counted
    assert await count("articles_public.json?id__gte=-1") == articles
    assert await count("articles_public.json?_search=launch") < articles
    assert await count("launches.json") == launches
    page = (await datasette.client.get(f"/{name}/articles_public")).text
    assert "123,456 rows" in page


async def test_the_database_page_reads_kept_totals_and_leaves_hidden_tables_uncounted(
        crawled_db: Path, tmp_path: Path) -> None:
    import sqlite_utils

    copy = tmp_path / crawled_db.name
    sqlite_utils.Database(crawled_db).execute("vacuum into ?", [str(copy)])
    db = sqlite_utils.Database(copy)
    db.execute("update row_counts set count = 123456 where source_table = 'articles'")
    datasette = make_datasette(copy, private=True)
    tables = {table["name"]: table for table in (await datasette.client.get(
        f"/{copy.stem}.json?_show_hidden=1")).json()["tables"]}

    assert tables["articles"]["count"] == 123456  # read, not counted
    assert tables["sources"]["count"] == db["sources"].count > 0
    hidden = [name for name, table in tables.items() if table["hidden"]]
    assert "articles_fts_data" in hidden
    assert all(tables[name]["count"] is None for name in hidden)


@pytest.mark.parametrize("table, source, narrowing, facets", [
    ("articles_public", "articles", ["source"], ["source", "month", "kind"]),
    ("articles_public", "articles", ["kind"], ["source", "month", "kind"]),
    ("launches", "launches", ["company_id"], ["modality", "company_id"]),
    ("mentions_public", "mentions", ["entity_id"], ["entity", "label"]),
    ("mentions_public", "mentions", ["label"], ["entity", "label"]),
    ("metrics_public", "metrics", ["metric"], ["metric", "modality", "claimant", "unit"]),
    ("facts_public", "facts", ["about"], ["modality", "about"]),
    # A facet value's link followed by another's: the count from the kept pair counts, the
    # other facets from the kept triple counts (db m025).
    ("articles_public", "articles", ["source", "kind"], ["source", "month", "kind"]),
    ("articles_public", "articles", ["month", "source"], ["source", "month", "kind"]),
    ("launches", "launches", ["modality", "company_id"], ["modality", "company_id"]),
    ("metrics_public", "metrics", ["metric", "unit"], ["metric", "modality", "claimant", "unit"]),
    ("metrics_public", "metrics", ["modality", "metric"],
     ["metric", "modality", "claimant", "unit"]),
    ("facts_public", "facts", ["about", "modality"], ["modality", "about"])])
async def test_a_page_narrowed_to_counted_values_reads_kept_counts_that_equal_grouping_its_rows(
        crawled_db: Path, table: str, source: str, narrowing: list[str],
        facets: list[str]) -> None:
    """The page a facet value links to, and the page another's link narrows further: its
    count and facets from the kept pair and triple counts."""
    import sqlite_utils

    columns = ", ".join(f"[{column}]" for column in narrowing)
    present = " and ".join(f"[{column}] is not null" for column in narrowing)
    values = sqlite_utils.Database(crawled_db).execute(
        f"select {columns} from [{source}] where {present} "
        f"group by {columns} order by count(*) desc limit 1").fetchone()
    datasette = make_datasette(crawled_db, private=True)
    named = "".join(f"&_facet={column}" for column in facets)
    narrowed_to = "".join(f"&{column}={value}" for column, value in zip(narrowing, values))
    path = (f"/{crawled_db.stem}/{table}.json?_extra=facet_results&_facet_size=3{named}"
            f"{narrowed_to}")
    narrowed = await datasette.client.get(path)
    # One more filter every row passes makes Datasette count and group the rows itself.
    grouped = await datasette.client.get(f"{path}&{narrowing[0]}__not=-1")

    assert _facets(narrowed) == _facets(grouped)
    counts = [page.json()["filtered_table_rows_count"] for page in (narrowed, grouped)]
    assert counts[0] == counts[1] > 0
    assert all(facet[:-1] for facet in _facets(narrowed).values())


async def test_a_page_narrowed_to_two_values_is_answered_from_the_kept_counts(
        crawled_db: Path, tmp_path: Path) -> None:
    import sqlite_utils

    copy = tmp_path / crawled_db.name
    sqlite_utils.Database(crawled_db).execute("vacuum into ?", [str(copy)])
    db = sqlite_utils.Database(copy)
    source, month = db.execute("select source, month from articles where kind = 'launch' "
                               "group by 1, 2 order by count(*) desc limit 1").fetchone()
    db.execute("update facet_pair_counts set count = 900 where source_table = 'articles' "
               "and narrowing_column = 'kind' and narrowing_value = 'launch' "
               "and column_name = 'source' and value = ?", [source])
    db.execute("update facet_triple_counts set count = 800 where source_table = 'articles' "
               "and first_column = 'kind' and first_value = 'launch' and second_column = "
               "'source' and second_value = ? and column_name = 'month' and value = ?",
               [source, month])
    datasette = make_datasette(copy)
    page = (await datasette.client.get(
        f"/{copy.stem}/articles_public.json?_extra=facet_results&_facet=month&_facet=source"
        f"&kind=launch&source={source}")).json()

    assert page["filtered_table_rows_count"] == 900
    assert (month, month, 800, False) in _facets_of(page)["month"]
    assert (source, source, 900, True) in _facets_of(page)["source"]


async def test_a_narrowed_page_with_a_where_clause_is_counted_and_grouped(
        crawled_db: Path) -> None:
    """`_where` (a private site's) narrows a facet value's page further: its rows are
    counted and grouped, not read from the kept counts of the value alone."""
    datasette = make_datasette(crawled_db, private=True)
    path = (f"/{crawled_db.stem}/articles_public.json?_extra=facet_results&_facet=source"
            f"&kind=launch")
    every = await datasette.client.get(path)
    some = await datasette.client.get(f"{path}&_where=id % 2 = 0")

    assert 0 < some.json()["filtered_table_rows_count"] < every.json()["filtered_table_rows_count"]
    assert sum(count for *_, count, _ in _facets(some)["source"][:-1]) == \
        some.json()["filtered_table_rows_count"]


@pytest.mark.parametrize("sorted_ties", [0, 1, 2000])
@pytest.mark.parametrize("facet_size", [2, 10, 30])
@pytest.mark.parametrize("narrowed", ["", "&label=PRODUCT", "&label=COMPANY"])
async def test_entities_tied_on_the_last_count_shown_come_in_name_order_as_grouped(
        crawled_db: Path, monkeypatch: pytest.MonkeyPatch, sorted_ties: int, facet_size: int,
        narrowed: str) -> None:
    """An entity facet cut among entities tied on a count shows the first by name, as
    Datasette's grouping does, whether the ties are sorted or walked in name order."""
    from publish import facets

    monkeypatch.setattr(facets, "SORTED_TIES", sorted_ties)
    datasette = make_datasette(crawled_db, private=True)
    db = datasette.get_database()
    execute, plans = db.execute, []

    async def planned(sql: str, params: object = None, **options: object) -> object:
        if "+e.id" in sql:  # the walk: each tied entity one lookup in the count index
            plans.extend(row["detail"] for row in (await execute(f"explain query plan {sql}",
                                                                 params)).rows)
        return await execute(sql, params, **options)

    db.execute = planned  # type: ignore[method-assign]
    path = (f"/{crawled_db.stem}/mentions_public.json?_extra=facet_results&_facet=entity"
            f"&_facet_size={facet_size}{narrowed}")
    counted = _facets(await datasette.client.get(path))["entity"]
    grouped = _facets(await datasette.client.get(f"{path}&article_id__gte=-1"))["entity"]

    assert counted == grouped
    assert not plans or any(detail.startswith("SEARCH") and detail.endswith("value=?)")
                            for detail in plans), plans
    assert sorted_ties > 0 or plans  # a walk is made whenever ties pass the bound
    assert len(counted) - 1 == facet_size and counted[-1]  # cut, with more to show


@pytest.mark.parametrize("path", ["launches.json?_size=5", "launches.json?_size=5&modality=launched",
                                  "launches.json?_size=5&_sort=coverage",
                                  "articles.json?_size=5&_search=launch"])
async def test_a_later_page_has_its_first_pages_facets(crawled_db: Path, path: str) -> None:
    """Datasette's facets on page 2 counted only the rows after the cursor (#17)."""
    from urllib.parse import urlsplit

    datasette = make_datasette(crawled_db, private=True)
    first = await datasette.client.get(f"/{crawled_db.stem}/{path}&_extra=facet_results")
    following = urlsplit(first.json()["next_url"])
    later = await datasette.client.get(f"{following.path}?{following.query}")

    assert _facets(later) == _facets(first) and _facets(first)
    assert later.json()["rows"] and later.json()["rows"] != first.json()["rows"]


@pytest.mark.parametrize("sort", ["id", "first_seen", "last_seen", "updated", "date", "coverage",
                                  "modality", "story_key"])
@pytest.mark.parametrize("descending", [False, True])
async def test_paging_by_each_offered_sort_lists_every_row_once_in_order(
        crawled_db: Path, sort: str, descending: bool) -> None:
    """The next page's condition is rewritten to walk the sort's index (publish/keyset.py):
    the pages still hold every row once, in the sort's order, nulls included."""
    import sqlite_utils
    from urllib.parse import urlsplit

    datasette = make_datasette(crawled_db)
    key = "_sort_desc" if descending else "_sort"
    url = f"/{crawled_db.stem}/launches.json?{key}={sort}&_size=4&_shape=objects"
    seen = []
    while url:
        page = (await datasette.client.get(url)).json()
        seen += [row["id"] for row in page["rows"]]
        url = page["next_url"] and "{0.path}?{0.query}".format(urlsplit(page["next_url"]))
    # SQLite orders nulls first ascending, last descending; ties by id ascending.
    expected = [row[0] for row in sqlite_utils.Database(crawled_db).execute(
        f"select id from launches order by [{sort}] {'desc' if descending else ''}, id")]
    assert seen == expected
