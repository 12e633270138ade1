"""The Datasette site through Datasette's own test client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import launchwire
from db import connect, store
from db.schema import COUNTED_COLUMNS
from publish.site import make_datasette, site_metadata

HOSTILE_TITLE = "Brightloop buys Tandem Notes <script>alert('x')</script> for $40M"


@pytest.fixture
def site_db(db_path: Path) -> Path:
    db = connect(db_path)
    store.upsert_source(db, {"name": "startupsignal", "homepage": "http://sample.test/"})
    for number, (title, month) in enumerate([
            ("Tallyworks launches Ledgerly for freelancers", "2026-05"),
            (HOSTILE_TITLE, "2026-07")]):
        store.insert_article(db, {
            "url": f"http://sample.test/p/{number}", "source": "startupsignal", "title": title,
            "text": title + ". " + "Body text about the deal and the launch. " * 10,
            "published": f"{month}-05T10:00:00+00:00", "fetched_at": "2026-08-01T00:00:00+00:00"})
    store.prepare_for_serving(db)
    return db_path


async def test_home_page_has_launchwire_metadata(site_db: Path) -> None:
    response = await make_datasette(site_db).client.get("/")
    assert response.status_code == 200
    assert "Product launches from the tech press" in response.text
    assert "/-/static-plugins/launchwire/launchwire.css" in response.text
    assert f"launchwire {launchwire.__version__}" in response.text


def test_the_site_imports_no_shell_module() -> None:
    """publish/ reads the version from the installed distribution, never from the shell (#15)."""
    code = "import sys, publish, publish.export; print(sorted(m for m in sys.modules " \
           "if m.split('.')[0] == 'launchwire'))"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


async def test_plugin_is_installed_with_its_static_files(site_db: Path) -> None:
    datasette = make_datasette(site_db, private=True)  # a public site lists no plugins
    plugins = (await datasette.client.get("/-/plugins.json")).json()
    assert "launchwire" in {plugin["name"] for plugin in plugins}
    css = await datasette.client.get("/-/static-plugins/launchwire/launchwire.css")
    assert css.status_code == 200 and "launchwire" in css.text


@pytest.mark.parametrize("path", ["/no-such-database/nothing", "/-/no/such/route/at/all",
                                  "/no-such-database.json"])
async def test_unknown_page_is_a_404_not_a_crash(site_db: Path, path: str) -> None:
    response = await make_datasette(site_db).client.get(path)
    assert response.status_code == 404


async def test_search_finds_launch_articles_on_the_public_view(site_db: Path) -> None:
    response = await make_datasette(site_db).client.get(
        f"/{site_db.stem}/articles_public.json?_search=launch&_shape=array")
    rows = response.json()
    assert "Tallyworks launches Ledgerly for freelancers" in [row["title"] for row in rows]
    assert all("text" not in row for row in rows)  # the publisher's full text is not shown


async def test_public_articles_have_facets_on_source_and_month(site_db: Path) -> None:
    response = await make_datasette(site_db).client.get(f"/{site_db.stem}/articles_public.json")
    facets = response.json()["facet_results"]
    assert {"source", "month"} <= set(facets)
    assert {row["value"] for row in facets["month"]["results"]} == {"2026-05", "2026-07"}


@pytest.mark.parametrize("path", ["/{db}/articles", "/{db}/articles.json", "/{db}/pages",
                                  "/{db}/articles_fts", "/{db}.json?sql=select+text+from+articles"])
async def test_a_public_site_never_shows_full_text(site_db: Path, path: str) -> None:
    response = await make_datasette(site_db).client.get(path.format(db=site_db.stem))
    assert response.status_code == 403


async def test_a_private_site_shows_everything(site_db: Path) -> None:
    datasette = make_datasette(site_db, private=True)
    rows = (await datasette.client.get(f"/{site_db.stem}/articles.json?_shape=array")).json()
    assert all(row["text"].startswith(row["title"]) for row in rows)
    sql = await datasette.client.get(f"/{site_db.stem}.json?sql=select+count(*)+as+n+from+articles&_shape=array")
    assert sql.json() == [{"n": 2}]


@pytest.mark.parametrize("path", ["/{db}/articles_public", "/{db}/articles_public?_search=Brightloop"])
async def test_script_in_a_title_is_shown_as_text(site_db: Path, path: str) -> None:
    response = await make_datasette(site_db).client.get(path.format(db=site_db.stem))
    assert response.status_code == 200
    assert "&lt;script&gt;alert(" in response.text
    assert "<script>alert(" not in response.text


async def test_launches_table_is_published(site_db: Path) -> None:
    response = await make_datasette(site_db).client.get(f"/{site_db.stem}/launches")
    assert response.status_code == 200
    assert "One row per launch story" in response.text


def test_metadata_follows_the_database_file_name(tmp_path: Path) -> None:
    metadata = site_metadata(tmp_path / "newsroom.db")
    assert "articles" in metadata["databases"]["newsroom"]["tables"]
    described = metadata["databases"]["newsroom"]["tables"]["articles"]["columns"]
    db = connect(tmp_path / "newsroom.db")
    assert set(described) == set(db.table("articles").columns_dict) - {"id"}


def test_every_table_and_column_is_described(tmp_path: Path) -> None:
    db = connect(tmp_path / "launchwire.db")
    tables = site_metadata(tmp_path / "launchwire.db", private=True)["databases"]["launchwire"]["tables"]
    for name in db.table_names() + db.view_names():
        if "_fts" in name:
            continue  # the search index's own tables
        assert tables.get(name, {}).get("description"), name
        undescribed = set(db[name].columns_dict) - {"id"} - set(tables[name].get("columns", {}))
        assert not undescribed, (name, undescribed)


async def test_searchable_tables_offer_the_ranked_search(site_db: Path) -> None:
    response = await make_datasette(site_db).client.get(
        f"/{site_db.stem}/articles_public?_search=launch")
    assert response.status_code == 200
    assert 'action="/-/search"' in response.text
    assert 'href="/-/search?q=launch"' in response.text


async def test_a_hostile_search_is_shown_as_text(site_db: Path) -> None:
    response = await make_datasette(site_db).client.get(
        f"/{site_db.stem}/articles_public", params={"_search": '"><script>alert(1)</script>'})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text


# The tables and views a year's archive makes large: every sort they offer must read an index.
LARGE = ("articles", "articles_public", "launches", "mentions_public", "metrics_public",
         "facts_public")


def test_every_sort_a_large_table_offers_reads_an_index(tmp_path: Path) -> None:
    """A sort without an index sorts every row: 330 ms to past the time limit at a million
    articles (#17). So a large table offers only the sorts its indexes give, both ways."""
    db = connect(tmp_path / "launchwire.db")
    tables = site_metadata(tmp_path / "launchwire.db", private=True)["databases"]["launchwire"]["tables"]
    for name in LARGE:
        offered = tables[name].get("sortable_columns")
        assert offered, f"{name} offers every column as a sort"
        assert {tables[name].get("sort"), tables[name].get("sort_desc")} - {None} <= set(offered)
        for column in offered:
            for direction in ("", " desc"):
                plan = " / ".join(row[3] for row in db.execute(
                    f"explain query plan select * from [{name}] "
                    f"order by [{column}]{direction} limit 31").fetchall())
                assert "TEMP B-TREE" not in plan, (name, column, direction, plan)


def test_a_page_narrowed_to_a_counted_value_reads_its_rows_by_an_index(tmp_path: Path) -> None:
    """`?column=value` on a counted column is served as a cheap page (publish/inline.py): its
    rows in the page's order must come from an index, not a walk of the whole table (#17)."""
    from publish.facets import COUNTED_VIEWS, counted_column

    db = connect(tmp_path / "launchwire.db")
    tables = site_metadata(tmp_path / "launchwire.db", private=True)["databases"]["launchwire"]["tables"]
    views = {table: view for view, table in COUNTED_VIEWS.items()}
    for table, columns in COUNTED_COLUMNS.items():
        for name in (table, views.get(table)):
            if name is None:
                continue
            order = tables[name].get("sort_desc") or tables[name].get("sort")
            for column in columns:
                if counted_column(name, column) is None:
                    continue
                plan = " / ".join(row[3] for row in db.execute(
                    f"explain query plan select * from [{name}] where [{column}] = 1 "
                    + (f"order by [{order}] desc " if order else "") + "limit 31").fetchall())
                assert "TEMP B-TREE" not in plan and "SCAN" not in plan.split(" / ")[0], (
                    name, column, plan)


def test_a_page_narrowed_to_two_counted_values_reads_its_rows_by_an_index(tmp_path: Path) -> None:
    """`?a=x&b=y` on two counted columns is a cheap page too (publish/inline.py): its rows in
    the page's order come from an index's range, which holds only its rows or those of one
    entity or company, not from a walk of one value's rows looking for the other (#17)."""
    from itertools import combinations

    from publish.facets import COUNTED_VIEWS, counted_column

    db = connect(tmp_path / "launchwire.db")
    site = site_metadata(tmp_path / "launchwire.db", private=True)
    tables = site["databases"]["launchwire"]["tables"]
    views = {table: view for view, table in COUNTED_VIEWS.items()}
    checked = 0
    for table, columns in COUNTED_COLUMNS.items():
        for name in (table, views.get(table)):
            if name is None:
                continue
            order = tables[name].get("sort_desc") or tables[name].get("sort")
            for first, second in combinations(columns, 2):
                if not all(counted_column(name, column) for column in (first, second)):
                    continue
                plan = [row[3] for row in db.execute(
                    f"explain query plan select * from [{name}] where [{first}] = 1 "
                    f"and [{second}] = 2 " + (f"order by [{order}] desc " if order else "")
                    + "limit 31").fetchall()]
                assert "TEMP B-TREE" not in " / ".join(plan), (name, first, second, plan)
                # Both columns bound in the index's range, or the one naming an entity.
                assert (f"{first}=? AND {second}=?" in plan[0]
                        or f"{second}=? AND {first}=?" in plan[0]
                        or {"company_id=?", "entity_id=?"} & set(plan[0].split(" (")[-1][:-1]
                                                                 .split(" AND "))), (
                    name, first, second, plan)
                checked += 1
    assert checked >= 10
