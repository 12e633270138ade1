"""Deny by default (#12): a public site answers for its allow-list of tables, views and canned
queries, and for nothing else, in any format; `serve --private` shows everything."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlite_utils
import yaml

from publish.access import PUBLIC_QUERIES, PUBLIC_TABLES
from publish.site import METADATA, make_datasette
from tests.publish.stories import story_db

QUERIES = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["launchwire"]["queries"]
# Every way Datasette shows a table or view: page, JSON shapes, CSV, facets, search, sort, rows.
VARIANTS = ["", ".json", ".csv", "?_shape=array", ".json?_shape=objects", ".json?_shape=arrayfirst",
            "?_facet={column}", ".json?_facet={column}", "?_search=a", ".json?_search=a",
            ".csv?_search=a", ".json?_sort={column}", ".csv?_stream=on", ".json?_labels=on",
            "?{column}__not=zz"]
# These may be a 4xx on an open table too: no row 1, a compound key, a column not an array.
MAY_REFUSE = ["/1", "/1.json", "/1.csv", ".json?_facet_array={column}"]
INTROSPECTION = ["metadata", "versions", "settings", "config", "threads", "databases", "actor",
                 "plugins", "permissions", "messages", "allow-debug", "patterns", "auth-token",
                 "logout"]


def _every_name(db_path: Path) -> list[str]:
    db = sqlite_utils.Database(db_path)
    return db.table_names() + db.view_names()


async def _statuses(datasette, db_path: Path, name: str) -> dict[str, int]:
    column = next(iter(sqlite_utils.Database(db_path)[name].columns_dict))
    found = {}
    for variant in VARIANTS + MAY_REFUSE:
        path = f"/{db_path.stem}/{quote(name)}" + variant.format(column=quote(column))
        found[path] = (variant in MAY_REFUSE, (await datasette.client.get(path)).status_code)
    return found


@pytest.mark.slow
async def test_only_the_allow_list_answers_in_every_format(crawled_db: Path) -> None:
    datasette = make_datasette(crawled_db)
    names = _every_name(crawled_db)
    assert PUBLIC_TABLES <= set(names)
    assert {"articles_fts_data", "articles_fts_idx", "launches_fts_data", "pages"} <= set(names)
    wrong = []
    for name in names:
        for path, (may_refuse, status) in (await _statuses(datasette, crawled_db, name)).items():
            if name not in PUBLIC_TABLES and status not in (403, 404):
                wrong.append((path, status))
            elif name in PUBLIC_TABLES and status != 200 and not (may_refuse and status < 500):
                wrong.append((path, status))
    assert wrong == []


async def test_a_table_or_search_index_added_later_is_closed(tmp_path: Path) -> None:
    path = story_db(tmp_path / "later.db", "Kivo launches an AI companion", "Kivo")
    db = sqlite_utils.Database(path)
    db["newsroom_notes"].insert({"id": 1, "note": "the whole article, pasted"}, pk="id")
    db["newsroom_notes"].enable_fts(["note"])
    datasette = make_datasette(path)
    for name in ["newsroom_notes", "newsroom_notes_fts", "newsroom_notes_fts_data",
                 "newsroom_notes_fts_idx", "newsroom_notes_fts_docsize", "newsroom_notes_fts_config"]:
        for suffix in ("", ".json", ".csv", "?_search=article"):
            response = await datasette.client.get(f"/{path.stem}/{name}{suffix}")
            assert response.status_code == 403, (name, suffix)
            assert "pasted" not in response.text


@pytest.mark.parametrize("path", [
    "/{db}?sql=select+text+from+articles", "/{db}.json?sql=select+1", "/{db}.csv?sql=select+1",
    "/{db}/launches?_where=1", "/{db}.db",
    '/{db}/launches?_through={{"table":"pages","column":"article_id","value":"1"}}',
])
async def test_no_arbitrary_sql_and_no_download(tmp_path: Path, path: str) -> None:
    db_path = story_db(tmp_path / "site.db", "Kivo launches an AI companion", "Kivo")
    response = await make_datasette(db_path).client.get(path.format(db=db_path.stem))
    assert response.status_code == 403


async def test_a_canned_query_ignores_sql_in_its_url(tmp_path: Path) -> None:
    db_path = story_db(tmp_path / "site.db", "Kivo launches an AI companion", "Kivo")
    response = await make_datasette(db_path).client.get(
        f"/{db_path.stem}/latest_launches.json?sql=select+text+from+articles&_shape=array")
    assert response.status_code == 200 and "launched Kivo App today" not in response.text


@pytest.mark.parametrize("page", INTROSPECTION)
async def test_datasettes_introspection_pages_are_closed_on_a_public_site(tmp_path: Path,
                                                                          page: str) -> None:
    db_path = story_db(tmp_path / "site.db", "Kivo launches an AI companion", "Kivo")
    datasette = make_datasette(db_path)
    for path in (f"/-/{page}", f"/-/{page}.json"):
        response = await datasette.client.get(path)
        assert response.status_code == 404, path
        assert str(db_path) not in response.text


async def test_listings_name_only_the_allow_list_and_never_the_file(tmp_path: Path) -> None:
    db_path = story_db(tmp_path / "site.db", "Kivo launches an AI companion", "Kivo")
    datasette = make_datasette(db_path)
    listing = (await datasette.client.get(f"/{db_path.stem}.json")).json()
    assert {t["name"] for t in listing["tables"] + listing["views"]} <= PUBLIC_TABLES
    assert {q["name"] for q in listing["queries"]} <= PUBLIC_QUERIES
    for path in ("/", "/.json", f"/{db_path.stem}", f"/{db_path.stem}.json"):
        text = (await datasette.client.get(path)).text
        assert str(db_path) not in text and str(tmp_path) not in text, path
        linked = set(re.findall(rf'href="/{db_path.stem}/(\w+)', text))
        assert linked <= PUBLIC_TABLES | PUBLIC_QUERIES, (path, linked)


async def test_a_private_site_shows_everything_a_public_one_closes(tmp_path: Path) -> None:
    db_path = story_db(tmp_path / "site.db", "Kivo launches an AI companion", "Kivo")
    datasette = make_datasette(db_path, private=True)
    for path in ("/{db}/articles_fts_data.json", "/{db}/pages", "/{db}/facts.json",
                 "/{db}.json?sql=select+1", "/-/versions.json", "/-/databases.json"):
        response = await datasette.client.get(path.format(db=db_path.stem))
        assert response.status_code == 200, path


def test_every_canned_query_is_listed_and_reads_sentences_only_through_public_views() -> None:
    assert set(QUERIES) == PUBLIC_QUERIES
    raw = re.compile(r"\b(from|join)\s+(mentions|metrics|facts)\b", re.IGNORECASE)
    for name, query in QUERIES.items():
        assert "a.text" not in query["sql"], name  # never the publishers' full text
        if "sentence" in query["sql"]:
            assert not raw.search(query["sql"]), name
