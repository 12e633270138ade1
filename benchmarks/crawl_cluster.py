"""A distributed crawl on many loopback hosts (#18): pages/second with 1, 2 and 4 crawl
workers, what the server saw in flight per host, how often each URL was fetched, and whether
the articles stored equal an embedded crawl's.

Each host (127.0.0.2, 127.0.0.3, …: Linux routes all of 127/8 to loopback, and each host
name is its own Scrapy download slot) serves robots.txt, a feed and its articles, every
response after LATENCY_S, counting the requests it is answering at once.

    python -m benchmarks.crawl_cluster [--hosts 32] [--pages 20] [--workers 1 2 4]
                                       [--worker-hosts 4]

Each worker crawls `--worker-hosts` hosts at once, 2 requests in flight per host, so one
worker's pages/s are set by the hosts' latency, as a real crawl's are by politeness; the CPU
seconds of the crawl's processes (writer, workers, broker) per page are printed beside it,
to tell a machine that ran out of cores from a cluster that does not scale (they include
each process's start-up and the extraction of the articles after the crawl).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import sqlite_utils

REPO = Path(__file__).resolve().parent.parent
LATENCY_S = 0.2
# Production politeness but for the delay, which would hide the latency being measured.
ENV = {"LAUNCHWIRE_DOWNLOAD_DELAY": "0", "LAUNCHWIRE_CONCURRENT_PER_DOMAIN": "2"}
WORDS = ("launch product company users app market phone model chip service price region "
         "growth funding round share review update feature rollout").split()


def article_html(host: int, number: int) -> bytes:
    words = " ".join(WORDS[(host * 7 + number * 3 + i) % len(WORDS)] for i in range(120))
    return (f"<html><head><title>Story {number} from host {host}</title></head><body>"
            f"<article><h1>Story {number} from host {host}</h1><p>Host {host} reports story "
            f"{number}. {words}.</p></article></body></html>").encode()


class Host:
    """One loopback host's server, and what it saw."""

    def __init__(self, address: str, index: int, pages: int) -> None:
        self.address, self.index = address, index
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0
        self.fetches: collections.Counter[str] = collections.Counter()
        self.times: list[float] = []
        self.httpd = ThreadingHTTPServer((address, 0), self.handler())
        self.httpd.daemon_threads = True
        self.base = f"http://{address}:{self.httpd.server_address[1]}"
        self.pages = {f"/a/{n}.html": article_html(index, n) for n in range(pages)}
        items = "".join(f"<item><title>Story {n}</title><link>{self.base}/a/{n}.html</link>"
                        f"<pubDate>Tue, 01 Dec 2026 {n % 24:02d}:00:00 GMT</pubDate></item>"
                        for n in range(pages))
        self.feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Host {index}'
                     f"</title>{items}</channel></rss>").encode()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def reply(self, path: str) -> tuple[int, bytes, str]:
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if path == "/feed.xml":
            return 200, self.feed, "application/rss+xml"
        if path in self.pages:
            return 200, self.pages[path], "text/html; charset=utf-8"
        return 404, b"", "text/plain"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                with host.lock:
                    host.in_flight += 1
                    host.most_in_flight = max(host.most_in_flight, host.in_flight)
                    host.fetches[self.path] += 1
                try:
                    time.sleep(LATENCY_S)
                    status, body, content_type = host.reply(self.path)
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with host.lock:
                        host.in_flight -= 1
                        if self.path.startswith("/a/"):
                            host.times.append(time.monotonic())

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def sources_toml(self) -> str:
        return (f'[[source]]\nname = "host{self.index}"\nhomepage = "{self.base}/"\n'
                f'feeds = ["{self.base}/feed.xml"]\nallow_private = true\n')

    def reset(self) -> None:
        self.fetches.clear()
        self.times.clear()
        self.most_in_flight = 0


def launchwire(*args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "launchwire", *args], cwd=REPO,
                            env={**os.environ, **ENV, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def crawl(hosts: list[Host], folder: Path, workers: int | None,
          worker_hosts: int) -> dict[str, Any]:
    """One crawl into a new database: embedded (workers None) or with that many workers."""
    from tests.redis_server import RedisServer
    from tests.conftest import free_port

    for host in hosts:
        host.reset()
    name = "embedded" if workers is None else f"{workers}-workers"
    database = folder / f"{name}.db"
    sources = folder / "sources.toml"
    cluster: list[str] = []
    broker, started = None, []
    cpu_before = _children_cpu_s()
    if workers is not None:
        broker = RedisServer(folder / f"redis-{name}", free_port()).start()
        cluster = ["--cluster", broker.url]
        started = [launchwire("worker", "crawl", *cluster, "--hosts", str(worker_hosts))
                   for _ in range(workers)]
    try:
        writer = launchwire("crawl", "--db", str(database), "--sources", str(sources), *cluster)
        _, errors = writer.communicate(timeout=900)
        if writer.returncode:
            raise RuntimeError(errors.decode())
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=60)
        if broker:
            broker.stop()
    times = sorted(t for host in hosts for t in host.times)
    db = sqlite_utils.Database(database)
    return {"name": name, "pages": len(times),
            "cpu_ms_per_page": (_children_cpu_s() - cpu_before) * 1000 / len(times),
            "pages_per_s": (len(times) - 1) / (times[-1] - times[0]),
            "most_in_flight_per_host": max(host.most_in_flight for host in hosts),
            # Article fetches beyond each URL's first.
            "refetched": sum(count - 1 for host in hosts
                             for path, count in host.fetches.items() if path.startswith("/a/")),
            "articles": [tuple(row) for row in db.execute(
                "select url, title, text from articles order by url").fetchall()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=32)
    parser.add_argument("--pages", type=int, default=20, help="articles per host")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--worker-hosts", type=int, default=4,
                        help="hosts each worker crawls at once")
    args = parser.parse_args()
    hosts = [Host(f"127.0.0.{n + 2}", n, args.pages) for n in range(args.hosts)]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "sources.toml").write_text("\n".join(h.sources_toml() for h in hosts))
        runs = [crawl(hosts, Path(folder), workers, args.worker_hosts)
                for workers in [None, *args.workers]]
    embedded, first = runs[0], runs[1]
    for run in runs:
        scale = run["pages_per_s"] / first["pages_per_s"]
        print(json.dumps({
            "run": run["name"], "pages": run["pages"],
            "pages_per_s": round(run["pages_per_s"], 1), "x_one_worker": round(scale, 2),
            "cpu_ms_per_page": round(run["cpu_ms_per_page"], 1),
            "most_in_flight_per_host": run["most_in_flight_per_host"],
            "refetched": run["refetched"],
            "articles_equal_embedded": run["articles"] == embedded["articles"],
            "articles": len(run["articles"])}))


if __name__ == "__main__":
    main()
