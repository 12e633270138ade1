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
        """CPU time the server process has used (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
