"""`launchwire correct`: what it refuses, what it writes, and stages that stop on a
malformed corrections file with its line (#16)."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from click.testing import CliRunner

from db import store
from launchwire import stages
from launchwire.cli import cli


def _story(db: sqlite_utils.Database) -> str:
    store.upsert_source(db, {"name": "Example", "homepage": "https://news.example/"})
    text = "Moxun launched Kivo, an AI companion, on Monday."
    article = store.insert_article(db, {
        "url": "https://news.example/kivo", "source": "Example", "title": "Kivo launches",
        "text": text, "published": "2025-09-01T09:00:00+00:00",
        "fetched_at": "2025-09-01T10:00:00+00:00"})
    fact = {"company": "Moxun", "product": "Kivo", "product_label": "APP",
            "modality": "launched", "sentence": text, "start": 0, "end": len(text)}
    store.save_analysis(db, article, {
        "entities": [], "metrics": [], "launches": [fact], "summary": text,
        "summary_sentences": [text], "kind": "launch"}, "v1")
    stages.cluster_launches(db)
    return db.execute("select story_key from launches").fetchone()[0]


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_correct_writes_beside_the_database_and_cluster_applies_it(
        fresh_db: sqlite_utils.Database, db_path: Path) -> None:
    key = _story(fresh_db)
    result = _invoke("correct", "company", key, "Moxun Labs", "--note", "its full name",
                     "--date", "2026-12-01", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "company set to Moxun Labs" in result.output
    assert 'company = "Moxun Labs"' in (db_path.parent / "corrections.toml").read_text()
    assert _invoke("cluster", "--db", str(db_path)).exit_code == 0
    assert fresh_db.execute("select e.name from launches l join entities e "
                            "on e.id = l.company_id").fetchone()[0] == "Moxun Labs"


def test_a_story_or_article_the_database_never_saw_is_refused_unless_forced(
        fresh_db: sqlite_utils.Database, db_path: Path) -> None:
    _story(fresh_db)
    args = ("correct", "fact-wrong", "https://elsewhere.example/1", "--note", "n",
            "--db", str(db_path))
    refused = _invoke(*args)
    assert refused.exit_code == 1
    assert "no article 'https://elsewhere.example/1'" in refused.output
    assert not (db_path.parent / "corrections.toml").exists()
    assert _invoke(*args, "--force").exit_code == 0
    no_note = _invoke("correct", "merge", "Moxun", "Moxun Labs", "--db", str(db_path))
    assert no_note.exit_code == 2 and "--note" in no_note.output


def test_stages_stop_on_a_malformed_file_naming_its_entry(
        fresh_db: sqlite_utils.Database, db_path: Path) -> None:
    _story(fresh_db)
    (db_path.parent / "corrections.toml").write_text(
        '# ours\n\n[[correction]]\nkind = "company"\nstory = "kivo-2025-09"\nnote = "n"\n')
    for command in (("cluster",), ("correct", "list"),
                    ("correct", "merge", "Moxun", "Moxun Labs", "--note", "n")):
        result = _invoke(*command, "--db", str(db_path))
        assert result.exit_code == 1, command
        assert "correction 1 (line 3): company: 'company' must be a non-empty string" in " ".join(
            result.output.split())
