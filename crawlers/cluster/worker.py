"""A crawl worker (#18): Scrapy fed from Redis. It leases hosts, takes their tasks, fetches
them with the embedded crawl's own spiders' parsing, and hands each task's outcome to the
writer as one JSON answer. It reads no database and no sources file.

scrapy-redis (0.9.1) was not used: its scheduler pickles requests, calls Redis blocking on
the reactor, refills only when the spider is idle, keeps an unbounded set of seen requests
in Redis, and loses what was popped by a worker that dies. Here the spider's async start()
(Scrapy 2.13+) takes tasks as fast as leased hosts have room, on redis.asyncio; the frontier
and de-duplication are the writer's SQLite; a dead worker's tasks go back to their queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Iterable

import scrapy
from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawlers.cluster.broker import RENEW_S, WorkerBroker
from crawlers.cluster.wire import Task, dump_answer
from crawlers.run import crawl_settings
from crawlers.sources import Source
from crawlers.spiders.base import ArticleSpider
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.news_sitemap import NewsSitemapSpider

# How long start() waits for room or work before it looks again.
POLL_S = 0.1


@dataclass
class Answer:
    """Everything one task's response (or failure) made, for the writer."""

    task: bytes  # as taken from Redis, so the same bytes leave `taken`
    host: str
    key: str
    items: list[Any] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


class ClusterSpider(ArticleSpider):
    """Every kind of request the embedded spiders make, taken from Redis."""

    name = "cluster"
    # Each request's kind of document travels in its meta; the parsing is the embedded
    # spiders' own, called on this spider (they read only what ArticleSpider has).
    PARSERS = {FeedSpider.kind: FeedSpider.parse_document,
               NewsSitemapSpider.kind: NewsSitemapSpider.parse_document}
    child_requests = NewsSitemapSpider.child_requests

    def __init__(self, redis_url: str, worker: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.redis_url = redis_url
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.held: dict[str, int] = {}  # hosts leased -> their tasks not answered yet
        self.answered_event: asyncio.Event | None = None

    async def start(self) -> AsyncIterator[Any]:
        self.broker = WorkerBroker(self.redis_url, self.worker)
        self.answered_event = asyncio.Event()
        per_host = self.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        most_hosts = self.settings.getint("LAUNCHWIRE_WORKER_HOSTS")
        renewing = asyncio.ensure_future(self.keep_leases())
        try:
            while True:
                took = False
                # One more than the slot sends at once, so it never waits on Redis; no
                # more, so a host's tasks are not hoarded by one worker.
                for host in [host for host, count in self.held.items() if count <= per_host]:
                    raw = await self.broker.take(host)
                    if raw is None:
                        await self.settle(host)
                        continue
                    took = True
                    if host in self.held:  # not lost (keep_leases) while taking
                        self.held[host] += 1
                    for output in self.task_output(raw, host):
                        yield output
                if len(self.held) < most_hosts and (host := await self.broker.acquire()):
                    self.logger.info("crawling %s", host)
                    self.held[host] = 0
                elif not took:
                    self.answered_event.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.answered_event.wait(), POLL_S)
        finally:
            renewing.cancel()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> "ClusterSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.give_up_hosts, signal=signals.spider_closed)
        return spider

    async def give_up_hosts(self) -> None:
        """Stopped (SIGTERM, Ctrl-C): nothing more will be answered; other workers take
        this one's hosts now, and the tasks it had not answered."""
        if hasattr(self, "broker"):
            await self.broker.give_up(list(self.held))
            self.held.clear()
            await self.broker.close()

    async def keep_leases(self) -> None:
        while True:
            await asyncio.sleep(RENEW_S)
            for host in await self.broker.renew(list(self.held)):
                self.logger.warning("lost the lease on %s", host)
                self.held.pop(host, None)

    async def settle(self, host: str) -> None:
        outcome = await self.broker.settle(host, self.held.get(host, 0))
        if outcome != "kept":
            self.held.pop(host, None)

    def answered(self, host: str) -> None:
        """A task's answer is with the writer: its host has room for another."""
        if host in self.held:  # else lost, perhaps leased again since: counted afresh
            self.held[host] = max(self.held[host] - 1, 0)
        if self.answered_event is not None:
            self.answered_event.set()

    def task_output(self, raw: bytes, host: str) -> Iterable[Any]:
        """A task's request; or, for an entry no longer acceptable, its answer at once."""
        task = Task.loads(raw)
        source = Source.from_dict(task.source)
        # Read by PrivateNetworkMiddleware, as for the embedded spiders.
        self.private_origins[source.name] = source.private_origins
        meta = {"task": raw, "task_key": task.key, "host": host}
        if task.kind == "entry":
            output = list(self.page_request(task.entry, source))
        else:
            output = [self.document_request(
                task.url, source, kind=task.kind, headers=task.headers, child=task.child,
                document_url=task.document_url or task.url)]
        if output and isinstance(output[0], scrapy.Request):
            request = output[0]
            request.meta.update(meta, kind=task.kind)
            request.callback, request.errback = self.answer_response, self.answer_failure
            yield request
            return
        yield self.answer(meta, output)

    def document_request(self, url: str, source: Source, **meta: Any) -> scrapy.Request:
        # The writer read the document's validators from the database (none for a child).
        return self.document_request_with(url, source, meta.pop("headers", {}), **meta)

    def entries_to_follow(self, meta: dict[str, Any], links: list[dict]) -> list[dict]:
        return []  # the writer queues them once the document is stored

    def answer_response(self, response: Response) -> Iterable[Answer]:
        meta = response.meta
        parse = self.PARSERS.get(meta["kind"])
        yield self.answer(meta, self.parse_page(response) if parse is None
                          else parse(self, response))

    def answer_failure(self, failure: Failure) -> Iterable[Answer]:
        meta = failure.request.meta
        yield self.answer(meta, self.on_page_error(failure) if meta["kind"] == "entry"
                          else self.on_document_error(failure))

    def answer(self, meta: dict[str, Any], output: Iterable[Any]) -> Answer:
        answer = Answer(task=meta["task"], host=meta["host"], key=meta["task_key"])
        parent = Task.loads(meta["task"])
        for each in output:
            if isinstance(each, scrapy.Request):  # a sitemap index's children
                answer.tasks.append(Task(
                    key=f"{parent.kind} {each.url}", kind=parent.kind, url=each.url,
                    source=parent.source, document_url=each.meta["document_url"], child=True))
            else:
                answer.items.append(each)
        return answer


