"""Shared fixtures (the only conftest): the sample site, databases, the spaCy pipeline."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from db import connect
from launchwire.local_cluster import stop_processes  # noqa: F401  (the tests call it too)
from launchwire.sample_site import SampleServer, sources_toml
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


# Slow enough that a crawl of the sample site and 5 mirrors (252 pages from one loopback host)
# takes over 20 s, so a fault lands mid-crawl however loaded the machine is; pages are stored
# in batches (<=50, <=1 s).
SLOW_CRAWL = {"LAUNCHWIRE_DOWNLOAD_DELAY": "0.08", "LAUNCHWIRE_CONCURRENT_PER_DOMAIN": "1"}


def mirrored_sources(server: SampleServer, folder: Path) -> tuple[set[str], Path]:
    """The sources file of a sample server's site and its mirrors, written in `folder`.

    RETURNS (tuple): (the article URLs a crawl should store, the sources file).
    """
    sites = [server.site, *server.mirrors]
    sources = folder / "sources.toml"
    sources.write_text(sources_toml([source for site in sites for source in site.sources()]))
    return {url for site in sites for url in site.url_to_key()}, sources


def count_rows(database: Path, table: str) -> int | str:
    """Rows another process has stored so far, or why they cannot be counted yet (it is
    starting up), read without a write lock."""
    if not database.exists():
        return "no file yet"
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)) as conn:
            return conn.execute(f"select count(*) from [{table}]").fetchone()[0]
    except sqlite3.Error as error:
        return str(error)


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


def start_crawl_workers(count: int, redis_url: str, **env: str) -> list[subprocess.Popen]:
    """`launchwire worker crawl` processes on a broker, with settings from `env` (#18)."""
    return [subprocess.Popen(
        [sys.executable, "-m", "launchwire", "worker", "crawl", "--cluster", redis_url],
        cwd=REPO, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL) for _ in range(count)]


@pytest.fixture
def crawl_workers(redis_server):
    """start(count, **env): crawl workers on this test's broker, stopped after the test."""
    started: list[subprocess.Popen] = []

    def start(count: int, **env: str) -> list[subprocess.Popen]:
        workers = start_crawl_workers(count, redis_server.url, **env)
        started.extend(workers)
        return workers
    yield start
    stop_processes(started)


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
