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


def crawl_settings(overrides: dict[str, Any]) -> Settings:
    """crawlers/settings.py, with launchwire's settings over it."""
    if "LAUNCHWIRE_DB" not in overrides:
        # Without them a crawl would run on Scrapy's defaults: no delay, its User-Agent (#15).
        raise ValueError("a crawl takes launchwire's settings: scrapy_overrides(settings)")
    settings = get_project_settings()
    if settings.get("BOT_NAME") != "launchwire":
        settings.setmodule("crawlers.settings", priority="project")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(sources: Iterable[Source], overrides: dict[str, Any],
              force: bool = False) -> dict[str, Any]:
    """Fetch the sources' due feeds and sitemaps and their new entries as raw pages.

    Blocks until done; Scrapy's reactor allows one call per process.
    overrides (dict): launchwire.settings.scrapy_overrides(settings), with any additions.
    RETURNS (dict): the spiders' Scrapy stats, added up; `launchwire/storage_error` holds the
        first write that failed, if one did (the crawl stopped there).
    """
    sources = list(sources)
    process = AsyncCrawlerProcess(crawl_settings(overrides))
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
