"""Run a crawl in this process with Scrapy's AsyncCrawlerProcess."""

from __future__ import annotations

from typing import Any, Iterable

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawlers.sources import Source
from crawlers.spiders.feed import FeedSpider


def crawl_settings(db_path: str, overrides: dict[str, Any] | None = None) -> Settings:
    settings = get_project_settings()
    if not settings.get("BOT_NAME") == "launchwire":
        settings.setmodule("crawlers.settings", priority="project")
    settings.set("LAUNCHWIRE_DB", db_path, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(sources: Iterable[Source], db_path: str,
              overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Crawl the sources' feeds into the database; blocks until done. One call per process.

    RETURNS (dict): the crawl's Scrapy stats.
    """
    process = AsyncCrawlerProcess(crawl_settings(db_path, overrides))
    crawler = process.create_crawler(FeedSpider)
    process.crawl(crawler, sources=list(sources))
    process.start()
    return crawler.stats.get_stats()
