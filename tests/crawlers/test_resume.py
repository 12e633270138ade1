"""A crawl killed with SIGKILL and run again loses nothing and stores nothing twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
import sqlite_utils

from launchwire.sample_site import SampleServer, sources_toml
from tests.conftest import REPO, run_launchwire

pytestmark = pytest.mark.slow

# Slow enough that the whole crawl (252 pages from one loopback host) takes over 20 s, so the
# kill lands mid-crawl however loaded the machine is; pages are stored in batches (≤50, ≤1 s).
SLOW = {"LAUNCHWIRE_DOWNLOAD_DELAY": "0.08", "LAUNCHWIRE_CONCURRENT_PER_DOMAIN": "1"}


def _count(database: Path, table: str) -> int | str:
    """Rows stored so far, or why they could not be counted yet (the child is starting up)."""
    if not database.exists():
        return "no file yet"
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)) as conn:
            return conn.execute(f"select count(*) from [{table}]").fetchone()[0]
    except sqlite3.Error as error:
        return str(error)


def test_killed_crawl_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    with SampleServer(mirrors=5) as server:
        sites = [server.site, *server.mirrors]
        expected = {url for site in sites for url in site.url_to_key()}
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_toml([s for site in sites for s in site.sources()]))
        database = tmp_path / "resume.db"
        child = subprocess.Popen(
            [sys.executable, "-m", "launchwire", "crawl", "--db", str(database), "--sources",
             str(sources)], cwd=REPO, env={**os.environ, **SLOW},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        seen: list[int | str] = []
        while time.monotonic() < deadline:
            stored = _count(database, "pages")
            if not seen or seen[-1] != stored:
                seen.append(stored)
            if isinstance(stored, int) and stored >= 40:
                break
            assert child.poll() is None, f"the crawl finished before it could be killed: {seen}"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed_at = _count(database, "pages")
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
