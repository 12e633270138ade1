"""A distributed crawl (#18): the writer and crawl workers over a real Redis store what an
embedded crawl stores, each URL fetched once, JSON on the wire."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlite_utils

from crawlers.cluster.wire import Task, dump_answer, load_answer
from crawlers.items import DocumentRead, Fetched, Page
from launchwire.sample_site import SampleServer
from tests.conftest import (REPO, SLOW_CRAWL, count_rows, free_port, mirrored_sources,
                            run_launchwire, start_crawl_workers, stop_processes)

ARTICLE_COLUMNS = "url, source, title, author, published, lang, text"


def articles(database: Path) -> list[dict]:
    db = sqlite_utils.Database(database)
    return list(db.query(f"select {ARTICLE_COLUMNS} from articles order by url"))


def test_answers_cross_the_wire_as_json_only() -> None:
    when = datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc)
    items = [Fetched(url="http://a.test/1", source="a", status=200, size=3, ms=12),
             Page(url="http://a.test/1", entry_url="http://a.test/1", source="a", status=200,
                  body=b"\x00\xffbytes", hints={"title": "T"}),
             DocumentRead(document_url="http://a.test/feed", source="a", kind="feed",
                          status=200, dates=[when], newest=when,
                          entries=[{"url": "http://a.test/1", "title": "T"}])]
    child = Task(key="sitemap http://a.test/s1.xml", kind="sitemap",
                 url="http://a.test/s1.xml", source={"name": "a"}, child=True)
    text = dump_answer("entry http://a.test/1", items, [child])
    wire = json.loads(text)  # plain JSON: no pickle anywhere
    assert wire["items"][1]["body"] == {"$bytes": base64.b64encode(b"\x00\xffbytes").decode()}
    assert load_answer(text) == ("entry http://a.test/1", items, [child])
    assert Task.loads(child.dumps()) == child and child.host == "a.test"


@pytest.mark.slow
def test_a_distributed_crawl_stores_what_an_embedded_one_does(
        sample_server: SampleServer, redis_server, tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_server.site.sources_toml(), encoding="utf-8")
    embedded, distributed = tmp_path / "embedded.db", tmp_path / "distributed.db"
    fast = {"LAUNCHWIRE_DOWNLOAD_DELAY": "0"}
    result = run_launchwire("crawl", "--db", str(embedded), "--sources", str(sources), **fast)
    assert result.returncode == 0, result.stderr

    workers = start_crawl_workers(2, redis_server.url, **fast)
    try:
        result = run_launchwire("crawl", "--db", str(distributed), "--sources", str(sources),
                                "--cluster", redis_server.url, timeout=180)
    finally:
        codes = stop_processes(workers)
    assert result.returncode == 0, result.stderr
    assert codes == [0, 0]
    expected = set(sample_server.site.url_to_key())
    stored = articles(distributed)
    assert {row["url"] for row in stored} == expected
    assert stored == articles(embedded)
    db = sqlite_utils.Database(distributed)
    fetched = [row["url"] for row in db.query("select url from fetches where status = 200")]
    assert len(fetched) == len(set(fetched))  # every URL fetched once
    assert db.execute("select count(*) from entries where state != 'done'").fetchone()[0] == 0
    # The run leaves nothing queued behind it.
    assert not [key for key in redis_server.client().scan_iter("launchwire:crawl:*")
                if b":lease:" not in key]


def _kill_the_lease_holder(redis_server, workers: list[subprocess.Popen]) -> None:
    """SIGKILL the worker crawling the sample site's host, mid-fetch."""
    holder = redis_server.client().get("launchwire:crawl:lease:127.0.0.1")
    assert holder, "no worker holds the host"
    pid = int(holder.decode().split(":")[1])
    [worker] = [worker for worker in workers if worker.pid == pid]
    worker.send_signal(signal.SIGKILL)
    worker.wait()


