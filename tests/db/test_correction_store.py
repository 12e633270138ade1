"""Corrections applied to stored analyses and stories in a real SQLite file (#16)."""

from __future__ import annotations

from datetime import date

import sqlite_utils

from db import corrections, store
from launchwire import stages
from nlp.corrections import Correction, make_correction


def _add(db: sqlite_utils.Database, url: str, day: str = "2026-03-10") -> int:
    """An article on Ferrowave's Quillo launch, as `process` would store its analysis."""
    store.upsert_source(db, {"name": "Example", "homepage": "https://news.example/"})
    text = ("Ferrowave launched Quillo, a voice journal. Quillo has 40,000 users, "
            "Ferrowave said. Inkwell Labs also ships Quillo Notes.")
    article_id = store.insert_article(db, {
        "url": url, "source": "Example", "title": "Ferrowave launches Quillo",
        "text": f"{text} ({url})",  # one text per URL: a copy would not be stored
        "published": f"{day}T09:00:00+00:00", "fetched_at": f"{day}T10:00:00+00:00"})
    fact = {"company": "Ferrowave", "product": "Quillo", "product_label": "APP",
            "modality": "launched", "date": day, "sentence": text[:43], "start": 0, "end": 43}
    store.save_analysis(db, article_id, {
        "entities": [
            {"text": "Ferrowave", "label": "COMPANY", "canonical": "Ferrowave",
             "sentence": text[:43], "start": 0, "end": 9},
            {"text": "Inkwell Labs", "label": "COMPANY", "canonical": "Ferrowave",
             "sentence": text[83:], "start": 83, "end": 95}],
        "metrics": [{"subject": "Quillo", "subject_label": "APP", "metric": "users",
                     "value": 40000, "unit": "users", "modality": "reported",
                     "text": "40,000 users", "sentence": text[44:82], "start": 55, "end": 67}],
        "launches": [fact], "launch_facts": [fact], "summary": text,
        "summary_sentences": [text], "kind": "launch"}, "v1")
    return article_id


def _made(kind: str, **fields: object) -> Correction:
    return make_correction(kind, fields, f"why {kind}", date(2026, 12, 1))


def _mentions(db: sqlite_utils.Database) -> dict[str, str]:
    return {row["text"]: row["name"] for row in db.query(
        "select m.text, e.name from mentions m join entities e on e.id = m.entity_id")}


def test_merge_split_and_aliases_move_references_once(fresh_db: sqlite_utils.Database) -> None:
    article = _add(fresh_db, "https://news.example/1")
    stages.cluster_launches(fresh_db)
    fixes = [_made("merge", entity="Ferrowave", into="Ferrowave Labs"),
             _made("split", entity="Inkwell Labs", **{"from": "Ferrowave Labs"})]
    # Limited to other articles (those a `process` run analysed), it leaves this one be.
    assert corrections.apply_to_analyses(fresh_db, fixes, "d", only=[article + 1]) == 0
    assert corrections.applied_digest(fresh_db) is None
    assert corrections.apply_to_analyses(fresh_db, fixes, "d") == 1
    assert corrections.applied_digest(fresh_db) == "d"
    assert _mentions(fresh_db) == {"Ferrowave": "Ferrowave Labs", "Inkwell Labs": "Inkwell Labs"}
    company = fresh_db.execute("select e.name from facts f join entities e on e.id = f.company_id"
                               ).fetchone()[0]
    assert company == "Ferrowave Labs"
    # The article is placed again from its corrected facts; a second run changes nothing.
    assert fresh_db.execute("select clustered_at from articles where id = ?",
                            [article]).fetchone()[0] is None
    assert corrections.apply_to_analyses(fresh_db, fixes, "d") == 0
    fresh_db.execute("update entities set aliases = '[\"Quill\"]' where name = 'Quillo'")
    corrections.apply_to_analyses(fresh_db, [
        _made("alias-remove", entity="Quillo", alias="Quill"),
        _made("alias-add", entity="Ferrowave Labs", alias="Inkwell Labs")], "e", only=[article])
    aliases = dict(fresh_db.execute("select name, aliases from entities where name in "
                                    "('Quillo', 'Ferrowave Labs')").fetchall())
    assert aliases == {"Quillo": "[]", "Ferrowave Labs": '["Ferrowave", "Inkwell Labs"]'}
    assert _mentions(fresh_db)["Inkwell Labs"] == "Ferrowave Labs"


def test_wrong_figures_and_facts_are_dropped(fresh_db: sqlite_utils.Database) -> None:
    _add(fresh_db, "https://news.example/1")
    _add(fresh_db, "https://news.example/2", day="2026-03-11")
    fixes = [_made("figure-wrong", article="https://news.example/1", metric="users",
                   value=40000),
             _made("fact-wrong", article="https://news.example/2", product="Quillo"),
             _made("fact-wrong", article="https://news.example/none")]
    assert corrections.apply_to_analyses(fresh_db, fixes, "d") == 2
    assert [r[0] for r in fresh_db.execute(
        "select a.url from metrics m join articles a on a.id = m.article_id")] == [
        "https://news.example/2"]
    assert [r[0] for r in fresh_db.execute(
        "select a.url from facts f join articles a on a.id = f.article_id")] == [
        "https://news.example/1"]


def test_story_corrections_hold_and_leave_when_taken_out(fresh_db: sqlite_utils.Database) -> None:
    _add(fresh_db, "https://news.example/1")
    stages.cluster_launches(fresh_db)
    key = fresh_db.execute("select story_key from launches").fetchone()[0]
    fixes = [_made("company", story=key, company="Ferrowave Labs"),
             _made("modality", story=key, modality="announced")]
    stages.cluster_launches(fresh_db, fixes)
    story = next(fresh_db.query("select l.*, c.name as company from launches l "
                                "join entities c on c.id = l.company_id"))
    assert (story["company"], story["modality"], story["corrected_on"]) == (
        "Ferrowave Labs", "announced", "2026-12-01")
    assert story["updated"] == "2026-12-01T00:00:00+00:00" and "why modality" in story[
        "corrections"]
    # Only announced: the launch date it was read with goes from its timeline.
    assert (story["launched_on"], story["date"]) == (None, "2026-03-10")
    stages.cluster_launches(fresh_db, [])
    story = next(fresh_db.query("select l.*, c.name as company from launches l "
                                "join entities c on c.id = l.company_id"))
    assert (story["company"], story["modality"], story["corrections"]) == (
        "Ferrowave", "launched", None)
    assert story["launched_on"] == "2026-03-10"
    assert story["updated"].startswith("2026-03-10")
