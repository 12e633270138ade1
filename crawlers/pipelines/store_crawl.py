"""Store what a crawl learns through db/: raw pages (gzip), the fetch log, failed entries,
and each feed's or sitemap's schedule and health with its entries. Spiders only read the
database; every crawl write is here (#15), for an embedded crawl (StoreCrawlPipeline) and a
distributed one's writer (crawlers.cluster.writer) alike (#18)."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils
from scrapy.crawler import Crawler

from crawlers.extensions.storage_guard import storage_failed
from crawlers.items import DocumentFailed, DocumentRead, EntryFailed, Fetched, Page
from crawlers.schedule import after_failure, after_success, interval_of
from db import crawl_state as state
from db import shared_connection

# Responses are written in small batches, one transaction each: a commit per page cost ~15%
# of crawl throughput. A crawl killed before a flush loses nothing: those entries stay
# pending and the next crawl fetches them again.
BATCH_SIZE = 50
BATCH_SECONDS = 1.0


class CrawlStore:
    """A crawl's items into the database: responses batched until `flush`, documents at
    once. sqlite3 errors reach the caller."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.pages: list[dict] = []
        self.fetches: list[dict] = []
        self.failures: list[dict] = []
        self.flushed_at = time.monotonic()

    def add(self, item: Any) -> list[dict]:
        """Keep a response for the next flush, or store a document now.

        RETURNS (list[dict]): a document's entries still to fetch (new or pending), else [].
        """
        if isinstance(item, Page):
            # vars(), not asdict(): asdict deep-copies every field, the page body included.
            self.pages.append(vars(item))
        elif isinstance(item, Fetched):
            self.fetches.append(vars(item))
        elif isinstance(item, EntryFailed):
            self.failures.append(vars(item))
        elif isinstance(item, DocumentRead):
            # Documents are few and their entries are what pages answer: stored at once.
            return self.document_read(item)
        elif isinstance(item, DocumentFailed):
            self.document_failed(item)
        return []

    @property
    def due(self) -> bool:
        """Enough responses, or old enough ones, to write a batch."""
        return (len(self.pages) + len(self.fetches) >= BATCH_SIZE
                or time.monotonic() - self.flushed_at > BATCH_SECONDS)

    def flush(self) -> int:
        """Write the responses kept; RETURNS (int) how many pages that was."""
        pages, fetches, failures = self.pages, self.fetches, self.failures
        self.pages, self.fetches, self.failures = [], [], []
        self.flushed_at = time.monotonic()
        if pages or fetches or failures:
            state.save_responses(self.db, pages=pages, fetches=fetches, failures=failures)
        return len(pages)

    def document_read(self, read: DocumentRead) -> list[dict]:
        if read.child:
            return state.add_entries(self.db, read.source, read.document_url, read.entries)
        previous = state.feed_state(self.db, read.document_url) or {}
        next_check, interval = after_success(datetime.now(timezone.utc), read.dates,
                                             interval_of(previous))
        return state.record_feed_success(
            self.db, url=read.document_url, source=read.source, kind=read.kind,
            status=read.status, etag=read.etag, last_modified=read.last_modified,
            items=read.items, newest=read.newest, next_check=next_check,
            interval_s=int(interval.total_seconds()), problem=read.problem,
            entries=read.entries)

    def document_failed(self, failed: DocumentFailed) -> None:
        previous = state.feed_state(self.db, failed.document_url) or {}
        retry_after = timedelta(seconds=failed.retry_after_s) if failed.retry_after_s else None
        next_check = after_failure(datetime.now(timezone.utc),
                                   previous.get("consecutive_failures") or 0,
                                   interval_of(previous), retry_after)
        state.record_feed_failure(
            self.db, url=failed.document_url, source=failed.source, kind=failed.kind,
            status=failed.status, error=failed.reason, next_check=next_check,
            soft_block=failed.soft_block)


class StoreCrawlPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # The spiders' connection: one per crawl process (#15).
        self.store = CrawlStore(shared_connection(
            crawler.settings["LAUNCHWIRE_DB"],
            busy_timeout=crawler.settings.getfloat("LAUNCHWIRE_DB_BUSY_TIMEOUT")))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StoreCrawlPipeline":
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        try:
            self.store.add(item)
        except sqlite3.Error as error:
            storage_failed(self.crawler, error)
            return item
        if self.store.due:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()

    def flush(self) -> None:
        try:
            pages = self.store.flush()
        except sqlite3.Error as error:
            # Their entries stay pending: the next crawl fetches them again.
            storage_failed(self.crawler, error)
            return
        self.crawler.stats.inc_value("launchwire/store_crawl/pages", pages)
