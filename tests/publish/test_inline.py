"""Cheap requests run their SQL in the serving thread; anything that may be costly keeps
Datasette's SQL threads (#17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from publish.inline import cheap_requests
from publish.site import make_datasette

DEFAULTS = {"articles_public": ["source", "month", "kind"], "fetches": ["source", "status"]}
SORTS = {"articles_public": ["id", "published", "source"]}


def _cheap(path: str, query: str = "") -> bool:
    cheap = cheap_requests(lambda database, table: DEFAULTS.get(table, []),
                           lambda database, table: SORTS.get(table, []))
    return cheap({"path": path, "query_string": query.encode()})


@pytest.mark.parametrize("path, query, cheap", [
    ("/", "", True),
    ("/-/launch/12", "", True),
    ("/launchwire/entities/7", "", True),
    ("/launchwire/articles_public", "", True),
    ("/launchwire/articles_public", "_next=100&_size=20", True),
    ("/launchwire/articles_public.json", "_facet=source&_shape=array", True),
    ("/launchwire/launches", "_facet=modality", True),
    # One counted column's value: kept counts, rows by an index; a sort the table offers.
    ("/launchwire/articles_public", "source=Example", True),
    ("/launchwire/launches.json", "modality=launched&_next=20", True),
    ("/launchwire/articles_public", "_sort_desc=source", True),
    # Two counted columns' values: kept pair and triple counts, rows by an index of both.
    ("/launchwire/articles_public", "source=Example&kind=launch", True),
    # Grouping every row, sorting by any column, filtering or searching may each be costly.
    ("/launchwire/articles_public", "_facet=author", False),
    ("/launchwire/articles_public", "_sort=title", False),
    ("/launchwire/articles_public", "source=Example&kind=launch&month=2026-01", False),
    ("/launchwire/articles_public", "source=Example&source=Other", False),
    ("/launchwire/articles_public", "source=Example&author=Someone", False),
    ("/launchwire/articles_public", "_sort=id&source=Example", False),
    ("/launchwire/articles_public", "source=Example&_sort=id", False),
    ("/launchwire/articles_public", "author=Someone", False),
    ("/launchwire/articles_public", "source__contains=Ex", False),
    ("/launchwire/mentions_public", "entity=Acme", False),
    ("/launchwire/articles_public", "_where=1", False),
    ("/launchwire/articles_public", "_search=phone", False),
    ("/-/search", "q=phone", False),
    ("/launchwire/metric_history", "name=Aurora&metric=", False),
    # A private table whose default facets are not counted groups its rows on every page.
    ("/launchwire/fetches", "", False),
    ("/launchwire", "_facet=source", False),
])
def test_only_requests_of_known_cheap_queries_count_as_cheap(path: str, query: str,
                                                             cheap: bool) -> None:
    assert _cheap(path, query) is cheap


def _count_thread_work(datasette: Any) -> list[Any]:
    """What is handed to Datasette's SQL threads from now on, still handed to them."""
    handed: list[Any] = []
    submit = datasette.executor.submit

    def counted_submit(fn: Any, *args: Any, **kwargs: Any) -> Any:
        handed.append(fn)
        return submit(fn, *args, **kwargs)
    datasette.executor.submit = counted_submit
    return handed


async def test_cheap_pages_query_in_the_serving_thread_and_costly_ones_in_sql_threads(
        crawled_db: Path) -> None:
    datasette = make_datasette(crawled_db)
    name = crawled_db.stem
    assert (await datasette.client.get("/")).status_code == 200  # starts the plugin up
    handed = _count_thread_work(datasette)
    for path in ("/", f"/{name}/launches", f"/{name}/articles_public?_next=2",
                 f"/{name}/articles_public?_facet=source&_facet=kind"):
        response = await datasette.client.get(path)
        assert response.status_code == 200, path
    assert handed == []
    rows = (await datasette.client.get(f"/{name}/articles_public.json?_shape=array")).json()
    assert rows and not handed
    narrowed = await datasette.client.get(
        f"/{name}/articles_public.json?_shape=array&source=" + rows[0]["source"])
    assert narrowed.status_code == 200 and not handed  # one counted value: cheap
    assert {row["source"] for row in narrowed.json()} == {rows[0]["source"]}
    filtered = await datasette.client.get(
        f"/{name}/articles_public.json?_shape=array&title__contains=a&source=" + rows[0]["source"])
    assert filtered.status_code == 200
    assert {row["source"] for row in filtered.json()} == {rows[0]["source"]}
    assert handed, "a filtered page's queries go to the SQL threads"
    handed.clear()
    searched = await datasette.client.get("/-/search?q=launch")
    assert searched.status_code == 200 and handed
