"""Requests/second of two `serve --immutable` replicas of one snapshot beside one (#18).

    python -m benchmarks.replicas --db PATH [--articles 10000] [--clients 8] [--seconds 10]

The database (synthetic, built when missing, as benchmarks.load builds it) is snapshotted
beside itself with `publish --snapshot`'s code; two replicas serve the snapshot, each its own
process on a free loopback port. The closed-loop clients of benchmarks.load ask the same page
set either of the first replica alone or spread evenly over both, as a load balancer would,
three times each, alternately. Printed: requests/s of each, the ratio, and how much faster two
busy loops ran than one just after: the yardstick of a shared machine (2.0 on two idle cores).
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from benchmarks.common import median, report
from benchmarks.load import Page, Server, client, free_port, pages, warm, weights
from benchmarks.process import machine_ratio
from benchmarks.site import ensure_database
from db import connect
from db.snapshot import write_snapshot

REPEATS = 3


def requests_per_second(servers: list[Server], page_set: list[Page], clients: int,
                        seconds: float) -> float:
    """Answers a second to `clients` closed-loop clients spread evenly over `servers`."""
    chosen = weights(page_set)
    per_client: list[list[tuple[str, float, int]]] = [[] for _ in range(clients)]
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(
        servers[i % len(servers)].port, page_set, chosen, deadline, clients * 1000 + i,
        per_client[i])) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answered = sum(1 for samples in per_client for _, _, status in samples if status)
    return answered / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True,
                        help="a launchwire database, built (synthetic) when missing")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0, help="per measured run")
    options = parser.parse_args()
    ensure_database(options.db, options.articles)
    snapshot = options.db.with_name("replicas") / options.db.name
    snapshot.parent.mkdir(exist_ok=True)
    write_snapshot(connect(options.db, create=False), snapshot)
    page_set = pages(snapshot)
    # One process each, so that two replicas are two processes (serve uses one per core).
    servers = [Server(snapshot, free_port(), None, "--immutable", "--workers", "1")
               for _ in range(2)]
    runs: dict[int, list[float]] = {1: [], 2: []}
    try:
        for server in servers:
            server.wait_ready()
            warm(server, page_set)
        for _ in range(REPEATS):
            for count in (1, 2):
                runs[count].append(requests_per_second(
                    servers[:count], page_set, options.clients, options.seconds))
        yardstick = machine_ratio()
    finally:
        for server in servers:
            server.stop()
    report(f"{options.clients} clients on {snapshot} ({options.seconds:g} s a run)",
           "requests/s", runs[1], runs[2], "1 replica", "2 replicas")
    print(f"two busy loops ran {yardstick:.2f}x one just after; replicas "
          f"{median(runs[2]) / median(runs[1]):.2f}x")


if __name__ == "__main__":
    main()
