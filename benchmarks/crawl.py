"""Crawl pages/second on the sample site: `launchwire crawl` beside bare Scrapy fetching the
same URLs, each crawl in its own process (one Twisted reactor per process), median of 5.
The site is served with 9 mirrors (470 pages) so start-up costs do not swamp the figure.

    python -m benchmarks.crawl
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 5
MIRRORS = 9


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
    pages = crawler.stats.get_value("response_received_count")
    print(json.dumps({"pages": pages, "seconds": elapsed}))


def launchwire_child(sources_file: str, db_file: str) -> None:
    """launchwire's crawl stage, as `launchwire demo` runs it on the loopback sample site."""
    import crawlers.run  # noqa: F401  (import Scrapy before the clock starts, as bare_child does)
    from crawlers.sources import load_sources
    from launchwire import stages
    from launchwire.settings import load_settings

    settings = load_settings({"db": db_file})
    sources = load_sources(sources_file)
    started = time.perf_counter()
    report = stages.crawl(settings, sources, polite=False)
    elapsed = time.perf_counter() - started
    print(json.dumps({"pages": report.stats.get("response_received_count"), "seconds": elapsed}))


def main() -> None:
    from benchmarks.common import report, run_child
    from launchwire.sample_site import SampleServer, sources_toml

    bare, ours = [], []
    with SampleServer(mirrors=MIRRORS) as server, tempfile.TemporaryDirectory() as folder:
        sites = [server.site, *server.mirrors]
        all_sources = [source for site in sites for source in site.sources()]
        sources = Path(folder) / "sources.toml"
        sources.write_text(sources_toml(all_sources))
        urls = Path(folder) / "urls.txt"
        feeds = [feed for source in all_sources for feed in source.feeds]
        urls.write_text("\n".join(feeds + [url for site in sites for url in site.url_to_key()]))
        for repeat in range(REPEATS):
            base = run_child("benchmarks.crawl", "bare", str(urls))
            mine = run_child("benchmarks.crawl", "launchwire", str(sources),
                             str(Path(folder) / f"bench{repeat}.db"))
            bare.append(base["pages"] / base["seconds"])
            ours.append(mine["pages"] / mine["seconds"])
    report("crawl: sample site over loopback HTTP", "pages/s", bare, ours,
           "bare Scrapy, same URLs", "launchwire crawl")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "bare":
        bare_child(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "launchwire":
        launchwire_child(sys.argv[2], sys.argv[3])
    else:
        main()
