"""The command line, through click's runner and (for stdin) a real child process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from db import connect
from launchwire.cli import cli
from tests.conftest import run_launchwire

COMMANDS = ["crawl", "process", "cluster", "publish", "serve", "run", "demo", "analyze", "stats",
            "sources", "extract", "reextract", "evaluate", "worker"]
EVALUATIONS = ["team", "stories", "real", "chinese", "commentary", "text"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize("evaluation", EVALUATIONS)
def test_every_evaluation_has_help(evaluation: str) -> None:
    result = CliRunner().invoke(cli, ["evaluate", evaluation, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_an_nlp_worker_needs_a_broker() -> None:
    result = CliRunner().invoke(cli, ["worker", "nlp"], env={"LAUNCHWIRE_REDIS_URL": None})
    assert result.exit_code == 2 and "--cluster redis://" in result.output


def test_evaluate_prints_the_team_figures_as_json() -> None:
    result = CliRunner().invoke(cli, ["evaluate", "team", "--task", "metrics", "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)["metrics"]
    assert metrics["gold"] == 259 and metrics["f1"] > 0.9


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
    connect(tmp_path / "x.db")
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
    connect(database)
    result = CliRunner().invoke(cli, ["cluster"], env={"LAUNCHWIRE_DB": str(database)})
    assert result.exit_code == 0, result.output
    assert "0 launch(es)" in result.output


def test_stats_prints_tables_and_feeds(tmp_path: Path) -> None:
    database = tmp_path / "s.db"
    connect(database)
    result = CliRunner().invoke(cli, ["stats", "--db", str(database)])
    assert result.exit_code == 0 and "articles" in result.output and "feeds" in result.output


def test_sources_lists_the_default_file() -> None:
    result = CliRunner().invoke(cli, ["sources", "--sources", "sources.toml"])
    assert result.exit_code == 0 and "TechCrunch" in result.output


def test_extract_prints_json_lines_for_files_and_stdin(tmp_path: Path) -> None:
    import gzip

    from launchwire.sample_site import SampleSite

    site = SampleSite("http://sample.test")
    url = next(u for u, key in site.url_to_key().items() if key == "techpulse/threads-arrives")
    gbk_url = next(u for u, key in site.url_to_key().items() if "tencent" in key)
    plain = tmp_path / "threads.html"
    plain.write_bytes(site.pages[url].body)
    zipped = tmp_path / "tencent.html.gz"
    zipped.write_bytes(gzip.compress(site.pages[gbk_url].body))
    result = run_launchwire("extract", str(plain), str(zipped), "--url", url)
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["file"] == str(plain) and first["title"].startswith("Threads goes live")
    assert first["author"] == "Dana Whitfield" and "cookies" not in first["text"]
    assert second["encoding"] == "gb18030" and "腾讯" in second["text"]
    piped = run_launchwire("extract", "-", input_bytes=site.pages[url].body)
    assert json.loads(piped.stdout)["title"] == first["title"]


def test_reextract_refreshes_articles_from_stored_pages(tmp_path: Path) -> None:
    from db import crawl_state as state
    from db import store

    database = tmp_path / "re.db"
    db = connect(database)
    store.upsert_source(db, {"name": "x", "homepage": "http://x.test/"})
    paragraph = "Vantora said on Tuesday that it raised money for its developer tools. " * 8
    html = f"<html><head><title>Vantora raises</title></head><body><article><h1>Vantora raises</h1><p>{paragraph}</p></article></body></html>"
    state.add_entries(db, "x", "http://x.test/feed", [{"url": "http://x.test/a"}])
    state.save_pages(db, [{"url": "http://x.test/a", "source": "x", "status": 200,
                           "body": html.encode(), "content_type": "text/html",
                           "entry_url": "http://x.test/a"}])
    result = CliRunner().invoke(cli, ["reextract", "--db", str(database)])
    assert result.exit_code == 0, result.output
    assert "0 updated, 1 new" in result.output
    db.execute("update articles set text = 'stale', processed_by = 'v1'")
    db.conn.commit()
    result = CliRunner().invoke(cli, ["reextract", "--db", str(database)])
    assert "1 updated, 0 new" in result.output
    row = next(db.query("select text, processed_by from articles"))
    assert row["text"].startswith("Vantora said") and row["processed_by"] is None
