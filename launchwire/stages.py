"""Wiring of the stages: each reads and writes the database; none calls the next."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable

import sqlite_utils

from crawlers.extensions.storage_guard import STAT as STORAGE_ERROR
from crawlers.extract import ExtractReport, extract_pages
from crawlers.sources import Source
from db import connect, crawl_state, store
from db.launches import cluster_launches
from launchwire.errors import CrawlError
from launchwire.settings import Settings


@dataclass
class CrawlReport:
    articles_before: int
    articles_after: int
    stats: dict[str, Any]
    extracted: ExtractReport

    @property
    def new_articles(self) -> int:
        return self.articles_after - self.articles_before


def _existing(settings: Settings) -> sqlite_utils.Database:
    """The settings' database, which must already be a launchwire database: only `crawl`,
    `run` and `demo` create one (#12)."""
    return connect(settings.db, create=False)


def scrapy_overrides(settings: Settings, polite: bool = True) -> dict[str, Any]:
    """Scrapy settings from launchwire's; `polite=False` only for our own loopback site."""
    overrides: dict[str, Any] = {
        "USER_AGENT": settings.user_agent,
        "DOWNLOAD_TIMEOUT": settings.download_timeout,
        "DOWNLOAD_MAXSIZE": settings.download_maxsize,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.concurrent_per_domain,
        "DOWNLOAD_DELAY": settings.download_delay,
        "HTTPCACHE_ENABLED": settings.http_cache,
        "LAUNCHWIRE_RETRY_AFTER_MAX": settings.retry_after_max,
        "LAUNCHWIRE_SITEMAP_MAX_AGE_DAYS": settings.sitemap_max_age_days,
    }
    if not polite:
        overrides.update({"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                          "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "WARNING"})
    return overrides


def crawl(settings: Settings, sources: Iterable[Source], polite: bool = True,
          force: bool = False) -> CrawlReport:
    """Fetch due feeds, sitemaps and new entries, then extract articles from the pages.

    Scrapy's reactor allows one crawl per process.
    """
    from crawlers.run import run_crawl  # imports the Twisted reactor: only when crawling

    db = connect(settings.db)
    before = db.table("articles").count
    stats = run_crawl(sources, settings.db, scrapy_overrides(settings, polite), force=force)
    if stats.get(STORAGE_ERROR):
        raise CrawlError(f"crawl stopped, could not store into {settings.db}: "
                         f"{stats[STORAGE_ERROR]} (what was not stored is fetched next time)")
    extracted = extract_pages(db, workers=settings.extract_workers)
    return CrawlReport(before, db.table("articles").count, stats, extracted)


def reextract(settings: Settings, on_page: Callable[[], None] | None = None) -> ExtractReport:
    """Extract every stored page again with the current extractor; no fetching."""
    return extract_pages(_existing(settings), everything=True,
                         workers=settings.extract_workers, on_page=on_page)


def process(settings: Settings, on_start: Callable[[int], None] | None = None,
            on_article: Callable[[], None] | None = None, pipeline: Any = None) -> int:
    """Run the NLP pipeline over articles not yet processed by its current version.

    pipeline (Language | None): an already loaded pipeline, else the settings' model is loaded.
    RETURNS (int): the number of articles processed.
    """
    from nlp.extract import analyze
    from nlp.pipeline import load_nlp, pipeline_version

    from nlp.gazetteer import gazetteer_version, load_gazetteer

    db = _existing(settings)
    pipeline = pipeline or load_nlp(settings.model_name)
    version = pipeline_version(pipeline)
    store.save_known_entities(db, (asdict(entry) for entry in load_gazetteer()),
                              gazetteer_version())
    todo = store.count_to_process(db, version)
    if on_start:
        on_start(todo)
    done = 0
    while True:
        # Read a batch, then write it: never hold a read cursor open across writes.
        batch = list(store.articles_to_process(db, version, limit=settings.batch_size * 4))
        if not batch:
            break
        analyses = analyze(pipeline, (row["text"] for row in batch),
                           (row["published"] for row in batch), batch_size=settings.batch_size)
        for row, analysis in zip(batch, analyses):
            store.save_analysis(db, row["id"], analysis.to_record(), version)
            done += 1
            if on_article:
                on_article()
    return done


def cluster(settings: Settings) -> int:
    return cluster_launches(_existing(settings))


def publish(settings: Settings) -> dict[str, int]:
    """Make the database ready to serve; RETURNS row counts of the published tables."""
    db = _existing(settings)
    store.prepare_for_serving(db)
    return {table: db.table(table).count for table in
            ("articles", "entities", "mentions", "metrics", "facts", "launches")}


def stats(settings: Settings) -> dict[str, Any]:
    """Row counts and per-feed health, from the database."""
    db = _existing(settings)
    tables = {name: db.table(name).count for name in
              ("sources", "feeds", "fetches", "articles", "entities", "mentions", "metrics",
               "facts", "launches")}
    return {"tables": tables, "feeds": crawl_state.feed_health(db)}
