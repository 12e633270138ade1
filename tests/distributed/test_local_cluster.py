"""Distributed mode from one command (#18): `run --local-cluster 2` starts a Redis of its own
and two crawl and two NLP worker processes, and stores what the embedded `run` stores."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from tests.conftest import run_launchwire

# Ids follow the order answers arrive in, so rows are compared by what they say.
CONTENT = {
    "articles": "select url, title, text, summary, kind, processed_by from articles",
    "mentions": "select a.url, m.text, m.start, m.label from mentions m "
                "join articles a on a.id = m.article_id",
    "metrics": "select a.url, m.metric, m.value, m.modality, m.text from metrics m "
               "join articles a on a.id = m.article_id",
    "launches": "select story_key, headline, modality, coverage from launches",
    "entities": "select name, label from entities",
}


def _content(path: Path) -> dict[str, list[tuple]]:
    db = sqlite_utils.Database(path)
    return {name: sorted(map(tuple, db.execute(sql).fetchall()), key=repr)
            for name, sql in CONTENT.items()}


@pytest.mark.slow
def test_one_command_runs_distributed_and_stores_what_embedded_stores(
        crawled_db: Path, sample_server, tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_server.site.sources_toml(), encoding="utf-8")
    database = tmp_path / "distributed.db"

    result = run_launchwire("run", "--local-cluster", "2", "--db", str(database), "--sources",
                            str(sources), LAUNCHWIRE_DOWNLOAD_DELAY="0", timeout=600)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "Local cluster: Redis at redis://127.0.0.1:" in result.stderr
    distributed, embedded = _content(database), _content(crawled_db)
    assert len(distributed["articles"]) == len(embedded["articles"]) > 30
    assert distributed == embedded
