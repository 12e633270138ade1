"""Throughput, latency and server memory of the site under concurrent loopback clients (#12).

    python -m benchmarks.load --db PATH [--articles 10000] [--clients 8 32] [--seconds 20]
                              [--port N] [--cwd DIR]

`launchwire serve --db PATH` runs in its own process on a free loopback port; with `--cwd DIR`
it is `python -m launchwire serve` run from DIR, which imports the launchwire packages found
there first, so an older checkout (a `git worktree`) is measured by the same script. For each
client count, that many closed-loop clients (threads, each with one keep-alive connection,
each waiting for its answer before asking again) run for `--seconds` over a mixed page set
drawn from the database's own ids and names; about 1 request in 12 is a 404, because error
responses were found to be expensive (#12). Printed: requests/s, p50/p95/p99 latency, errors
(5xx and connection errors; 4xx are counted apart, as expected), the server's CPU and resident
memory (VmRSS, peak and end), and each page's p50 and p95; a JSON summary is the last line.
The machine is shared, so the CPU used meanwhile by other processes is printed too.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from rich.console import Console
from rich.table import Table

from benchmarks.site import ensure_database
from publish.slugs import feed_slugs
from tests.publish.served import process_tree_cpu

REPO = Path(__file__).resolve().parents[1]
NOT_FOUND_SHARE = 1 / 12
TIMEOUT = 60.0


@dataclass(frozen=True)
class Page:
    """One kind of request: its label, the paths it is drawn from, the status it should get."""

    label: str
    paths: tuple[str, ...]
    status: int = 200


@dataclass
class Run:
    """What one client count measured: (label, ms, status) per request; status 0 = no answer."""

    clients: int
    seconds: float = 0.0
    samples: list[tuple[str, float, int]] = field(default_factory=list)
    rss_start_kb: int = 0
    rss_peak_kb: int = 0
    rss_end_kb: int = 0
    rss_hwm_kb: int = 0
    server_cpu_s: float = 0.0
    other_cpu_s: float = 0.0


def pages(db_path: Path, seed: int = 12) -> list[Page]:
    """The page set, with real ids and names read from the database (sqlite3, read-only);
    seeded, so that two checkouts measured on one database are asked the same pages.

    db_path (Path): the database the server serves; its stem is Datasette's database name.
    seed (int): picks the launches, entities, companies and products asked for.
    RETURNS (list[Page]): every kind of request, the 404 kinds last.
    """
    name = quote(db_path.stem)
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def sample(sql: str, size: int) -> list[str]:
        values = [str(row[0]) for row in conn.execute(sql + " order by 1")]
        return rng.sample(values, min(size, len(values)))

    launch_ids = sample("select id from launches", 40)
    companies = sample("select distinct c.name from launches l join entities c "
                       "on c.id = l.company_id", 20)
    products = sample("select distinct p.name from launches l join entities p "
                      "on p.id = l.product_id", 20)
    entity_ids = sample("select id from entities", 40)
    # A feed's URL holds its slug (#16), settled among all the companies' names.
    slugs = feed_slugs(row[0] for row in conn.execute(
        "select distinct c.name from launches l join entities c on c.id = l.company_id"))
    conn.close()
    words = [product.split()[0] for product in products]
    db = f"/{name}"

    def each(template: str, values: list[str], key: str | None = None) -> tuple[str, ...]:
        return tuple(template.format(urlencode({key: v}) if key else quote(v, safe=""))
                     for v in values)

    return [
        Page("home", ("/",)),
        Page("table launches", (f"{db}/launches",)),
        Page("table entities", (f"{db}/entities",)),
        Page("table articles_public",
             (f"{db}/articles_public", f"{db}/articles_public?_next=60")),
        Page("facet articles_public", (f"{db}/articles_public?_facet=source&_facet=month",)),
        Page("table search (_search)", each(f"{db}/articles_public?{{}}", words, "_search")),
        Page("row entities (charts)", each(f"{db}/entities/{{}}", entity_ids)),
        Page("canned search (BM25)", each(f"{db}/search?{{}}", words, "q")),
        Page("canned latest_launches", (f"{db}/latest_launches?modality=",)),
        Page("canned launches_by_company",
             each(f"{db}/launches_by_company?{{}}", companies, "company")),
        Page("canned metric_history", each(f"{db}/metric_history?metric=&{{}}", products, "name")),
        Page("canned first_to_report", (f"{db}/first_to_report",)),
        Page("canned most_covered", (f"{db}/most_covered?days=",)),
        Page("canned disagreeing_figures", (f"{db}/disagreeing_figures?since=",)),
        Page("launch page", each("/-/launch/{}", launch_ids)),
        Page("feed launches.atom", ("/-/feeds/launches.atom",)),
        Page("feed company atom", each("/-/feeds/company/{}.atom", [slugs[c] for c in companies])),
        Page("json launches", (f"{db}/launches.json", f"{db}/launches.json?_shape=array")),
        Page("json canned search", each(f"{db}/search.json?{{}}", words, "q")),
        Page("json table search", each(f"{db}/articles_public.json?{{}}", words, "_search")),
        Page("404 missing table", (f"{db}/no_such_table", f"{db}/no_such_table.json"), 404),
        Page("404 missing launch", ("/-/launch/999999999", "/-/launch/no-such-story"), 404),
        Page("404 missing row", (f"{db}/launches/999999999",), 404),
    ]


def weights(page_set: list[Page]) -> list[float]:
    """Every page kind equally likely, except that the 404 kinds together make NOT_FOUND_SHARE."""
    missing = sum(1 for page in page_set if page.status == 404)
    found = len(page_set) - missing
    each_missing = found * NOT_FOUND_SHARE / (1 - NOT_FOUND_SHARE) / missing
    return [each_missing if page.status == 404 else 1.0 for page in page_set]


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores, from /proc/stat)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # less idle, iowait


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`launchwire serve` in its own process, with its memory and CPU read from /proc."""

    def __init__(self, db_path: Path, port: int, cwd: Path | None, *serve_args: str) -> None:
        self.port = port
        self.cwd = cwd or REPO
        self.log = tempfile.TemporaryFile()
        # -m puts the cwd first on sys.path, ahead of the editable install's finder.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "launchwire", "serve", "--db", str(db_path.resolve()),
             "--host", "127.0.0.1", "--port", str(port), *serve_args],
            cwd=self.cwd, stdout=self.log, stderr=subprocess.STDOUT)

    def code(self) -> str:
        """Where the served code comes from, as the server's interpreter resolves it."""
        return subprocess.run(
            [sys.executable, "-c", "import launchwire, publish; print(publish.__file__)"],
            cwd=self.cwd, capture_output=True, text=True, check=True).stdout.strip()

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", "/")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.log.seek(0)
        log = self.log.read().decode(errors="replace")
        raise RuntimeError(f"the server did not answer:\n{log}")

    def rss_kb(self, field: str = "VmRSS") -> int:
        """The resident memory now (VmRSS) of the server and its workers, or the sum of their
        high-water marks (VmHWM)."""
        total = 0
        for pid in process_tree_cpu(self.process.pid):
            with contextlib.suppress(OSError):  # a process gone since it was listed
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(field + ":"):
                        total += int(line.split()[1])
        return total

    def cpu_seconds(self) -> float:
        """CPU seconds used by the server and its worker processes."""
        return sum(process_tree_cpu(self.process.pid).values())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def fetch(conn: http.client.HTTPConnection, path: str) -> int:
    """GET `path` on a kept-alive connection and read the whole body; RETURNS the status."""
    conn.request("GET", path, headers={"Accept-Encoding": "identity"})
    response = conn.getresponse()
    response.read()
    return response.status


