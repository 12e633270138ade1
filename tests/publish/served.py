"""A real `launchwire serve` process on 127.0.0.1, for tests where the ASGI server matters."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tests.conftest import REPO, free_port


class ServedSite:
    """A running site: its base URL, process and what it has written to its output."""

    def __init__(self, base: str, process: subprocess.Popen, log: Path) -> None:
        self.base, self.process, self.log = base, process, log

    def output(self) -> str:
        """Everything the server has printed so far (stdout and stderr)."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def cpu_seconds(self) -> float:
        """CPU time the server and its worker processes have used (Linux /proc)."""
        return sum(self.cpu_by_pid().values())

    def cpu_by_pid(self) -> dict[int, float]:
        """CPU seconds of the server's process and of each live process under it."""
        return process_tree_cpu(self.process.pid)

    def worker_pids(self) -> list[int]:
        """The processes under the server's (uvicorn's workers and their helpers)."""
        return [pid for pid in self.cpu_by_pid() if pid != self.process.pid]


def process_tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds of process `root` and of every live process under it (Linux /proc): `serve`
    answers in worker processes, so its own figures alone would show an idle supervisor."""
    found: dict[int, tuple[int, int]] = {}  # pid: (parent, CPU ticks)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone while listed
            continue
        found[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree, frontier = {}, [root]
    while frontier:
        pid = frontier.pop()
        if pid in found:
            tree[pid] = found[pid][1] / os.sysconf("SC_CLK_TCK")
            frontier += [child for child, (parent, _) in found.items() if parent == pid]
    return tree


@contextmanager
def served(db_path: Path, *args: str, log: Path | None = None, **env: str) -> Iterator[ServedSite]:
    """Serve `db_path` until the block ends; fails if the site does not answer within 60 s.

    db_path (Path): the database.
    args (str): more `serve` flags, such as --private.
    log (Path): where the server's output goes (a file beside the database by default).
    """
    port = free_port()
    log = log or db_path.with_name(f"serve-{port}.log")
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "launchwire", "serve", "--db", str(db_path), "--port", str(port),
             *args], cwd=REPO, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **env})
    site = ServedSite(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_for(site)
        yield site
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for(site: ServedSite) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(site.base + "/", timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline or site.process.poll() is not None:
                raise RuntimeError("the site did not start: " + site.output()) from None
            time.sleep(0.3)
