"""Store fetched pages raw (gzip) through db/ and close their frontier entries."""

from __future__ import annotations

import sqlite3
import time

from scrapy.crawler import Crawler

from crawlers.extensions.storage_guard import storage_failed
from crawlers.items import Page
from db import shared_connection
from db.crawl_state import save_pages

# Pages are written in small batches, one transaction each: a commit per page cost ~15% of
# crawl throughput. A crawl killed before a flush loses nothing: those entries stay pending
# and the next crawl fetches them again.
BATCH_SIZE = 50
BATCH_SECONDS = 1.0


class StorePagePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # The spiders' connection: one per crawl process (#15).
        self.db = shared_connection(
            crawler.settings["LAUNCHWIRE_DB"],
            busy_timeout=crawler.settings.getfloat("LAUNCHWIRE_DB_BUSY_TIMEOUT"))
        self.pending: list[dict] = []
        self.flushed_at = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StorePagePipeline":
        return cls(crawler)

    def process_item(self, item: Page) -> Page:
        # vars(), not asdict(): asdict deep-copies every field, the page body included.
        self.pending.append(vars(item))
        if len(self.pending) >= BATCH_SIZE or time.monotonic() - self.flushed_at > BATCH_SECONDS:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        self.flushed_at = time.monotonic()
        if not pending:
            return
        try:
            save_pages(self.db, pending)
        except sqlite3.Error as error:
            # Their entries stay pending: the next crawl fetches them again.
            storage_failed(self.crawler, error)
            return
        self.crawler.stats.inc_value("launchwire/store_page/stored", len(pending))
