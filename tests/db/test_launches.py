"""Launch stories in a real SQLite file: incremental, stable, merged when one product."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from db import connect, store
from launchwire import stages
from launchwire.evaluate import cluster_day_by_day
from launchwire.settings import load_settings
from launchwire.evaluate_team import STORIES_SET, load_set


def _partition(labels: dict[str, str | None]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for item, label in labels.items():
        if label is not None:
            groups.setdefault(label, set()).add(item)
    return {frozenset(group) for group in groups.values()}


@pytest.mark.slow
def test_day_by_day_clustering_equals_clustering_everything_at_once(nlp, tmp_path: Path) -> None:
    articles = sorted(load_set(STORIES_SET), key=lambda a: a["published"])[:60]
    daily = cluster_day_by_day(articles, tmp_path / "daily.db", nlp)
    # Everything at once: one process, one cluster.
    once = cluster_day_by_day([{**a, "published": a["published"]} for a in articles],
                              tmp_path / "once.db", nlp, by_day=False)
    assert _partition(daily) == _partition(once)
    assert len(_partition(daily)) >= 8


def _add(db: sqlite_utils.Database, url: str, product: str, day: str, about: bool = True,
         text: str | None = None) -> int:
    store.upsert_source(db, {"name": "Example", "homepage": "https://news.example/"})
    text = text or f"{product} was launched today by its maker, the company said on {day}."
    article_id = store.insert_article(db, {
        "url": url, "source": "Example", "title": f"{product} launches", "text": text,
        "published": f"{day}T09:00:00+00:00", "fetched_at": f"{day}T10:00:00+00:00"})
    fact = {"company": "Moxun", "product": product, "product_label": "APP", "about": about,
            "modality": "launched", "date": day, "sentence": text, "start": 0, "end": len(text)}
    store.save_analysis(db, article_id, {
        "entities": [], "metrics": [], "launches": [fact], "launch_facts": [fact],
        "summary": text, "summary_sentences": [text], "kind": "launch"}, "v1")
    return article_id


def test_ids_stay_and_a_reprocessed_article_returns_to_its_story(fresh_db: sqlite_utils.Database) -> None:
    first = _add(fresh_db, "https://news.example/1", "Kivo", "2025-09-01")
    stages.cluster_launches(fresh_db)
    launch = next(fresh_db.query("select id, story_key from launches"))
    _add(fresh_db, "https://news.example/2", "Kivo", "2025-09-02")
    assert stages.cluster_launches(fresh_db) == 1
    # Re-processed (a new pipeline version): it leaves its story and is placed again.
    store.save_analysis(fresh_db, first, {
        "entities": [], "metrics": [], "launches": [], "launch_facts": [], "summary": "",
        "summary_sentences": [], "kind": "coverage"}, "v2")
    assert stages.cluster_launches(fresh_db) == 1
    again = next(fresh_db.query("select id, story_key, coverage from launches"))
    assert (again["id"], again["story_key"]) == (launch["id"], launch["story_key"])
    assert fresh_db.execute("select clustered_at is not null from articles where id = ?",
                            [first]).fetchone()[0] == 1


def test_stories_merge_when_their_products_turn_out_to_be_one(fresh_db: sqlite_utils.Database) -> None:
    _add(fresh_db, "https://news.example/en", "Kivo", "2025-09-01",
         text="Moxun launched Kivo, an AI companion that remembers your week.")
    _add(fresh_db, "https://news.example/cn", "Kewo", "2025-09-01",
         text="Kewo App officially online, netizens say its memory function is very strong.")
    assert stages.cluster_launches(fresh_db) == 2
    keys = {row["story_key"]: row["id"] for row in fresh_db.query("select * from launches")}
    # The entity table learns that Kewo is Kivo's Chinese name.
    fresh_db.execute("update entities set aliases = ? where name = 'Kivo'", [json.dumps(["Kewo"])])
    _add(fresh_db, "https://news.example/later", "Kivo", "2025-09-03")
    assert stages.cluster_launches(fresh_db) == 1
    story = next(fresh_db.query("select * from launches"))
    assert story["id"] == min(keys.values()) and story["coverage"] == 3
    merged = {row["story_key"]: row["launch_id"] for row in fresh_db.query("select * from launch_merges")}
    assert merged == {key: story["id"] for key in keys if keys[key] != story["id"]}


def test_a_killed_cluster_run_leaves_the_stories_as_they_were(db_path: Path) -> None:
    db = connect(db_path)
    _add(db, "https://news.example/1", "Kivo", "2025-09-01")
    stages.cluster_launches(db)
    before = list(db.query("select * from launches"))
    _add(db, "https://news.example/2", "Kivo", "2025-09-02")
    db.execute("create trigger boom before update on launches begin "
               "select raise(abort, 'killed'); end")
    with pytest.raises(Exception, match="killed"):
        stages.cluster_launches(db)
    db.execute("drop trigger boom")
    assert list(db.query("select * from launches")) == before
    assert db.execute("select count(*) from articles where clustered_at is null").fetchone()[0] == 1
    assert stages.cluster_launches(db) == 1


def test_process_stage_accepts_a_loaded_pipeline(nlp, db_path: Path) -> None:
    db = connect(db_path)
    store.upsert_source(db, {"name": "Example", "homepage": "https://news.example/"})
    store.insert_article(db, {"url": "https://news.example/a", "source": "Example",
                              "title": "Meta launches Threads", "text": "Meta launched Threads.",
                              "published": "2023-07-05T22:00:00+00:00",
                              "fetched_at": "2023-07-05T22:00:00+00:00"})
    assert stages.process(load_settings({"db": str(db_path)}), pipeline=nlp).analysed == 1
    assert stages.cluster_launches(db) == 1


def test_a_story_summary_leads_with_the_launch_and_names_each_outlet(fresh_db: sqlite_utils.Database) -> None:
    first = _add(fresh_db, "https://news.example/1", "Kivo", "2025-09-01",
                 text="Moxun launched Kivo, an AI companion that remembers your week.")
    _add(fresh_db, "https://news.example/2", "Kivo", "2025-09-02",
         text="Kivo passed one million sign-ups in its first two days, Moxun said.")
    stages.cluster_launches(fresh_db)
    story = next(fresh_db.query("select * from launches"))
    sources = json.loads(story["summary_sources"])
    assert sources[0] == {"sentence": "Moxun launched Kivo, an AI companion that remembers your week.",
                          "article_id": first, "source": "Example"}
    assert story["summary"].startswith(sources[0]["sentence"] + " (Example)")
    assert story["headline"] == "Kivo launches" and story["first_article_id"] == first
    assert (story["launched_on"], story["coverage"]) == ("2025-09-01", 2)
