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