class AnswerPipeline:
    """Each answer to Redis, with its task out of `taken`, on redis.asyncio."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "AnswerPipeline":
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        spider = self.crawler.spider
        if isinstance(item, Answer) and isinstance(spider, ClusterSpider):
            await spider.broker.answer(item.host, item.task,
                                       dump_answer(item.key, item.items, item.tasks))
            self.crawler.stats.inc_value("launchwire/cluster/answers")
            spider.answered(item.host)
        return item


def run_worker(redis_url: str, overrides: dict[str, Any], hosts: int) -> dict[str, Any]:
    """Crawl tasks from the broker until stopped (SIGINT or SIGTERM).

    overrides (dict): launchwire.settings.scrapy_overrides(settings).
    hosts (int): the most hosts crawled at once, each with CONCURRENT_REQUESTS_PER_DOMAIN
        requests in flight.
    RETURNS (dict): the worker's Scrapy stats.
    """
    settings = crawl_settings(overrides)
    settings.set("LAUNCHWIRE_WORKER_HOSTS", hosts, priority="cmdline")
    settings.set("CONCURRENT_REQUESTS",
                 hosts * settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), priority="cmdline")
    settings.set("ITEM_PIPELINES", {AnswerPipeline: 100}, priority="cmdline")
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(ClusterSpider)
    process.crawl(crawler, redis_url=redis_url)
    process.start()
    return dict(crawler.stats.get_stats())
