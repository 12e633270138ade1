"""The CLI on wrong input: one line, exit 1, no traceback, nothing written (#12)."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from db import connect
from launchwire.cli import cli
from tests.conftest import run_launchwire

STAGES_ON_EXISTING = ["process", "cluster", "publish", "stats", "reextract", "serve"]


def one_line_error(result, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.output
    assert all(word in lines[0] for word in expected), lines[0]
    assert "Traceback" not in result.output


def schema_objects(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("select type, name from sqlite_master order by name").fetchall()


@pytest.mark.parametrize("command", STAGES_ON_EXISTING)
def test_a_missing_database_is_refused_not_created(tmp_path: Path, command: str) -> None:
    typo = tmp_path / "launchwrie.db"
    one_line_error(CliRunner().invoke(cli, [command, "--db", str(typo)]), "no such database")
    assert not typo.exists()


def sources_file(folder: Path) -> Path:
    """A sources file whose feed no test reaches: the refusal comes first."""
    sources = folder / "sources.toml"
    sources.write_text('[[source]]\nname = "A"\nhomepage = "http://127.0.0.1:9/"\n'
                       'feeds = ["http://127.0.0.1:9/feed"]\nallow_private = true\n',
                       encoding="utf-8")
    return sources


def with_sources(command: str, folder: Path) -> list[str]:
    return ["--sources", str(sources_file(folder))] if command in {"crawl", "run"} else []


@pytest.mark.parametrize("command", STAGES_ON_EXISTING + ["crawl", "run"])
def test_another_applications_database_is_left_alone(tmp_path: Path, command: str) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("create table invoices (id integer primary key, total real)")
        conn.execute("insert into invoices (total) values (12.5)")
    before = (schema_objects(foreign), foreign.read_bytes())
    result = CliRunner().invoke(cli, [command, "--db", str(foreign),
                                      *with_sources(command, tmp_path)])
    one_line_error(result, "not a launchwire database", "invoices")
    assert (schema_objects(foreign), foreign.read_bytes()) == before
    assert not Path(str(foreign) + "-wal").exists()


@pytest.mark.parametrize("content", [b"not a database at all, just text\n" * 40,
                                     b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    one_line_error(CliRunner().invoke(cli, ["stats", "--db", str(path)]), str(path))
    assert path.read_bytes() == content


@pytest.mark.parametrize("command", STAGES_ON_EXISTING + ["crawl", "run"])
def test_a_newer_schema_is_refused(tmp_path: Path, command: str) -> None:
    path = tmp_path / "newer.db"
    connect(path).table("_sqlite_migrations").insert(
        {"migration_set": "launchwire", "name": "m999_from_the_future",
         "applied_at": "2030-01-01 00:00:00+00:00"})
    result = CliRunner().invoke(cli, [command, "--db", str(path), *with_sources(command, tmp_path)])
    one_line_error(result, "newer launchwire", "m999_from_the_future")


def test_analyze_refuses_binary_and_oversized_input() -> None:
    binary = run_launchwire("analyze", "-", input_bytes=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert binary.returncode == 1 and binary.stderr.strip().startswith("Error: <stdin>: not UTF-8")
    nul = run_launchwire("analyze", "-", input_bytes=b"Meta launched Threads.\x00\x01\x02")
    assert nul.returncode == 1 and "binary data" in nul.stderr
    huge = run_launchwire("analyze", "-", input_bytes=b"Meta launched Threads. " * 230_000)
    assert huge.returncode == 1 and "longer than 1,000,000 characters" in huge.stderr
    for result in (binary, nul, huge):
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_extract_refuses_corrupt_and_bomb_gzip(tmp_path: Path) -> None:
    corrupt = tmp_path / "page.html.gz"
    corrupt.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)
    corrupt_result = CliRunner().invoke(cli, ["extract", str(corrupt)])
    one_line_error(corrupt_result, "not a readable gzip file")
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<html><body><p>" + b" " * 30_000_000 + b"</p></body></html>"))
    assert bomb.stat().st_size < 60_000
    one_line_error(CliRunner().invoke(cli, ["extract", str(bomb)]), "once decompressed")
    missing = CliRunner().invoke(cli, ["extract", str(tmp_path / "none.html")])
    one_line_error(missing, "none.html")


def test_serve_asks_for_an_older_schema_to_be_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    db = connect(path)  # as launchwire made it before the figure spreads (m016)
    for name in ("insert", "delete", "update"):
        db.execute(f"drop trigger figure_spreads_{name}")
    db.execute("drop table figure_spreads")
    db.execute("drop index idx_metrics_entity_metric_as_of")
    db.execute("delete from _sqlite_migrations where name = 'm016_figure_spreads'")
    db.conn.close()
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["serve", "--db", str(path)])
    one_line_error(result, "older launchwire", "launchwire publish")
    assert path.read_bytes() == before  # serve only reads

    assert CliRunner().invoke(cli, ["publish", "--db", str(path)]).exit_code == 0
