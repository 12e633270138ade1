"""The distributed crawl's writer (#18): the one process that writes SQLite. It works out
what is due as the embedded spiders do, queues each request as a task in Redis, stores each
answer with the embedded crawl's own storage (crawlers.pipelines.store_crawl.CrawlStore) and
queues the entries a document revealed. The run ends when nothing is queued or in flight.

Its truth is the database: a task answered twice (a worker thought dead that was not) is
stored once; a broker that lost the run (restarted without its data) gets every task not yet
answered again; a writer killed mid-run leaves entries pending and documents due, which the
next run queues again, as an embedded crawl would.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any, Iterable

import sqlite_utils

from crawlers.cluster.broker import BROKER_ERRORS, WriterBroker
from crawlers.cluster.wire import Task, load_answer
from crawlers.extensions.storage_guard import STAT as STORAGE_ERROR, STORAGE_ERRORS
from crawlers.items import Fetched
from crawlers.pipelines.store_crawl import CrawlStore
from crawlers.sources import Source
from crawlers.spiders.base import conditional_headers, due_work
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.news_sitemap import NewsSitemapSpider
from db import shared_connection, store

logger = logging.getLogger(__name__)

BROKER_ERROR = "launchwire/broker_error"

ANSWERS_PER_BATCH = 100  # answers stored per transaction of pages
IDLE_S = 0.05
# The embedded spiders' kinds of document, and which of a source's URLs are of each kind.
DOCUMENTS = {FeedSpider.kind: lambda source: source.feeds,
             NewsSitemapSpider.kind: lambda source: source.sitemaps}


def entry_task(entry: dict, source: Source) -> Task:
    return Task(key=f"entry {entry['url']}", kind="entry",
                url=entry.get("fetch_url") or entry["url"], source=source.to_dict(),
                entry={key: entry.get(key) for key in
                       ("url", "fetch_url", "feed_url", "title", "author", "published")})


class Writer:
    """One distributed crawl run: the tasks in flight, and what was stored."""

    def __init__(self, db: sqlite_utils.Database, broker: WriterBroker,
                 sources: Iterable[Source]) -> None:
        self.db = db
        self.broker = broker
        self.sources = {source.name: source for source in sources}
        self.store = CrawlStore(db)
        self.run_id = uuid.uuid4().hex
        self.in_flight: dict[str, Task] = {}
        self.queued: set[str] = set()  # every key queued this run, as the spiders' `queued`
        self.stats: dict[str, Any] = {"launchwire/store_crawl/pages": 0,
                                      "launchwire/refused": 0, "launchwire/cluster/answers": 0,
                                      "launchwire/cluster/ignored": 0}

    def queue(self, tasks: Iterable[Task]) -> None:
        fresh = [task for task in tasks if task.key not in self.queued]
        for task in fresh:
            self.queued.add(task.key)
            self.in_flight[task.key] = task
        self.broker.push(fresh)

    def first_tasks(self, force: bool) -> list[Task]:
        """Entries an earlier crawl left pending, then the due documents, of each kind."""
        tasks = []
        for kind, documents in DOCUMENTS.items():
            pending, due = due_work(self.db, self.sources.values(), documents, force)
            tasks += [entry_task(entry, source) for entry, source in pending]
            tasks += [Task(key=f"{kind} {url}", kind=kind, url=url, source=source.to_dict(),
                           headers=conditional_headers(self.db, url))
                      for url, source in due]
        return tasks

    def run(self, force: bool = False) -> dict[str, Any]:
        self.broker.reset(self.run_id)
        self.queue(self.first_tasks(force))
        while self.in_flight:
            raws = self.broker.answers(ANSWERS_PER_BATCH)
            if not raws:
                if not self.broker.alive(self.run_id):
                    self.requeue_all()
                time.sleep(IDLE_S)
                continue
            follow: list[Task] = []
            for raw in raws:
                follow += self.take_answer(raw)
            self.stats["launchwire/store_crawl/pages"] += self.store.flush()
            # Only once stored: a writer killed before this line finds them again.
            self.broker.done_with(len(raws))
            self.queue(follow)
        self.broker.finish()
        return self.stats

    def take_answer(self, raw: bytes) -> list[Task]:
        """Store one answer's items (pages wait for the batch's flush); RETURNS the tasks
        it leads to: a document's entries still to fetch, a sitemap index's children."""
        key, items, tasks = load_answer(raw)
        task = self.in_flight.pop(key, None)
        if task is None:  # answered already: nothing is stored twice
            self.stats["launchwire/cluster/ignored"] += 1
            return []
        self.stats["launchwire/cluster/answers"] += 1
        source = self.sources[task.source["name"]]
        follow = list(tasks)
        for item in items:
            if isinstance(item, Fetched) and (item.error or "").startswith("refused"):
                self.stats["launchwire/refused"] += 1
            follow += [entry_task(entry, source) for entry in self.store.add(item)]
        return follow

    def requeue_all(self) -> None:
        """The broker lost the run (restarted without its data): queue what is in flight."""
        logger.warning("the broker lost this run; queueing %d task(s) again",
                       len(self.in_flight))
        self.broker.reset(self.run_id)
        self.broker.push(list(self.in_flight.values()))


def run_cluster_crawl(sources: Iterable[Source], db_path: str, busy_timeout: float,
                      redis_url: str, force: bool = False) -> dict[str, Any]:
    """Fetch the sources' due feeds and sitemaps and their new entries through crawl workers
    (`launchwire worker crawl`) fed from Redis; this process alone writes the database.

    RETURNS (dict): counts like run_crawl's; `launchwire/storage_error` holds the first
        write that failed, if one did, `launchwire/broker_error` why the broker could not be
        reached (the run stopped there; the rest is fetched next time).
    """
    sources = list(sources)
    db = shared_connection(db_path, busy_timeout=busy_timeout)
    try:
        store.upsert_sources(db, [source.to_dict() for source in sources])
        broker = WriterBroker(redis_url)
        broker.check()
        return Writer(db, broker, sources).run(force)
    except STORAGE_ERRORS as error:
        return {STORAGE_ERROR: f"{type(error).__name__}: {error}"}
    except BROKER_ERRORS as error:
        return {BROKER_ERROR: f"{type(error).__name__}: {error}"}
