"""A table page's search for a common word (#17): the rows Datasette's own search gives, an
exact count, facets of its newest matches; shrunk here so that a small database is common."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from publish import reads
from publish.site import make_datasette
from tests.publish.stories import add_story

# Stored out of date order, so that the newest stored matches are not the newest published.
MONTHS = [7, 2, 11, 1, 5, 9, 12, 4, 10, 3, 8, 6]
RANKED = 3
# Each table searched, its default order and its search index (whose rowid is the row's id).
TABLES = {"launches": "first_seen desc", "articles_public": "published desc"}
INDEX = {"launches": "launches_fts", "articles_public": "articles_fts"}


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "archive.db"
    for number, month in enumerate(MONTHS):
        # "beacon" in all twelve (common here), "cobalt" in three (not: RANKED is not more).
        words = "beacon" + (" cobalt" if number % 4 == 0 else "")
        name = f"Dunmore{number}"
        add_story(path, f"{name} ships a {words} tracker", name,
                  url=f"https://news.example/{number}", published=f"2025-{month:02d}-03",
                  text=f"{name} launched {name} App today, a {words} tracker.")
    monkeypatch.setattr(reads, "RANKED_MATCHES", RANKED)
    return path


async def _json(path: Path, url: str) -> dict[str, Any]:
    response = await make_datasette(path, page_cache_mb=0).client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    return response.json()


def _matching(path: Path, table: str, word: str, newest: int | None = None) -> list[dict]:
    """The table's rows matching `word`, by rowid; only the newest `newest` of them if given."""
    db = sqlite_utils.Database(path)
    index = INDEX[table]
    limit = f"order by rowid desc limit {newest}" if newest else ""
    rowids = {row[0] for row in db.execute(
        f"select rowid from {index} where {index} match ? {limit}", [word])}
    return [row for row in db.query(f"select * from {table}") if row["id"] in rowids]


def _ordered(rows: list[dict], order: str) -> list[Any]:
    column, direction = order.split()
    return [row["id"] for row in sorted(rows, key=lambda row: row[column],
                                        reverse=direction == "desc")]


async def _every_page(path: Path, url: str) -> tuple[list[Any], dict]:
    """Every row's key over all the pages from `url`, and the first page."""
    first = page = await _json(path, url)
    keys = []
    while True:
        keys += [row["id"] for row in page["rows"]]
        if not page["next_url"]:
            return keys, first
        following = urlsplit(page["next_url"])
        page = await _json(path, f"{following.path}?{following.query}")


@pytest.mark.parametrize("table", TABLES)
async def test_a_common_word_lists_every_match_in_order_and_facets_its_newest(
        archive: Path, table: str) -> None:
    order = TABLES[table]
    keys, first = await _every_page(
        archive, f"/archive/{table}.json?_search=beacon&_size=5&_shape=objects")
    every = _matching(archive, table, "beacon")
    assert keys == _ordered(every, order)
    assert first["filtered_table_rows_count"] == len(every) > RANKED
    assert f"facets count its newest {RANKED} matches" in first["human_description_en"]
    newest = _matching(archive, table, "beacon", newest=RANKED)
    assert first["facet_results"]
    for name, facet in first["facet_results"].items():
        counts = {item["value"]: item["count"] for item in facet["results"]}
        assert counts == dict(Counter(row[facet["name"]] for row in newest)), name
        # In Datasette's order: the most rows first, ties by value.
        shown = [(-item["count"], item["value"]) for item in facet["results"]]
        assert shown == sorted(shown), name


@pytest.mark.parametrize("table", TABLES)
async def test_a_common_word_in_another_order_sorts_its_newest_matches(
        archive: Path, table: str) -> None:
    column = "story_key" if table == "launches" else "id"
    found = await _json(archive, f"/archive/{table}.json?_search=beacon&_sort={column}"
                        "&_shape=objects")
    newest = _matching(archive, table, "beacon", newest=RANKED)
    assert [row["id"] for row in found["rows"]] == _ordered(newest, f"{column} asc")
    assert found["filtered_table_rows_count"] == RANKED
    assert f"among its newest {RANKED} matches" in found["human_description_en"]


@pytest.mark.parametrize("table", TABLES)
async def test_a_rare_word_is_searched_as_datasette_does(archive: Path, table: str) -> None:
    order = TABLES[table]
    found = await _json(archive, f"/archive/{table}.json?_search=cobalt&_shape=objects")
    every = _matching(archive, table, "cobalt")
    assert [row["id"] for row in found["rows"]] == _ordered(every, order)
    assert found["filtered_table_rows_count"] == len(every) == RANKED
    assert found["human_description_en"].startswith('where search matches "cobalt" sorted')
    assert found["facet_results"]
    for name, facet in found["facet_results"].items():
        counts = {item["value"]: item["count"] for item in facet["results"]}
        assert counts == dict(Counter(row[facet["name"]] for row in every)), name


async def test_a_common_word_among_other_filters_is_counted_exactly(archive: Path) -> None:
    months = [f"2025-{month:02d}" for month in MONTHS[:5]]
    query = f"month__in={','.join(months)}"
    found = await _json(archive, f"/archive/articles_public.json?_search=beacon&{query}"
                        "&_shape=objects")
    every = [row for row in _matching(archive, "articles_public", "beacon")
             if row["month"] in months]
    assert [row["id"] for row in found["rows"]] == _ordered(every, "published desc")
    assert found["filtered_table_rows_count"] == len(every) == 5


async def test_a_malformed_raw_search_is_refused_as_datasette_refuses_it(archive: Path) -> None:
    response = await make_datasette(archive).client.get(
        '/archive/articles_public?_search=beacon"&_searchmode=raw')
    assert response.status_code == 400
