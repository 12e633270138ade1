"""Stop a crawl whose database writes fail, and say why (#12).

Scrapy logs an exception raised in a callback or an item pipeline and carries on, so a crawl
whose writes failed ("database is locked", "database or disk is full") used to exit 0 having
stored nothing. This extension closes the spider at the first such failure and leaves the
reason in the stats, where the shell finds it and exits non-zero. What was fetched and not
stored stays pending on the frontier: the next crawl fetches it again.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import _schedule_coro
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

STAT = "launchwire/storage_error"
REASON = "storage_error"
STORAGE_ERRORS = (sqlite3.Error,)


def storage_failed(crawler: Crawler, error: BaseException) -> None:
    """Record the first storage failure of a crawl and close its spider."""
    if crawler.stats.get_value(STAT) is None:
        crawler.stats.set_value(STAT, f"{type(error).__name__}: {error}")
        logger.error("storing the crawl failed, stopping: %s", error)
    if crawler.engine is not None and crawler.engine.running:
        _schedule_coro(crawler.engine.close_spider_async(reason=REASON))


class StorageGuard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.on_error, signal=signals.spider_error)
        crawler.signals.connect(self.on_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StorageGuard":
        return cls(crawler)

    def on_error(self, failure: Failure, **_: Any) -> None:
        if failure.check(*STORAGE_ERRORS):
            storage_failed(self.crawler, failure.value)
