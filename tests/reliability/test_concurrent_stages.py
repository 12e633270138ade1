"""Two stages on one database never lose a write (#12).

Each stage runs as the real CLI in its own process against a real SQLite file, crawling the
sample site over HTTP on loopback. Two stages run at once, the pipeline is then run to the
end, and the database must hold exactly what a sequential run stores. A stage that cannot
store (the database locked past its wait, a full disk) exits non-zero with one line, and
what it did not store is stored by the next run.
"""

from __future__ import annotations

import resource
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from launchwire.sample_site import SampleServer, sources_toml
from tests.conftest import REPO, run_launchwire

pytestmark = pytest.mark.slow
QUIET = {"LAUNCHWIRE_DOWNLOAD_DELAY": "0"}


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of a WAL database (SQLite's backup, not a file copy)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def stage(*args: str, **env: str) -> None:
    result = run_launchwire(*args, **QUIET, **env)
    assert result.returncode == 0, result.stderr


def start(*args: str, **env: str) -> subprocess.Popen:
    import os

    return subprocess.Popen([sys.executable, "-m", "launchwire", *args], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **QUIET, **env})


def at_once(*commands: tuple[str, ...]) -> None:
    """Run the commands concurrently; each must exit 0."""
    children = [start(*command) for command in commands]
    for child in children:
        _, stderr = child.communicate(timeout=300)
        assert child.returncode == 0, stderr


def contents(path: Path) -> dict[str, Any]:
    """What a run stored, without the times at which it stored it."""
    db = sqlite_utils.Database(path)

    def rows(sql: str) -> list[tuple]:
        return sorted(tuple(row) for row in db.execute(sql).fetchall())

    return {
        "articles": rows("select url, fingerprint, title, summary, kind, process_error "
                         "from articles"),
        "entries": rows("select url, state, attempts, page_id is not null from entries"),
        "pages": rows("select url, status, bytes, article_id is not null from pages"),
        "feeds": rows("select url, status, items, consecutive_failures, last_error from feeds"),
        "mentions": rows("""select a.url, e.name, m.label, m.start, m."end" from mentions m
                            join articles a on a.id = m.article_id
                            join entities e on e.id = m.entity_id"""),
        "metrics": rows("""select a.url, m.metric, m.value, m.modality, m.start, m.quotable
                           from metrics m join articles a on a.id = m.article_id"""),
        "facts": rows("""select a.url, f.modality, f.about, f.start, f.quotable from facts f
                         join articles a on a.id = f.article_id"""),
        "launches": rows("""select l.story_key, l.modality, l.coverage,
                                   (select group_concat(a.url, ' ') from launch_articles la
                                    join articles a on a.id = la.article_id
                                    where la.launch_id = l.id) from launches l"""),
    }


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory, sample_server: SampleServer) -> dict[str, Path]:
    """Two halves of the sample site's sources, a database holding the first half crawled
    (and one with it processed too), and the sequential run's result."""
    folder = tmp_path_factory.mktemp("concurrent")
    sources = sample_server.site.sources()
    paths = {"first": folder / "first.toml", "second": folder / "second.toml",
             "all": folder / "all.toml"}
    paths["first"].write_text(sources_toml(sources[:2]), encoding="utf-8")
    paths["second"].write_text(sources_toml(sources[2:]), encoding="utf-8")
    paths["all"].write_text(sources_toml(sources), encoding="utf-8")
    paths["crawled"] = folder / "crawled.db"
    stage("crawl", "--db", str(paths["crawled"]), "--sources", str(paths["first"]))
    paths["processed"] = copy_database(paths["crawled"], folder / "processed.db")
    stage("process", "--db", str(paths["processed"]))
    # The sequential run: crawl the second half, process, cluster, publish.
    paths["before_cluster"] = copy_database(paths["processed"], folder / "before-cluster.db")
    stage("crawl", "--db", str(paths["before_cluster"]), "--sources", str(paths["second"]))
    stage("process", "--db", str(paths["before_cluster"]))
    paths["sequential"] = copy_database(paths["before_cluster"], folder / "sequential.db")
    for command in ("cluster", "publish"):
        stage(command, "--db", str(paths["sequential"]))
    return paths


def finish(database: Path) -> dict[str, Any]:
    for command in ("process", "cluster", "publish"):
        stage(command, "--db", str(database))
    return contents(database)


def test_the_sequential_run_stores_the_whole_sample(split: dict[str, Path],
                                                    sample_server: SampleServer) -> None:
    stored = contents(split["sequential"])
    assert {row[0] for row in stored["articles"]} == set(sample_server.site.url_to_key())
    assert stored["mentions"] and stored["facts"] and stored["launches"]


