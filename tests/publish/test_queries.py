"""The canned queries journalists use, through Datasette's own test client, on the database
the real crawl of the sample site built."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from publish.site import METADATA, make_datasette

pytestmark = pytest.mark.slow

QUERIES = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["launchwire"]["queries"]


async def _rows(db: Path, query: str, params: str = "") -> list[dict]:
    response = await make_datasette(db).client.get(f"/{db.stem}/{query}.json?{params}&_shape=array")
    assert response.status_code == 200, response.text[:500]
    return response.json()


def test_there_are_at_least_ten_documented_queries() -> None:
    assert len(QUERIES) >= 10
    for name, query in QUERIES.items():
        assert query["title"] and query["description_html"], name
        assert "a.text" not in query["sql"], name  # never the publishers' full text


async def test_latest_launches_newest_first_and_by_stage(crawled_db: Path) -> None:
    rows = await _rows(crawled_db, "latest_launches", "modality=")
    assert len(rows) >= 10
    assert [r["first_seen"] for r in rows] == sorted((r["first_seen"] for r in rows), reverse=True)
    announced = await _rows(crawled_db, "latest_launches", "modality=announced")
    assert announced and {r["modality"] for r in announced} == {"announced"}


async def test_launches_by_company_any_case(crawled_db: Path) -> None:
    rows = await _rows(crawled_db, "launches_by_company", "company=meta")
    assert [r["product"] for r in rows] == ["Threads"]


async def test_metric_history_by_alias_and_kind(crawled_db: Path) -> None:
    rows = await _rows(crawled_db, "metric_history", "name=Spotify&metric=")
    assert rows and {r["metric"] for r in rows} >= {"mau"}
    assert [r["as_of"] for r in rows] == sorted(r["as_of"] for r in rows)
    only = await _rows(crawled_db, "metric_history", "name=spotify&metric=mau")
    assert only and {r["metric"] for r in only} == {"mau"}


async def test_apps_above_a_threshold(crawled_db: Path) -> None:
    rows = await _rows(crawled_db, "apps_above_users", "min_users=100000000")
    assert rows and all(r["mau"] >= 1e8 for r in rows)
    assert "Instagram" in {r["name"] for r in rows}


async def test_rumoured_and_most_covered_and_first(crawled_db: Path) -> None:
    rumoured = await _rows(crawled_db, "rumored_not_confirmed")
    assert all(r["modality"] in {"rumored", "planned"} for r in rumoured)
    covered = await _rows(crawled_db, "most_covered", "days=5000")
    assert covered and covered[0]["articles"] >= covered[-1]["articles"] >= 1
    first = await _rows(crawled_db, "first_to_report")
    threads = next(r for r in first if r["product"] == "Threads")
    assert threads["first_outlet"] == "techpulse" and threads["first_seen"].startswith("2023-07-06")


async def test_disagreeing_figures_name_both_outlets(crawled_db: Path) -> None:
    rows = await _rows(crawled_db, "disagreeing_figures", "since=2000-01")
    assert rows and all(r["values_given"] > 1 and r["outlets"] > 1 and r["lowest"] < r["highest"] for r in rows)


async def test_entities_mentioned_together_and_articles_mentioning(crawled_db: Path) -> None:
    together = await _rows(crawled_db, "mentioned_with", "name=Threads")
    assert together and "Meta" in {r["name"] for r in together}
    assert "Threads" not in {r["name"] for r in together}
    articles = await _rows(crawled_db, "articles_mentioning", "name=Temu")
    assert len(articles) >= 3 and all("text" not in r for r in articles)
    facts = await _rows(crawled_db, "launch_facts_of", "product=threads")
    assert facts and {r["modality"] for r in facts} <= {"launched", "announced", "planned", "rumored"}
    assert any("Threads" in r["sentence"] for r in facts) and all(r["url"] for r in facts)


async def test_every_query_page_renders(crawled_db: Path) -> None:
    datasette = make_datasette(crawled_db)
    for name in QUERIES:
        response = await datasette.client.get(f"/{crawled_db.stem}/{name}")
        assert response.status_code == 200, name
        assert QUERIES[name]["title"] in response.text