def warm(server: Server, page_set: list[Page]) -> None:
    """Ask each page a few times, so its caches are warm, as a live site's would be."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    for page in page_set:
        for path in page.paths[:3]:
            fetch(conn, path)
    conn.close()


def client(port: int, page_set: list[Page], chosen: list[float], deadline: float, seed: int,
           out: list[tuple[str, float, int]]) -> None:
    """One closed-loop client: ask, wait for the whole answer, ask again until the deadline."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    while time.monotonic() < deadline:
        page = rng.choices(page_set, chosen)[0]
        path = rng.choice(page.paths)
        started = time.perf_counter()
        try:
            status = fetch(conn, path)
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()  # http.client reconnects on the next request
        out.append((page.label, (time.perf_counter() - started) * 1000, status))
    conn.close()


def measure(server: Server, page_set: list[Page], clients: int, seconds: float) -> Run:
    """Run `clients` clients for `seconds`, sampling the server's RSS every 100 ms.

    server (Server): the running, warmed-up server.
    page_set (list[Page]): what the clients ask, weighted by `weights`.
    clients (int): how many clients ask at once.
    seconds (float): how long they go on asking (the last answers are awaited).
    """
    run = Run(clients, rss_start_kb=server.rss_kb())
    run.rss_peak_kb = run.rss_start_kb
    chosen = weights(page_set)
    per_client: list[list[tuple[str, float, int]]] = [[] for _ in range(clients)]
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(server.port, page_set, chosen, deadline,
                                                      clients * 1000 + i, per_client[i]))
               for i in range(clients)]
    # The machine is shared (2 cores): CPU spent by neither the server nor these clients is
    # reported beside the figures, since it slows both.
    cpu, busy, ours = server.cpu_seconds(), busy_cpu_seconds(), time.process_time()
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        run.rss_peak_kb = max(run.rss_peak_kb, server.rss_kb())
        time.sleep(0.1)
    run.seconds = time.monotonic() - started
    run.server_cpu_s = server.cpu_seconds() - cpu
    run.other_cpu_s = (busy_cpu_seconds() - busy) - run.server_cpu_s - (time.process_time() - ours)
    run.rss_end_kb = server.rss_kb()
    run.rss_hwm_kb = server.rss_kb("VmHWM")  # since the server started; catches short peaks
    run.samples = [sample for samples in per_client for sample in samples]
    return run


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted `values` (0 when there are none)."""
    if not values:
        return 0.0
    return values[max(0, math.ceil(share * len(values)) - 1)]


def summary(run: Run) -> dict[str, float | int]:
    times = sorted(ms for _, ms, status in run.samples if status)
    statuses = [status for _, _, status in run.samples]
    return {"clients": run.clients, "requests": len(statuses),
            "rps": round(len(statuses) / run.seconds, 1),
            "p50_ms": round(percentile(times, 0.50), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "p99_ms": round(percentile(times, 0.99), 1),
            "errors": sum(1 for s in statuses if s == 0 or s >= 500),
            "4xx": sum(1 for s in statuses if 400 <= s < 500),
            "server_cpu_cores": round(run.server_cpu_s / run.seconds, 2),
            "other_cpu_cores": round(max(0.0, run.other_cpu_s) / run.seconds, 2),
            "rss_start_mb": round(run.rss_start_kb / 1024, 1),
            "rss_peak_mb": round(run.rss_peak_kb / 1024, 1),
            "rss_end_mb": round(run.rss_end_kb / 1024, 1),
            "rss_hwm_mb": round(run.rss_hwm_kb / 1024, 1)}


def per_page(run: Run, page_set: list[Page]) -> dict[str, dict[str, float | int]]:
    """Per page kind: count, p50, p95 and how many answers had a status other than expected."""
    expected = {page.label: page.status for page in page_set}
    grouped: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for label, ms, status in run.samples:
        grouped[label].append((ms, status))
    found = {}
    for label, rows in grouped.items():
        times = sorted(ms for ms, status in rows if status)
        found[label] = {"n": len(rows), "p50_ms": round(percentile(times, 0.50), 1),
                        "p95_ms": round(percentile(times, 0.95), 1),
                        "unexpected": sum(1 for _, status in rows if status != expected[label])}
    return found


def print_tables(title: str, runs: list[Run], page_set: list[Page]) -> None:
    # Rich assumes 80 columns when piped to a file, which cuts the column headers.
    console = Console(width=None if sys.stdout.isatty() else 120)
    table = Table(title=title, caption="latency in ms; err = 5xx and connection errors; "
                                       "cpu = server CPU seconds a second; other = "
                                       "the rest of the machine's, not the clients'; RSS in MB")
    for column in ("clients", "req/s", "requests", "p50", "p95", "p99", "err", "4xx", "cpu",
                   "other", "RSS peak", "RSS end"):
        table.add_column(column, justify="right")
    for run in runs:
        found = summary(run)
        table.add_row(*(f"{found[key]:,.0f}" for key in ("clients", "rps", "requests", "p50_ms",
                                                         "p95_ms", "p99_ms", "errors", "4xx")),
                      f"{found['server_cpu_cores']:.2f}", f"{found['other_cpu_cores']:.2f}",
                      f"{found['rss_peak_mb']:.0f}",
                      f"{found['rss_end_mb']:.0f}")
    console.print(table)
    pages_table = Table(title="per page, ms (!N: N answers with an unexpected status)")
    pages_table.add_column("page")
    breakdowns = [per_page(run, page_set) for run in runs]
    for run in runs:
        for column in ("n", "p50", "p95"):
            pages_table.add_column(f"{column} @{run.clients}", justify="right")
    for page in page_set:
        cells = []
        for found in breakdowns:
            row = found.get(page.label, {"n": 0, "p50_ms": 0.0, "p95_ms": 0.0, "unexpected": 0})
            flag = f" !{row['unexpected']}" if row["unexpected"] else ""
            cells += [f"{row['n']}", f"{row['p50_ms']:.0f}", f"{row['p95_ms']:.0f}{flag}"]
        pages_table.add_row(page.label, *cells)
    console.print(pages_table)


def verdict(runs: list[Run], page_set: list[Page]) -> str:
    """The runs beside #17's targets: p95 under 100 ms at 8 clients, and no page's p95 above
    250 ms at 32."""
    found = []
    for run in runs:
        if run.clients == 8:
            found.append(f"p95 at 8 clients {summary(run)['p95_ms']:.0f} ms (target < 100)")
        if run.clients == 32:
            worst = max(page["p95_ms"] for page in per_page(run, page_set).values())
            found.append(f"slowest page's p95 at 32 clients {worst:.0f} ms (target <= 250)")
    return "; ".join(found) or "targets are set for 8 and 32 clients"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True,
                        help="a launchwire database, built (synthetic) when missing")
    parser.add_argument("--articles", type=int, default=10_000,
                        help="articles in the database built when --db is missing")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=20.0, help="per client count")
    parser.add_argument("--port", type=int, help="default: a free loopback port")
    parser.add_argument("--cwd", type=Path, help="serve the launchwire code checked out here")
    options = parser.parse_args()
    ensure_database(options.db, options.articles)
    page_set = pages(options.db)
    server = Server(options.db, options.port or free_port(), options.cwd)
    try:
        server.wait_ready()
        code = server.code()
        warm(server, page_set)
        runs = [measure(server, page_set, clients, options.seconds) for clients in options.clients]
    finally:
        server.stop()
    print_tables(f"site under load: {options.db.name}, {options.seconds:g} s a client count, "
                 f"code in {Path(code).parent.parent}", runs, page_set)
    print(verdict(runs, page_set))
    print(json.dumps({"db": str(options.db), "code": code, "seconds": options.seconds,
                      "runs": [{**summary(run), "pages": per_page(run, page_set)}
                               for run in runs]}))


if __name__ == "__main__":
    main()