def test_crawl_during_process_loses_nothing(split: dict[str, Path], tmp_path: Path) -> None:
    database = copy_database(split["crawled"], tmp_path / "db.db")
    at_once(("process", "--db", str(database)),
            ("crawl", "--db", str(database), "--sources", str(split["second"])))
    assert finish(database) == contents(split["sequential"])


def test_crawl_during_cluster_loses_nothing(split: dict[str, Path], tmp_path: Path) -> None:
    database = copy_database(split["processed"], tmp_path / "db.db")
    at_once(("cluster", "--db", str(database)),
            ("crawl", "--db", str(database), "--sources", str(split["second"])))
    assert finish(database) == contents(split["sequential"])


def test_publish_during_cluster_loses_nothing(split: dict[str, Path], tmp_path: Path) -> None:
    database = copy_database(split["before_cluster"], tmp_path / "db.db")
    at_once(("cluster", "--db", str(database)), ("publish", "--db", str(database)))
    assert finish(database) == contents(split["sequential"])


def hold_write_lock(database: Path, seconds: float) -> subprocess.Popen:
    """Another process in the middle of a write for a while. It writes, so that a stage
    which read before it committed holds a stale snapshot: the case a deferred transaction
    cannot wait out ("database is locked" at once, whatever the busy timeout)."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "conn.execute(\"insert or replace into launchwire_meta values ('held', 'yes')\")\n"
        "print('locked', flush=True)\n"
        "time.sleep(float(sys.argv[2]))\n"
        "conn.execute('COMMIT')\n"), str(database), str(seconds)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


@pytest.mark.parametrize("command, starting_from", [
    ("crawl", "processed"), ("process", "crawled"), ("cluster", "before_cluster"),
    ("publish", "before_cluster")])
def test_each_stage_waits_for_another_stages_write(split: dict[str, Path], tmp_path: Path,
                                                   command: str, starting_from: str) -> None:
    database = copy_database(split[starting_from], tmp_path / "db.db")
    holder = hold_write_lock(database, 3)
    stage(command, "--db", str(database), "--sources", str(split["second"])) \
        if command == "crawl" else stage(command, "--db", str(database))
    holder.wait(timeout=30)
    if command != "crawl":
        stage("crawl", "--db", str(database), "--sources", str(split["second"]))
    assert finish(database) == contents(split["sequential"])


def feeds_without_their_entries(database: Path) -> list[str]:
    """Feeds recorded as read whose entries are not all on the frontier."""
    db = sqlite_utils.Database(database)
    return [row[0] for row in db.execute("""
        select f.url from feeds f where f.status = 200 and f.items >
            (select count(*) from entries e where e.feed_url = f.url)""").fetchall()]


def test_a_stage_locked_out_too_long_stops_with_one_line_and_loses_nothing(
        split: dict[str, Path], tmp_path: Path) -> None:
    database = copy_database(split["processed"], tmp_path / "db.db")
    holder = hold_write_lock(database, 20)
    try:
        result = run_launchwire("crawl", "--db", str(database), "--sources", str(split["second"]),
                                LAUNCHWIRE_DB_BUSY_TIMEOUT="1", **QUIET)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: ") and "database is locked" in error, result.stderr
    assert "Traceback" not in result.stderr
    stage("crawl", "--db", str(database), "--sources", str(split["second"]))
    assert feeds_without_their_entries(database) == []
    assert finish(database) == contents(split["sequential"])


def _limit_file_size(limit: int) -> Any:
    def apply() -> None:
        # Python ignores SIGXFSZ, so a write past the limit fails (EFBIG) as on a full disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_crawl_on_a_full_disk_fails_clearly_and_the_next_one_stores_everything(
        split: dict[str, Path], tmp_path: Path) -> None:
    database = copy_database(split["processed"], tmp_path / "db.db")
    size = database.stat().st_size
    import os

    result = subprocess.run(
        [sys.executable, "-m", "launchwire", "crawl", "--db", str(database),
         "--sources", str(split["second"])], cwd=REPO, capture_output=True, text=True,
        timeout=300, env={**os.environ, **QUIET}, preexec_fn=_limit_file_size(size + 48_000))
    assert result.returncode == 1, result.stderr
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: ") and ("disk" in error or "full" in error), result.stderr
    assert "Traceback" not in result.stderr
    assert feeds_without_their_entries(database) == []
    stage("crawl", "--db", str(database), "--sources", str(split["second"]))
    assert finish(database) == contents(split["sequential"])
