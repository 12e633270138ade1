"""What a real crawl loads and listens on, seen from inside it (#12).

`CrawlProbe` is a Scrapy extension: at the crawl's first response it writes, as one JSON line,
the extensions, middlewares and download handlers its crawler loaded and the sockets the
process is listening on. Run as a script, it crawls a sources file through `run_crawl` with
launchwire's default settings plus the probe:

    python tests/crawlers/crawl_probe.py SOURCES DB OUT
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler


def listening_sockets() -> list[str]:
    """Addresses this process listens on (Linux: its file descriptors, through /proc)."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                continue
            sock = socket.socket(fileno=os.dup(int(name)))
        except OSError:
            continue  # closed meanwhile
        with sock:
            if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                found.append(str(sock.getsockname()))
    return found


def _names(components: Any) -> list[str]:
    return sorted(f"{type(c).__module__}.{type(c).__qualname__}" for c in components)


class CrawlProbe:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.out = Path(crawler.settings["LAUNCHWIRE_PROBE_FILE"])
        self.done = False
        crawler.signals.connect(self.record, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "CrawlProbe":
        return cls(crawler)

    def record(self, **_: Any) -> None:
        if self.done:
            return
        self.done = True
        engine = self.crawler.engine
        seen = {
            "spider": self.crawler.spidercls.name,
            "extensions": _names(self.crawler.extensions.middlewares),
            "downloader_middlewares": _names(engine.downloader.middleware.middlewares),
            "spider_middlewares": _names(engine.scraper.spidermw.middlewares),
            "download_handlers": sorted(engine.downloader.handlers._schemes),
            "listening": listening_sockets(),
        }
        with self.out.open("a", encoding="utf-8") as file:
            file.write(json.dumps(seen) + "\n")


def main(sources: str, database: str, out: str) -> None:
    from crawlers import settings
    from crawlers.run import run_crawl
    from crawlers.sources import load_sources
    from launchwire.settings import load_settings, scrapy_overrides

    launchwire_settings = load_settings({"db": database, "download_delay": 0})
    run_crawl(load_sources(sources), {
        **scrapy_overrides(launchwire_settings),
        "EXTENSIONS": {**settings.EXTENSIONS, "crawl_probe.CrawlProbe": 500},
        "LAUNCHWIRE_PROBE_FILE": out})


if __name__ == "__main__":
    main(*sys.argv[1:4])
