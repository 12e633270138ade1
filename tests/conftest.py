"""Shared fixtures (the only conftest): the sample site, databases, the spaCy pipeline."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from db import connect
from launchwire.sample_site import SampleServer
from launchwire.settings import load_settings

REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--live", action="store_true", help="run tests that reach the real web")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--live"):
        return
    for item in items:
        if "live" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="talks to the real web: run with --live"))


@pytest.fixture(scope="session")
def sample_server():
    with SampleServer() as server:
        yield server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "launchwire.db"


@pytest.fixture
def fresh_db(db_path: Path):
    return connect(db_path)


@pytest.fixture(scope="session")
def nlp():
    from nlp.pipeline import load_nlp

    return load_nlp(load_settings().model_name)


# What `process` stores, in full: the same work must give these rows, ids and all (#17).
ANALYSIS_QUERIES = {
    "articles": "select id, summary, summary_sentences, kind, processed_by, process_error, "
                "clustered_at from articles order by id",
    **{table: f"select * from {table} order by rowid"
       for table in ("entities", "mentions", "metrics", "facts")},
}


@pytest.fixture
def stored_analyses():
    """Every row `process` writes, table by table, of a database file."""
    def rows(path: Path) -> dict[str, list[tuple]]:
        db = connect(path, create=False)
        return {table: [tuple(row) for row in db.execute(sql).fetchall()]
                for table, sql in ANALYSIS_QUERIES.items()}
    return rows


def articles_only(crawled: Path, path: Path) -> Path:
    """A new database holding the crawled sources and articles, none of them processed."""
    source, db = connect(crawled, create=False), connect(path)
    db.table("sources").insert_all(source.table("sources").rows)
    db.table("articles").insert_all(
        {key: row[key] for key in ("id", "url", "source", "feed_url", "title", "author",
                                   "published", "month", "fetched_at", "lang", "text",
                                   "fingerprint")}
        for row in source.table("articles").rows)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_launchwire(*args: str, timeout: int = 300, input_text: str | None = None,
                   input_bytes: bytes | None = None, **env: str) -> subprocess.CompletedProcess:
    """The real CLI in a child process (Scrapy's reactor runs once per process)."""
    result = subprocess.run([sys.executable, "-m", "launchwire", *args], cwd=REPO,
                            capture_output=True, timeout=timeout,
                            input=input_bytes if input_bytes is not None else
                            (input_text.encode() if input_text is not None else None),
                            env={**os.environ, **env})
    return subprocess.CompletedProcess(result.args, result.returncode,
                                       result.stdout.decode("utf-8"), result.stderr.decode("utf-8"))


@pytest.fixture
def redis_server(tmp_path: Path):
    """A real redis-server of this test's own on a free loopback port (#18)."""
    from tests.redis_server import RedisServer

    server = RedisServer(tmp_path / "redis", free_port()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def crawled_db(tmp_path_factory: pytest.TempPathFactory, sample_server: SampleServer) -> Path:
    """The sample site crawled and processed by `launchwire run`, once per session."""
    folder = tmp_path_factory.mktemp("run")
    sources = folder / "sources.toml"
    sources.write_text(sample_server.site.sources_toml(), encoding="utf-8")
    database = folder / "launchwire.db"
    result = run_launchwire("run", "--db", str(database), "--sources", str(sources),
                            LAUNCHWIRE_DOWNLOAD_DELAY="0")
    assert result.returncode == 0, result.stderr
    return database
