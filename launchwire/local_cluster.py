"""The distributed mode on one machine, from one command (#18): a redis-server of the run's
own (Debian's package) and worker processes, `launchwire worker crawl` and `launchwire worker
nlp`, each started as its own process, as on other machines, and stopped when the run ends.
This process is the single writer, as in any distributed run."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from launchwire.errors import LaunchwireError


def stop_processes(processes: list[subprocess.Popen], timeout: float = 30) -> list[int]:
    """Stop them as a supervisor would (SIGTERM, then SIGKILL after `timeout` seconds);
    RETURNS their exit codes."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    codes = []
    for process in processes:
        try:
            codes.append(process.wait(timeout=timeout))
        except subprocess.TimeoutExpired:
            process.kill()
            codes.append(process.wait())
    return codes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """One redis-server on a loopback port with its data in `folder`. The append-only file is
    fsynced at every write, so a restart loses nothing it acknowledged."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            raise LaunchwireError("no redis-server: install Debian's redis-server package "
                                  "(`make test` does)")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--save", "", "--appendonly", "yes", "--appendfsync", "always",
             "--protected-mode", "yes", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        client = self.client()
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise LaunchwireError("redis-server did not start: " + (
                        self.process.stderr.read().decode(errors="replace")
                        if self.process.poll() is not None else "no answer in 10 s"))
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


# A worker loads its pipeline (a few seconds, more on a busy machine) before it listens.
READY_SECONDS = 180


class LocalCluster:
    """A broker and `workers` crawl and NLP workers on this machine, for one run; entered
    once every NLP worker listens, as `process --cluster` asks.

    env (dict): the settings the workers take (LAUNCHWIRE_* variables), beside the broker's.
    """

    def __init__(self, workers: int, env: dict[str, str] | None = None) -> None:
        self.workers = workers
        self.env = env or {}
        self._folder = tempfile.TemporaryDirectory(prefix="launchwire-cluster-")
        self.broker = RedisServer(Path(self._folder.name) / "redis")
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def __enter__(self) -> str:
        self.broker.start()
        env = {**os.environ, **self.env, "LAUNCHWIRE_REDIS_URL": self.broker.url}
        logs = Path(self._folder.name)
        for kind in ("crawl", "nlp"):
            for number in range(self.workers):
                self.logs.append(logs / f"worker-{kind}-{number}.log")
                with self.logs[-1].open("wb") as log:
                    self.processes.append(subprocess.Popen(
                        [sys.executable, "-m", "launchwire", "worker", kind], env=env,
                        stdout=log, stderr=subprocess.STDOUT))
        try:
            self._wait_for_nlp_workers()
        except BaseException:
            self.__exit__()
            raise
        return self.broker.url

    def _wait_for_nlp_workers(self) -> None:
        from rq import Worker

        from launchwire.cluster_workers import nlp_queue

        queue = nlp_queue(self.broker.client())
        deadline = time.monotonic() + READY_SECONDS
        while Worker.count(connection=queue.connection, queue=queue) < self.workers:
            stopped = [number for number, process in enumerate(self.processes)
                       if process.poll() is not None]
            if stopped or time.monotonic() > deadline:
                log = self.logs[stopped[0] if stopped else -1]
                raise LaunchwireError(
                    "a local worker " + ("stopped" if stopped else "did not start listening")
                    + ": " + " ".join(log.read_text(errors="replace").split()[-40:]))
            time.sleep(0.2)

    def __exit__(self, *exc_info: object) -> None:
        stop_processes(self.processes)
        self.broker.stop()
        self._folder.cleanup()
