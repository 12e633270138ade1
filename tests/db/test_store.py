"""Schema and writes on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from db import connect, store
from launchwire.stages import cluster_launches
from publish.reads import ENTITY_PRODUCTS

ARTICLE = {"url": "https://news.example/a", "source": "Example", "title": "Meta launches Threads",
           "text": "Meta launched Threads on Wednesday, a text app tied to Instagram.",
           "published": "2023-07-06T08:15:00+00:00", "fetched_at": "2023-07-06T09:00:00+00:00"}


def _analysis(product: str = "Threads") -> dict:
    return {
        "entities": [{"text": "Meta", "label": "COMPANY", "canonical": "Meta", "start": 0, "end": 4,
                      "sentence": ARTICLE["text"]}],
        "metrics": [],
        "launches": [{"company": "Meta", "product": product, "product_label": "APP",
                      "modality": "launched", "date": "2023-07-05", "sentence": ARTICLE["text"],
                      "start": 0, "end": len(ARTICLE["text"])}],
        "summary": ARTICLE["text"],
    }


def _article(fresh_db: sqlite_utils.Database, **changes: str) -> int:
    store.upsert_source(fresh_db, {"name": "Example", "homepage": "https://news.example/"})
    store.insert_article(fresh_db, {**ARTICLE, **changes})
    return fresh_db.execute("select id from articles where url = ?",
                            [changes.get("url", ARTICLE["url"])]).fetchone()[0]


def test_connect_twice_is_safe_and_sets_pragmas(db_path: Path) -> None:
    connect(db_path)
    db = connect(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"articles", "articles_fts", "entities", "mentions", "metrics", "facts", "launches",
            "launch_articles", "fetches", "feeds", "sources"} <= set(db.table_names())


def test_an_article_is_stored_once(fresh_db: sqlite_utils.Database) -> None:
    first = _article(fresh_db)
    assert store.insert_article(fresh_db, ARTICLE) is None
    # The same story under another URL (a syndicated copy) is the same row.
    copy = {**ARTICLE, "url": "https://other.example/copy", "text": ARTICLE["text"].upper()}
    assert store.insert_article(fresh_db, copy) is None
    assert store.existing_article(fresh_db, copy["url"], copy["text"]) == first
    assert fresh_db.table("articles").count == 1
    row = next(fresh_db.query("select month from articles"))
    assert row["month"] == "2023-07"


def test_search_is_stemmed(fresh_db: sqlite_utils.Database) -> None:
    _article(fresh_db)
    hits = list(fresh_db.table("articles").search("launch"))
    assert [hit["url"] for hit in hits] == [ARTICLE["url"]]


def test_article_from_an_unknown_source_is_refused(fresh_db: sqlite_utils.Database) -> None:
    import sqlite3

    import pytest

    with pytest.raises(sqlite3.IntegrityError):
        store.insert_article(fresh_db, {**ARTICLE, "source": "nobody"})
    assert fresh_db.table("articles").count == 0


def test_save_analysis_replaces_and_resolves_entities(fresh_db: sqlite_utils.Database) -> None:
    article_id = _article(fresh_db)
    store.save_analysis(fresh_db, article_id, _analysis(), "v1")
    store.save_analysis(fresh_db, article_id, _analysis(), "v1")
    assert fresh_db.table("mentions").count == 1 and fresh_db.table("facts").count == 1
    names = {(row["name"], row["label"]) for row in fresh_db.query("select * from entities")}
    assert names == {("Meta", "COMPANY"), ("Threads", "APP")}
    assert list(store.articles_to_process(fresh_db, "v1")) == []
    assert len(list(store.articles_to_process(fresh_db, "v2"))) == 1


def test_launch_ids_are_stable_and_coverage_grows(fresh_db: sqlite_utils.Database) -> None:
    first = _article(fresh_db)
    store.save_analysis(fresh_db, first, _analysis(), "v1")
    assert cluster_launches(fresh_db) == 1
    launch = next(fresh_db.query("select * from launches"))
    second = _article(fresh_db, url="https://news.example/b", published="2023-07-07T08:00:00+00:00",
                      title="Threads passes 30 million sign-ups",
                      text="Threads passed 30 million sign-ups on its first day, Meta said.")
    store.save_analysis(fresh_db, second, _analysis(), "v1")
    assert cluster_launches(fresh_db) == 1
    again = next(fresh_db.query("select * from launches"))
    assert again["id"] == launch["id"] and again["coverage"] == 2
    assert again["headline"] == ARTICLE["title"] and again["first_seen"] == ARTICLE["published"]
    assert fresh_db.table("launch_articles").count == 2


def test_aliases_and_labels_map_to_one_entity_row(fresh_db: sqlite_utils.Database) -> None:
    known = [{"name": "Tencent", "label": "COMPANY", "aliases": ["腾讯"], "parent": None},
             {"name": "WeChat", "label": "APP", "aliases": ["Weixin", "微信"], "parent": "Tencent"}]
    assert store.save_known_entities(fresh_db, known, "g1") is True
    assert store.save_known_entities(fresh_db, known, "g1") is False  # this version is loaded
    wechat = next(fresh_db.query("select * from entities where name = 'WeChat'"))
    tencent = next(fresh_db.query("select id from entities where name = 'Tencent'"))["id"]
    assert wechat["parent_id"] == tencent and json.loads(wechat["aliases"]) == ["Weixin", "微信"]
    article_id = _article(fresh_db)
    analysis = _analysis()
    # "Weixin" in the text is WeChat; a mention labelled differently is still the same row.
    analysis["entities"] = [
        {"text": "Weixin", "label": "APP", "canonical": "WeChat", "start": 0, "end": 6, "sentence": "s"},
        {"text": "WeChat", "label": "COMPANY", "canonical": "WeChat", "start": 10, "end": 16, "sentence": "s"}]
    store.save_analysis(fresh_db, article_id, analysis, "v1")
    rows = list(fresh_db.query("select entity_id, label from mentions order by start"))
    assert [row["entity_id"] for row in rows] == [wechat["id"], wechat["id"]]
    assert [row["label"] for row in rows] == ["APP", "COMPANY"]


def test_passing_launch_facts_are_stored_but_make_no_story(fresh_db: sqlite_utils.Database) -> None:
    article_id = _article(fresh_db)
    analysis = _analysis()
    threads = {**analysis["launches"][0], "platform": "iOS and Android", "price": "free",
               "region": "more than 100 countries", "about": True}
    aside = {**threads, "company": "Google", "product": "Gemini", "about": False,
             "platform": None, "price": None, "region": None}
    store.save_analysis(fresh_db, article_id, {**analysis, "launch_facts": [threads, aside]}, "v1")
    rows = list(fresh_db.query(
        "select e.name, f.about, f.platform, f.region, f.price from facts f "
        "join entities e on e.id = f.product_id order by f.about desc"))
    assert [tuple(row.values()) for row in rows] == [
        ("Threads", 1, "iOS and Android", "more than 100 countries", "free"),
        ("Gemini", 0, None, None, None)]
    assert cluster_launches(fresh_db) == 1
    assert next(fresh_db.query("select e.name from launches l join entities e "
                               "on e.id = l.product_id"))["name"] == "Threads"


def test_a_companys_apps_are_found_by_index_when_most_entities_have_no_parent(
        fresh_db: sqlite_utils.Database) -> None:
    # Statistics over parents that are nearly all null once made the planner read every
    # entity for a company's page (#17); the partial index holds only the few with one.
    fresh_db["entities"].insert_all([{"name": f"Name {n}", "label": "ORG", "slug": f"name-{n}"}
                                     for n in range(300)])
    maker = fresh_db["entities"].insert({"name": "Maker", "label": "ORG", "slug": "maker"}).last_pk
    fresh_db["entities"].insert({"name": "Maker App", "label": "PRODUCT", "slug": "maker-app",
                                 "parent_id": maker})
    fresh_db.execute("ANALYZE")
    plan = " ".join(row[3] for row in fresh_db.execute(
        "explain query plan " + ENTITY_PRODUCTS, {"id": maker}))
    assert "SCAN entities" not in plan and "idx_entities_parent_id" in plan
    assert [row["name"] for row in fresh_db.query(ENTITY_PRODUCTS, {"id": maker})] == ["Maker App"]
