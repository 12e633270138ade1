"""`process --cluster` on RQ workers stores what the embedded process does, row for row, and
still does when a worker is killed or the broker restarts mid-run (#18)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner
from rq import SimpleWorker, Worker

from db import connect
from launchwire.cli import cli
from launchwire.cluster_workers import ATTEMPTS, ClusterWorkers, connect_broker, nlp_queue
from launchwire.errors import ProcessError
from launchwire.local_cluster import stop_processes
from tests.conftest import REPO, articles_only, free_port

# Batches of 4: the sample's 42 articles make eleven chunks, several for each worker. A lease
# of 10 s is some times a chunk's work on a busy machine, and what a killed worker's costs.
RUN_ENV = {"LAUNCHWIRE_BATCH_SIZE": "4", "LAUNCHWIRE_CLUSTER_LEASE": "10"}
TIMEOUT = 180  # seconds any one wait may take before the test fails instead of hanging


def wait_until(condition: Callable[[], object], what: str, timeout: float = TIMEOUT) -> object:
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting until {what}")
        time.sleep(0.02)
    return found


class Cluster:
    """NLP workers, as real `launchwire worker nlp` processes, on a test's own Redis."""

    def __init__(self, redis_server, folder: Path) -> None:
        self.redis = redis_server
        self.folder = folder
        self.workers: list[subprocess.Popen] = []

    def start_workers(self, count: int, **env: str) -> None:
        for _ in range(count):
            log = (self.folder / f"worker{len(self.workers)}.log").open("wb")
            self.workers.append(subprocess.Popen(
                [sys.executable, "-m", "launchwire", "worker", "nlp", "--cluster",
                 self.redis.url], cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, **env}))
        # A worker registers once its pipeline is loaded: then the run may start.
        wait_until(lambda: self.listening() == count, f"{count} workers listen")

    def listening(self) -> int:
        connection = connect_broker(self.redis.url)
        return Worker.count(connection=connection, queue=nlp_queue(connection))

    def busy_worker_pid(self) -> int:
        """The process id of a worker analysing a chunk now."""
        connection = connect_broker(self.redis.url)
        return next((worker.pid for worker in Worker.all(queue=nlp_queue(connection))
                     if worker.get_current_job_id()), 0)

    def start_process(self, path: Path) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "launchwire", "process", "--db", str(path), "--cluster",
             self.redis.url], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, **RUN_ENV})

    def stop(self) -> None:
        # SIGTERM is RQ's warm shutdown: the worker leaves its registration.
        stop_processes(self.workers, timeout=15)


