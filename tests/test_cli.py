"""The command line, through click's runner and (for stdin) a real child process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from launchwire.cli import cli
from tests.conftest import run_launchwire

COMMANDS = ["crawl", "process", "cluster", "publish", "serve", "run", "demo", "analyze", "stats",
            "sources"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_group_lists_every_command() -> None:
    output = CliRunner().invoke(cli, ["--help"]).output
    assert all(command in output for command in COMMANDS)


def test_analyze_prints_the_contract_for_stdin() -> None:
    result = run_launchwire("analyze", "--format", "json", "-", input_text="Meta launched Threads.")
    assert result.returncode == 0, result.stderr
    contract = json.loads(result.stdout)
    assert contract["launches"][0]["company"] == "Meta"
    assert contract["launches"][0]["product"] == "Threads"
    assert {"text": "Meta", "label": "COMPANY", "start": 0, "end": 4,
            "canonical": "Meta"} in contract["entities"]


def test_missing_sources_file_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["crawl", "--db", str(tmp_path / "x.db"),
                                      "--sources", str(tmp_path / "missing.toml")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'missing.toml'}: sources file not found"


def test_bad_sources_file_names_file_and_line(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "A"\nhomepage = "https://a.example/"\nfeeds = []\n')
    result = CliRunner().invoke(cli, ["sources", "--sources", str(sources)])
    assert result.exit_code == 1
    assert f"{sources}:1: give at least one feed or sitemap" in result.output


def test_unknown_model_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["process", "--db", str(tmp_path / "x.db"),
                                      "--model", "no_such_model_sm"])
    assert result.exit_code == 1
    assert "spaCy model 'no_such_model_sm' is not installed" in result.output
    assert "Traceback" not in result.output


def test_serve_and_stats_refuse_a_missing_database(tmp_path: Path) -> None:
    for command in ("serve", "stats"):
        result = CliRunner().invoke(cli, [command, "--db", str(tmp_path / "none.db")])
        assert result.exit_code == 1 and "no such database" in result.output


def test_db_from_environment(tmp_path: Path) -> None:
    database = tmp_path / "from-env.db"
    result = CliRunner().invoke(cli, ["cluster"], env={"LAUNCHWIRE_DB": str(database)})
    assert result.exit_code == 0, result.output
    assert database.exists()


def test_stats_prints_tables_and_feeds(tmp_path: Path) -> None:
    database = tmp_path / "s.db"
    CliRunner().invoke(cli, ["cluster", "--db", str(database)])
    result = CliRunner().invoke(cli, ["stats", "--db", str(database)])
    assert result.exit_code == 0 and "articles" in result.output and "feeds" in result.output


def test_sources_lists_the_default_file() -> None:
    result = CliRunner().invoke(cli, ["sources", "--sources", "sources.toml"])
    assert result.exit_code == 0 and "TechCrunch" in result.output
