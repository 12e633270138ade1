"""How the site's and the feeds' latencies grow with the archive (#17): the same pages and
feeds measured on databases of, say, 100k, 300k and 1M articles, with each figure's growth
beside the data's. A figure that grows as fast as the data is a defect.

    python -m benchmarks.growth --dbs build/site-100k.db build/site-300k.db build/site-1m.db

Build each database first (`python -m benchmarks.site --articles N --db PATH --requests 0`:
100k takes about 5 minutes, 1M about an hour, most of it clustering). The site is measured
with its page cache off, so every request is rendered, as the first reader after a change
waits.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
from pathlib import Path

from benchmarks import feeds, site


def _articles(path: Path) -> int:
    import sqlite_utils

    return sqlite_utils.Database(path).execute("select max(id) from articles").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dbs", type=Path, nargs="+", required=True)
    parser.add_argument("--requests", type=int, default=100, help="per page or feed")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--serve-workers", type=int, default=None,
                        help="processes serving the site (default: launchwire's, one per core)")
    options = parser.parse_args()
    from rich.console import Console
    from rich.table import Table

    for path in options.dbs:
        if not path.exists():
            parser.error(f"{path}: build it first (see --help)")
        site.ensure_database(path, 0)  # brought up to date with the schema
    sizes = [_articles(path) for path in options.dbs]
    figures: dict[str, list[tuple[float, float]]] = {}
    for path in options.dbs:
        pages = site.measure(path, options.requests, options.clients, page_cache_mb=0,
                             serve_workers=options.serve_workers)
        made = asyncio.run(feeds.measure(path, options.requests))
        for name, times in [*pages.items(), *((f"feed: {k}", v) for k, v in made.items())]:
            figures.setdefault(name, []).append((statistics.median(times), site.p95(times)))
    serving = ("one process per core" if options.serve_workers is None
               else f"{options.serve_workers} serving process(es)")
    table = Table(title=f"growth with the archive: p50 / p95 ms, site with {options.clients} "
                        f"loopback clients, no page cache, {serving}; feeds in process")
    table.add_column("page or feed")
    for size in sizes:
        table.add_column(f"{size:,} articles", justify="right")
    table.add_column(f"p95 growth (data x{sizes[-1] / sizes[0]:.1f})", justify="right")
    table.add_column("p95 target at 1M", justify="right")
    for name, points in figures.items():
        table.add_row(name, *(f"{p50:.1f} / {p95:.1f}" for p50, p95 in points),
                      f"x{points[-1][1] / max(points[0][1], 0.1):.2f}", site.target_p95(name))
    Console(width=150).print(table)


if __name__ == "__main__":
    main()
