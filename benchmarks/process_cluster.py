"""Process articles/second in distributed mode: `process --cluster` on one RQ worker beside
two, over the same articles, with the rows each stores checked against the embedded
process's (#18).

    python -m benchmarks.process_cluster

The workers are real `launchwire worker nlp` processes on a Redis of the benchmark's own (a
free loopback port, the append-only file on, as the tests run it); the writer is this
process, its pipeline loaded before the clock starts (it gives only the version), as
benchmarks.process times the embedded mode. One worker runs twice, two workers three times,
then one worker once more, so that a change in the machine's load falls on both.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

from benchmarks.common import median, report
from benchmarks.process import (COPIES, cpu_seconds, editions, load_database, machine_ratio,
                                sample_texts)
from db import connect
from launchwire import stages
from launchwire.cluster_workers import connect_broker, nlp_queue
from launchwire.settings import load_settings
from nlp.pipeline import load_nlp
from tests.conftest import ANALYSIS_QUERIES, REPO, free_port
from tests.redis_server import RedisServer

# 21 batches of the 336 texts: the last batch a worker takes alone is a small part of a run.
BATCH_SIZE = 16
START_TIMEOUT = 120  # seconds for a worker to load its pipeline and register


def stored_rows(path: Path) -> dict[str, list[tuple]]:
    db = connect(path, create=False)
    return {table: [tuple(row) for row in db.execute(sql).fetchall()]
            for table, sql in ANALYSIS_QUERIES.items()}


class NlpWorkers:
    """`launchwire worker nlp` processes on one broker, started and stopped one at a time."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.running: list[subprocess.Popen] = []

    def listening(self) -> int:
        from rq import Worker

        connection = connect_broker(self.url)
        return Worker.count(connection=connection, queue=nlp_queue(connection))

    def start(self) -> None:
        self.running.append(subprocess.Popen(
            [sys.executable, "-m", "launchwire", "worker", "nlp", "--cluster", self.url],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        self._wait_for(len(self.running))

    def stop_one(self) -> None:
        worker = self.running.pop()
        worker.terminate()  # RQ's warm shutdown: it leaves its registration
        worker.wait(timeout=30)
        self._wait_for(len(self.running))

    def stop(self) -> None:
        while self.running:
            self.stop_one()

    def _wait_for(self, count: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while self.listening() != count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{count} NLP workers did not register on {self.url}")
            time.sleep(0.1)


def timed_run(path: Path, texts: list[tuple[str, str]], pipeline: object,
              url: str | None) -> tuple[float, float]:
    """Articles/s of one `process` over a new database of these texts (embedded: url None),
    and the cores it obtained (CPU seconds of this process and its children, the workers and
    Redis, per wall second): on a shared machine they explain what the wall time cannot."""
    load_database(path, texts)
    settings = load_settings({"db": str(path), "redis_url": url, "batch_size": BATCH_SIZE,
                              "process_workers": 1})
    started, cpu = time.perf_counter(), cpu_seconds()
    done = stages.process(settings, pipeline=pipeline).analysed
    wall = time.perf_counter() - started
    if done != len(texts):
        raise RuntimeError(f"processed {done} of {len(texts)} texts")
    return done / wall, (cpu_seconds() - cpu) / wall


def main() -> None:
    texts = editions(sample_texts(), 2 * COPIES)
    settings = load_settings()
    pipeline = load_nlp(settings.model_name, trained=settings.trained_entities)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        embedded = timed_run(folder / "embedded.db", texts, pipeline, None)
        server = RedisServer(folder / "redis", free_port()).start()
        workers = NlpWorkers(server.url)
        def runs(names: list[str]) -> list[tuple[float, float]]:
            return [timed_run(folder / f"{name}.db", texts, pipeline, server.url)
                    for name in names]

        try:
            # A new worker's first batches warm its pipeline up: not timed.
            workers.start()
            timed_run(folder / "warm1.db", texts[:4 * BATCH_SIZE], pipeline, server.url)
            one = runs(["one0", "one1"])
            workers.start()
            timed_run(folder / "warm2.db", texts[:8 * BATCH_SIZE], pipeline, server.url)
            two = runs(["two0", "two1", "two2"])
            workers.stop_one()
            one += runs(["one2"])
        finally:
            workers.stop()
            server.stop()
        expected = stored_rows(folder / "embedded.db")
        same = all(stored_rows(folder / f"{name}.db") == expected
                   for name in ("one0", "one1", "one2", "two0", "two1", "two2"))
    report(f"process --cluster: {len(texts)} sample articles, batches of {BATCH_SIZE}",
           "articles/s", [rate for rate, _ in one], [rate for rate, _ in two], "1 RQ worker",
           "2 RQ workers")
    console = Console()
    for name, measured in (("embedded, this process alone", [embedded]), ("1 RQ worker", one),
                           ("2 RQ workers", two)):
        # Articles per CPU second: what the broker and the workers cost beside the work.
        console.print(f"{name}: {median(cores for _, cores in measured):.2f} cores obtained, "
                      f"{median(rate / cores for rate, cores in measured):.1f} articles per "
                      f"CPU second")
    console.print("rows stored by every distributed run equal the embedded run's: "
                  + ("[green]yes[/]" if same else "[red]NO[/]"))
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    console.print(f"{uptime}; {os.cpu_count()} cores; two busy loops ran "
                  f"{machine_ratio():.2f}x one just now (2.0 when the machine is ours)")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
