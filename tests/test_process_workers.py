"""`process --workers N` stores what one process does, row for row (#17, #18)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from launchwire import stages
from launchwire.cli import cli
from launchwire.settings import load_settings
from tests.conftest import articles_only


def test_two_workers_store_what_one_does(crawled_db: Path, tmp_path: Path,
                                         stored_analyses) -> None:
    stored = {}
    # Else the two runs below would both be of one process.
    assert stages._worker_count(load_settings({"process_workers": 2, "batch_size": 4}), 42) == 2
    for workers in ("1", "2"):
        path = articles_only(crawled_db, tmp_path / f"workers{workers}.db")
        # Batches of 4: the sample's 42 articles make eleven chunks, enough for two workers.
        result = CliRunner().invoke(cli, ["process", "--db", str(path), "--workers", workers],
                                    env={"LAUNCHWIRE_BATCH_SIZE": "4"})
        assert result.exit_code == 0, result.output
        stored[workers] = stored_analyses(path)
    assert len(stored["1"]["articles"]) == 42 and len(stored["1"]["mentions"]) > 100
    assert all(row[4] for row in stored["1"]["articles"])  # every article processed
    for table in stored["1"]:
        assert stored["2"][table] == stored["1"][table], table


@pytest.mark.parametrize("setting, pending, expected", [
    (0, 10_000, os.cpu_count()), (4, 10_000, 4), (4, 256, 2), (4, 383, 2), (4, 384, 3),
    (0, 42, 1), (3, 0, 1),
])
def test_workers_start_only_with_several_chunks_each(setting: int, pending: int,
                                                      expected: int) -> None:
    settings = load_settings({"process_workers": setting, "batch_size": 32}, environ={})
    assert stages._worker_count(settings, pending) == expected
