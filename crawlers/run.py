"""Run a crawl in this process with Scrapy's AsyncCrawlerProcess: every spider at once."""

from __future__ import annotations

from typing import Any, Iterable

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawlers.extensions.storage_guard import STAT as STORAGE_ERROR, STORAGE_ERRORS
from crawlers.sources import Source
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.news_sitemap import NewsSitemapSpider
from db import shared_connection, store

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
    settings = crawl_settings(overrides)
    # The sources are stored before the reactor starts: the spiders only read (#15).
    db = shared_connection(settings["LAUNCHWIRE_DB"],
                           busy_timeout=settings.getfloat("LAUNCHWIRE_DB_BUSY_TIMEOUT"))
    try:
        store.upsert_sources(db, [source.to_dict() for source in sources])
    except STORAGE_ERRORS as error:
        return {STORAGE_ERROR: f"{type(error).__name__}: {error}"}
    process = AsyncCrawlerProcess(settings)
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
