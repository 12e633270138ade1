"""A crawl killed with SIGKILL and run again loses nothing and stores nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from launchwire.sample_site import SampleServer
from tests.conftest import (REPO, SLOW_CRAWL, count_rows, mirrored_sources,
                            run_launchwire)

pytestmark = pytest.mark.slow

def test_killed_crawl_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    with SampleServer(mirrors=5) as server:
        expected, sources = mirrored_sources(server, tmp_path)
        database = tmp_path / "resume.db"
        child = subprocess.Popen(
            [sys.executable, "-m", "launchwire", "crawl", "--db", str(database), "--sources",
             str(sources)], cwd=REPO, env={**os.environ, **SLOW_CRAWL},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        seen: list[int | str] = []
        while time.monotonic() < deadline:
            stored = count_rows(database, "pages")
            if not seen or seen[-1] != stored:
                seen.append(stored)
            if isinstance(stored, int) and stored >= 40:
                break
            assert child.poll() is None, f"the crawl finished before it could be killed: {seen}"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed_at = count_rows(database, "pages")
        assert isinstance(killed_at, int) and 40 <= killed_at < len(expected), seen

        result = run_launchwire("crawl", "--db", str(database), "--sources", str(sources),
                                LAUNCHWIRE_DOWNLOAD_DELAY="0")
        assert result.returncode == 0, result.stderr

    db = sqlite_utils.Database(database)
    urls = [row["url"] for row in db.query("select url from articles")]
    assert len(urls) == len(set(urls)) == len(expected)
    assert set(urls) == expected
    assert db.table("pages").count == len(expected)
    assert db.execute("select count(*) from entries where state != 'done'").fetchone()[0] == 0
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