FAULTS = {"a worker killed": _kill_the_lease_holder,
          "the broker restarted": lambda redis_server, workers: redis_server.restart(),
          # A broker that lost everything: the writer queues what it has not stored again.
          "the broker's data lost": lambda redis_server, workers: redis_server.client().flushdb()}


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS)
def test_a_distributed_crawl_survives(fault: str, redis_server, tmp_path: Path) -> None:
    with SampleServer(mirrors=2) as server:
        expected, sources = mirrored_sources(server, tmp_path)
        database = tmp_path / "cluster.db"
        workers = start_crawl_workers(2, redis_server.url, **SLOW_CRAWL)
        writer = subprocess.Popen(
            [sys.executable, "-m", "launchwire", "crawl", "--db", str(database), "--sources",
             str(sources), "--cluster", redis_server.url], cwd=REPO, env=dict(os.environ),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 120
            while not (isinstance(stored := count_rows(database, "pages"), int) and stored >= 40):
                assert writer.poll() is None and time.monotonic() < deadline, stored
                time.sleep(0.05)
            FAULTS[fault](redis_server, workers)
            stored = count_rows(database, "pages")
            assert isinstance(stored, int) and stored < len(expected), "ended before the fault"
            _, errors = writer.communicate(timeout=240)
        finally:
            if writer.poll() is None:
                writer.kill()
            stop_processes(workers)
    assert writer.returncode == 0, errors.decode()
    db = sqlite_utils.Database(database)
    urls = [row["url"] for row in db.query("select url from articles")]
    assert len(urls) == len(set(urls)) and set(urls) == expected
    assert db.table("pages").count == len(expected)
    # The writer logged each page's fetch once: a fetch lost with its worker was not answered.
    fetched = [row["url"] for row in db.query("select url from fetches where status = 200")]
    assert len(fetched) == len(set(fetched))
    assert db.execute("select count(*) from entries where state != 'done'").fetchone()[0] == 0
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


def _hostile_crawl(folder: Path, *cluster: str) -> tuple[list[str], set[tuple], dict]:
    """The team's hostile site crawled into a new database (through the broker when
    `cluster` names it); RETURNS (article paths, the fetch log's (path, status, error),
    GET requests the site received per path)."""
    from hostile_site import HostileSite
    from test_hostile import LIMITS

    with HostileSite() as site:
        sources = folder / "sources.toml"
        sources.write_text(site.sources_toml(), encoding="utf-8")
        database = folder / "hostile.db"
        result = run_launchwire("crawl", "--db", str(database), "--sources", str(sources),
                                *cluster, timeout=240, **LIMITS)
        assert result.returncode == 0, result.stderr
        db = sqlite_utils.Database(database)
        # The copy of good-1 and good-1 are one story, whichever came first (test_hostile).
        paths = sorted("/a/good-1.html" if path == "/a/copy-of-good-1.html" else path
                       for row in db.query("select url from articles")
                       if (path := row["url"].removeprefix(site.base_url)))
        fetches = {(row["url"].replace(site.base_url, ""), row["status"],
                    (row["error"] or "").replace(site.base_url, ""))
                   for row in db.query("select url, status, error from fetches")}
        return paths, fetches, dict(site.hits)


@pytest.mark.slow
def test_hostile_input_is_handled_as_an_embedded_crawl_handles_it(
        redis_server, tmp_path: Path) -> None:
    # robots.txt, Retry-After, redirects, size limits, private addresses, soft blocks: the
    # workers' own Scrapy applies each as an embedded crawl does, and the writer stores it.
    sys.path.insert(0, str(REPO / "tests" / "crawlers"))  # hostile_site's own imports
    (tmp_path / "embedded").mkdir()
    (tmp_path / "distributed").mkdir()
    from test_hostile import LIMITS

    embedded = _hostile_crawl(tmp_path / "embedded")
    # Fetching limits are the workers' settings: they make the requests.
    workers = start_crawl_workers(2, redis_server.url, **LIMITS)
    try:
        distributed = _hostile_crawl(tmp_path / "distributed", "--cluster", redis_server.url)
    finally:
        stop_processes(workers)
    assert distributed[0] == embedded[0]
    assert distributed[1] ^ embedded[1] == set()
    # Each worker reads a host's robots.txt once, the first time it leases the host.
    robots = distributed[2].pop("/robots.txt")
    assert 1 <= robots <= len(workers)
    embedded[2].pop("/robots.txt")
    assert {path: n for path, n in distributed[2].items() if embedded[2].get(path) != n} == {}


def test_a_broker_that_is_not_there_stops_the_crawl_in_one_line(
        sample_server: SampleServer, tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_server.site.sources_toml(), encoding="utf-8")
    url = f"redis://127.0.0.1:{free_port()}/0"
    result = run_launchwire("crawl", "--db", str(tmp_path / "x.db"), "--sources", str(sources),
                            "--cluster", url, timeout=60)
    assert result.returncode == 1
    assert f"the broker {url} is unreachable" in result.stderr
    assert "Traceback" not in result.stderr
