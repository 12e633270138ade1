"""Feed generation time on a synthetic 200k-article database (issue #8): p50 and p95 per
kind of feed, each answered in process by the site's own routes (no network in the way).

    python -m benchmarks.feeds [--db PATH] [--articles 200000] [--requests 60]

Without `--db`, the database is built as `benchmarks.site` builds it (several minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote


async def measure(db_path: Path, requests: int) -> dict[str, list[float]]:
    import sqlite_utils

    from benchmarks.common import commonest_words
    from publish.reads import FEED_SUBJECTS
    from publish.site import make_datasette
    from publish.slugs import feed_slugs

    db = sqlite_utils.Database(db_path)
    companies = [row[0] for row in db.execute(
        "select c.name from launches l join entities c on c.id = l.company_id "
        "group by c.id order by count(*) desc limit 20").fetchall()]
    products = [row[0] for row in db.execute(
        "select p.name from launches l join entities p on p.id = l.product_id "
        "order by random() limit 20").fetchall()]
    sources = [row[0] for row in db.execute("select name from sources limit 20").fetchall()]
    # Feed URLs hold slugs (#16), each settled among all the names of its kind.
    slugs = {by: feed_slugs(row[0] for row in db.execute(sql).fetchall())
             for by, sql in FEED_SUBJECTS.items()}
    words = [name.split()[0] for name in products]
    common = commonest_words(db)
    feeds = {
        "all launches (Atom)": ["/-/feeds/launches.atom"],
        "all launches (RSS)": ["/-/feeds/launches.rss"],
        "per company": [f"/-/feeds/company/{slugs['company'][c]}.atom" for c in companies],
        "per product": [f"/-/feeds/product/{slugs['product'][p]}.atom" for p in products],
        "per label": ["/-/feeds/label/product.atom"],
        "confirmed launches only": ["/-/feeds/modality/launched.atom"],
        "saved search": [f"/-/feeds/launches.atom?q={quote(w)}" for w in words],
        "saved search, common word": [f"/-/feeds/launches.atom?q={quote(w)}" for w in common],
        "an outlet's articles": [f"/-/feeds/source/{slugs['source'][s]}.atom" for s in sources],
    }
    # The page cache off: each request makes its feed, as the first after a change does.
    datasette = make_datasette(db_path, page_cache_mb=0)
    results = {}
    for name, paths in feeds.items():
        for path in dict.fromkeys(paths):  # each once first, as a live site's are
            await datasette.client.get(path)
        times = []
        for i in range(requests):
            started = time.perf_counter()
            response = await datasette.client.get(paths[i % len(paths)])
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, paths[i % len(paths)]
        results[name] = sorted(times)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=60)
    options = parser.parse_args()
    from rich.console import Console
    from rich.table import Table

    from benchmarks.site import ensure_database

    with tempfile.TemporaryDirectory() as folder:
        path = ensure_database(options.db or Path(folder) / "launchwire.db", options.articles)
        results = asyncio.run(measure(path, options.requests))
    table = Table(title=f"feed generation, {options.articles:,} articles, {options.requests} each")
    for column in ("feed", "p50 ms", "p95 ms"):
        table.add_column(column, justify="left" if column == "feed" else "right")
    for name, times in results.items():
        table.add_row(name, f"{statistics.median(times):.1f}",
                      f"{times[int(len(times) * 0.95) - 1]:.1f}")
    Console().print(table)


if __name__ == "__main__":
    main()