@pytest.fixture
def cluster(redis_server, tmp_path: Path):
    running = Cluster(redis_server, tmp_path)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def embedded(crawled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's articles processed by the embedded mode, in this process alone."""
    path = articles_only(crawled_db, tmp_path_factory.mktemp("embedded") / "embedded.db")
    result = CliRunner().invoke(cli, ["process", "--db", str(path), "--workers", "1"],
                                env={**RUN_ENV, "LAUNCHWIRE_REDIS_URL": None})
    assert result.exit_code == 0, result.output
    return path


def finished(run: subprocess.Popen) -> str:
    """The run's stderr, once it has ended well."""
    _, stderr = run.communicate(timeout=TIMEOUT)
    assert run.returncode == 0, stderr.decode()
    return stderr.decode()


def assert_same_rows(path: Path, embedded: Path, stored_analyses) -> None:
    stored, expected = stored_analyses(path), stored_analyses(embedded)
    assert len(expected["articles"]) == 42 and len(expected["mentions"]) > 100
    for table in expected:
        assert stored[table] == expected[table], table


@pytest.mark.slow
def test_two_workers_store_what_the_embedded_process_does(cluster: Cluster, crawled_db: Path,
                                                          tmp_path: Path, embedded: Path,
                                                          stored_analyses) -> None:
    cluster.start_workers(2)

    stderr = finished(cluster.start_process(articles_only(crawled_db, tmp_path / "two.db")))

    assert "42 article(s) analysed" in stderr
    assert_same_rows(tmp_path / "two.db", embedded, stored_analyses)
    connection = connect_broker(cluster.redis.url)
    # Both took chunks; and the writer deleted every job it read, texts and results with them.
    assert all(worker.successful_job_count > 0
               for worker in Worker.all(queue=nlp_queue(connection)))
    assert not connection.keys("rq:job:*") and not connection.keys("rq:results:*")


@pytest.mark.slow
def test_a_worker_killed_mid_chunk_leaves_nothing_twice_or_missing(
        cluster: Cluster, crawled_db: Path, tmp_path: Path, embedded: Path,
        stored_analyses) -> None:
    cluster.start_workers(2)
    run = cluster.start_process(articles_only(crawled_db, tmp_path / "killed.db"))

    os.kill(wait_until(cluster.busy_worker_pid, "a worker analyses a chunk"), signal.SIGKILL)

    stderr = finished(run)
    assert "enqueued again" in stderr  # the killed worker's chunk, once its lease ran out
    assert sum(worker.poll() is None for worker in cluster.workers) == 1
    assert_same_rows(tmp_path / "killed.db", embedded, stored_analyses)


@pytest.mark.slow
def test_a_broker_restart_mid_run_leaves_nothing_twice_or_missing(
        cluster: Cluster, crawled_db: Path, tmp_path: Path, embedded: Path,
        stored_analyses) -> None:
    cluster.start_workers(2)
    run = cluster.start_process(articles_only(crawled_db, tmp_path / "restarted.db"))
    wait_until(cluster.busy_worker_pid, "a worker analyses a chunk")

    cluster.redis.restart()

    finished(run)
    assert all(worker.poll() is None for worker in cluster.workers)  # they waited it out
    assert_same_rows(tmp_path / "restarted.db", embedded, stored_analyses)


def test_without_a_worker_the_run_stops_with_what_to_do(redis_server, crawled_db: Path,
                                                        tmp_path: Path) -> None:
    path = articles_only(crawled_db, tmp_path / "alone.db")

    result = CliRunner().invoke(cli, ["process", "--db", str(path), "--cluster",
                                      redis_server.url], env=RUN_ENV)

    assert result.exit_code == 1 and "no NLP worker listens" in result.output
    assert not connect_broker(redis_server.url).keys("rq:job:*")  # nothing left enqueued


def test_a_worker_with_another_pipeline_stops_the_run_before_any_write(
        cluster: Cluster, crawled_db: Path, tmp_path: Path) -> None:
    cluster.start_workers(1, LAUNCHWIRE_TRAINED_ENTITIES="0")  # the stock model's `ner`
    path = articles_only(crawled_db, tmp_path / "mixed.db")

    result = CliRunner().invoke(cli, ["process", "--db", str(path), "--cluster",
                                      cluster.redis.url], env=RUN_ENV)

    assert result.exit_code == 1 and "an NLP worker loaded pipeline" in result.output
    assert not connect(path, create=False).execute(
        "select count(*) from articles where processed_by is not null").fetchone()[0]


def test_a_batch_no_worker_finishes_stops_the_run_after_its_leases(redis_server) -> None:
    connection = connect_broker(redis_server.url)
    # Registered, never taking a job: a worker on a machine that hangs.
    SimpleWorker([nlp_queue(connection)], connection=connection).register_birth()
    chunks = [[{"id": 1, "text": "one"}], [{"id": 2, "text": "two"}]]

    with pytest.raises(ProcessError, match=f"articles 1-1: .* in {ATTEMPTS} leases of 0.2 s"):
        with ClusterWorkers(redis_server.url, lease=0.2) as workers:
            list(workers.analyse(chunks, 4, "version"))

    # The stopped run took back every job it had enqueued: no worker wastes time on them.
    assert not connection.keys("rq:job:*") and not nlp_queue(connection).count


def test_an_unreachable_broker_is_one_line(crawled_db: Path, tmp_path: Path,
                                          monkeypatch) -> None:
    from launchwire import cluster_workers

    monkeypatch.setattr(cluster_workers, "BROKER_RETRIES", 0)  # else it waits a minute
    path = articles_only(crawled_db, tmp_path / "unreachable.db")
    url = f"redis://127.0.0.1:{free_port()}/0"

    result = CliRunner().invoke(cli, ["process", "--db", str(path), "--cluster", url])

    assert result.exit_code == 1 and f"Error: the broker {url} did not answer" in result.output
