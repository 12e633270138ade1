"""Crawl pages/second on a generated loopback site of 2,016 articles (the sample site and 47
mirrors of it, each with its feeds), answered at once and, half as large, 100 ms late as a
distant site would: `launchwire crawl` beside bare Scrapy fetching the same URLs, each
crawl in its own process (one Twisted reactor per process), median of 3, with peak memory.

`launchwire crawl` is Scrapy fetching (feeds, then entries, stored raw) with extraction of
the stored pages in worker processes beside it, which then finish what is left: the time to
the end of the fetching and the time to the last article are both reported.

    python -m benchmarks.crawl
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 3
# (name, mirrors, seconds each answer waits): loopback, where fetching is CPU work and
# extraction competes with it, and a distant site's latency, where fetching mostly waits.
SCENARIOS = (("at once, 2,016 articles", 47, 0.0), ("100 ms late, 1,008 articles", 23, 0.1))


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def bare_child(url_file: str) -> None:
    """Bare Scrapy: default settings, no pipelines, just fetch every URL."""
    import scrapy
    from scrapy.crawler import AsyncCrawlerProcess

    urls = Path(url_file).read_text().split()

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, dont_filter=True)

        def parse(self, response):
            return None

    process = AsyncCrawlerProcess({"LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
                                   "CONCURRENT_REQUESTS_PER_DOMAIN": 8})
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    started = time.perf_counter()
    process.start()
    elapsed = time.perf_counter() - started
    print(json.dumps({"pages": crawler.stats.get_value("response_received_count"),
                      "fetch_s": elapsed, "extract_s": 0.0, "peak_mb": _peak_mb()}))


def launchwire_child(sources_file: str, db_file: str, mode: str = "beside") -> None:
    """launchwire's crawl stage, as `launchwire demo` runs it on the loopback sample site;
    mode "after" extracts only after the fetching, as before #17, for comparison."""
    from contextlib import nullcontext

    from crawlers.extract import ExtractReport, extract_pages, extraction_alongside
    from crawlers.run import run_crawl
    from crawlers.sources import load_sources
    from db import connect
    from launchwire.settings import load_settings, scrapy_overrides

    settings = load_settings({"db": db_file})
    sources = load_sources(sources_file)
    db = connect(db_file)  # created and migrated before the extraction process opens it
    started = time.perf_counter()
    beside = extraction_alongside(db_file, settings.db_busy_timeout, settings.extract_workers)
    with (beside if mode == "beside" else nullcontext(ExtractReport())) as report:
        stats = run_crawl(sources, scrapy_overrides(settings, polite=False))
        fetched = time.perf_counter()
    report.add(extract_pages(db, workers=settings.extract_workers))
    extracted = time.perf_counter()
    print(json.dumps({"pages": stats.get("response_received_count"), "stored": report.stored,
                      "fetch_s": fetched - started, "extract_s": extracted - fetched,
                      "peak_mb": _peak_mb()}))


def _scenario(mirrors: int, latency_s: float) -> dict[str, list[dict]]:
    """Both crawls, REPEATS times, of the sample site and `mirrors` copies of it."""
    from benchmarks.common import run_child
    from launchwire.sample_site import SampleServer, sources_toml

    runs: dict[str, list[dict]] = {"bare": [], "beside": [], "after": []}
    with SampleServer(mirrors=mirrors, latency_s=latency_s) as server, \
            tempfile.TemporaryDirectory() as folder:
        sites = [server.site, *server.mirrors]
        all_sources = [source for site in sites for source in site.sources()]
        sources = Path(folder) / "sources.toml"
        sources.write_text(sources_toml(all_sources))
        urls = Path(folder) / "urls.txt"
        feeds = [feed for source in all_sources for feed in source.feeds]
        articles = [url for site in sites for url in site.url_to_key()]
        urls.write_text("\n".join(feeds + articles))
        for repeat in range(REPEATS):
            runs["bare"].append(run_child("benchmarks.crawl", "bare", str(urls)))
            for mode in ("beside", "after"):
                runs[mode].append(run_child("benchmarks.crawl", "launchwire", str(sources),
                                            str(Path(folder) / f"{mode}{repeat}.db"), mode))
    return runs


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    from benchmarks.common import median

    table = Table(title=f"crawl over HTTP on 127.0.0.1: pages/s, median of {REPEATS}; "
                        "targets: fetch >= 0.9 and fetch + extraction >= 0.7 of bare Scrapy")
    for column in ("site", "", "pages/s", "ratio to bare", "peak MB"):
        table.add_column(column)
    stored = set()
    for name, mirrors, latency_s in SCENARIOS:
        runs = _scenario(mirrors, latency_s)
        bare_rate = median(r["pages"] / r["fetch_s"] for r in runs["bare"])
        fetch_rate = median(r["pages"] / r["fetch_s"] for r in runs["beside"])
        whole_rate, after_rate = (median(r["pages"] / (r["fetch_s"] + r["extract_s"])
                                         for r in runs[mode]) for mode in ("beside", "after"))
        table.add_row(name, "bare Scrapy, same URLs and feeds", f"{bare_rate:,.0f}", "1.00",
                      f"{median(r['peak_mb'] for r in runs['bare']):.0f}")
        table.add_row("", "launchwire: end of fetching", f"{fetch_rate:,.0f}",
                      f"{fetch_rate / bare_rate:.2f}",
                      f"{median(r['peak_mb'] for r in runs['beside']):.0f}")
        table.add_row("", "launchwire: last article stored", f"{whole_rate:,.0f}",
                      f"{whole_rate / bare_rate:.2f}", "")
        table.add_row("", "(extraction after the fetching)", f"{after_rate:,.0f}",
                      f"{after_rate / bare_rate:.2f}", "", end_section=True)
        stored |= {(name, r["stored"]) for mode in ("beside", "after") for r in runs[mode]}
    console = Console(width=110)
    console.print(table)
    console.print(f"articles stored per run: {sorted(stored)}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "bare":
        bare_child(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "launchwire":
        launchwire_child(*sys.argv[2:5])
    else:
        main()
