"""Run a crawl in this process with Scrapy's AsyncCrawlerProcess: every spider at once."""

from __future__ import annotations

from typing import Any, Iterable

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawlers.extensions.storage_guard import STAT as STORAGE_ERROR
from crawlers.sources import Source
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.news_sitemap import NewsSitemapSpider

SPIDERS = (FeedSpider, NewsSitemapSpider)


def crawl_settings(db_path: str, overrides: dict[str, Any] | None = None) -> Settings:
    settings = get_project_settings()
    if settings.get("BOT_NAME") != "launchwire":
        settings.setmodule("crawlers.settings", priority="project")
    settings.set("LAUNCHWIRE_DB", db_path, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(sources: Iterable[Source], db_path: str, overrides: dict[str, Any] | None = None,
              force: bool = False) -> dict[str, Any]:
    """Fetch the sources' due feeds and sitemaps and their new entries as raw pages.

    Blocks until done; Scrapy's reactor allows one call per process.
    RETURNS (dict): the spiders' Scrapy stats, added up; `launchwire/storage_error` holds the
        first write that failed, if one did (the crawl stopped there).
    """
    sources = list(sources)
    process = AsyncCrawlerProcess(crawl_settings(db_path, overrides))
    crawlers = []
    for spider in SPIDERS:
        crawler = process.create_crawler(spider)
        process.crawl(crawler, sources=sources, force=force)
        crawlers.append(crawler)
    process.start()
    totals: dict[str, Any] = {}
    for crawler in crawlers:
        for key, value in crawler.stats.get_stats().items():
            if isinstance(value, (int, float)):
                totals[key] = totals.get(key, 0) + value
            elif key == STORAGE_ERROR:
                totals.setdefault(key, value)
    return totals
