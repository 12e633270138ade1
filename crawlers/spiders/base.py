"""ArticleSpider: what every source-type spider shares. A subclass fetches its documents
(feeds, sitemaps) and turns them into frontier entries; this class fetches the entries as
raw pages, logs every fetch with its outcome, and keeps each document's schedule and health."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator, Iterable

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.misc import load_object
from twisted.python.failure import Failure

from crawlers.extensions.storage_guard import STORAGE_ERRORS, storage_failed
from crawlers.feeds import soft_block_reason
from crawlers.items import Page
from crawlers.middlewares.retry_after import retry_after_seconds
from crawlers.schedule import after_failure, after_success, interval_of
from crawlers.sources import Source
from crawlers.urls import RefusedLink, canonical_url, fetch_url, loggable
from db import shared_connection, store
from db import crawl_state as state

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Failures a later crawl may cure; anything else closes the entry for good.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _ms(meta: dict[str, Any]) -> int | None:
    latency = meta.get("download_latency")
    return round(latency * 1000) if latency is not None else None


class ArticleSpider(scrapy.Spider):
    kind = "document"

    def __init__(self, sources: Iterable[Source] = (), force: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = list(sources)
        self.force = force
        # Read by PrivateNetworkMiddleware: the private origins each source may reach.
        self.private_origins = {source.name: source.private_origins for source in self.sources}
        self.queued: set[str] = set()

    def documents(self, source: Source) -> tuple[str, ...]:
        """The URLs of this spider's kind of document for a source."""
        return ()

    def parse_document(self, response: Response) -> Iterable[scrapy.Request]:
        return ()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        try:
            requests = self.first_requests()
        except STORAGE_ERRORS as error:
            storage_failed(self.crawler, error)
            return
        for request in requests:
            yield request

    def first_requests(self) -> list[scrapy.Request]:
        """Entries an earlier (perhaps killed) crawl found but did not fetch, then the due
        documents."""
        self.db = shared_connection(self.settings["LAUNCHWIRE_DB"],
                                    busy_timeout=self.settings.getfloat(
                                        "LAUNCHWIRE_DB_BUSY_TIMEOUT"))
        own = {url: source for source in self.sources for url in self.documents(source)}
        for source in self.sources:
            store.upsert_source(self.db, source.to_dict())
        requests = [request for entry in state.pending_entries(self.db, {s.name for s in self.sources})
                    if entry["feed_url"] in own
                    and (request := self.entry_request(entry, own[entry["feed_url"]]))]
        now = datetime.now(timezone.utc)
        return requests + [self.document_request(url, own[url])
                           for url in state.due_feeds(self.db, own, now, force=self.force)]

    def document_request(self, url: str, source: Source, **meta: Any) -> scrapy.Request:
        previous = state.feed_state(self.db, url) or {}
        headers = {}
        if previous.get("etag"):
            headers["If-None-Match"] = previous["etag"]
        if previous.get("last_modified"):
            headers["If-Modified-Since"] = previous["last_modified"]
        # "source" (the name) is what rows and PrivateNetworkMiddleware read; "source_obj"
        # builds the document's entry requests with no look-up by name per document (#15).
        return scrapy.Request(url, headers=headers, callback=self.parse_document,
                              errback=self.on_document_error, dont_filter=True, meta={
                                  "source": source.name, "source_obj": source,
                                  "document_url": url, "handle_httpstatus_list": [304], **meta})

    def document_unchanged(self, response: Response) -> None:
        """A 304: the document is as it was last read, which counts as a success (#15)."""
        self.log_response(response)
        self.document_read(response, [], [], items=None, newest=None)

    def document_read(self, response: Response, links: list[dict], dates: list[datetime], *,
                      items: int | None, newest: datetime | None, etag: str | None = None,
                      last_modified: str | None = None, problem: str | None = None) -> list[dict]:
        """Put a document's links on the frontier; a top-level document's schedule and health
        commit with them (#12), a child sitemap reports to its index's.

        dates (list[datetime]): its items' dates, which set how soon it is checked again.
        RETURNS (list[dict]): the entries still to fetch.
        """
        meta = response.meta
        if meta.get("child"):
            return state.add_entries(self.db, meta["source"], meta["document_url"], links)
        previous = state.feed_state(self.db, meta["document_url"]) or {}
        next_check, interval = after_success(datetime.now(timezone.utc), dates,
                                             interval_of(previous))
        return state.record_feed_success(
            self.db, url=meta["document_url"], source=meta["source"], kind=self.kind,
            status=response.status, etag=etag, last_modified=last_modified, items=items,
            newest=newest, next_check=next_check, interval_s=int(interval.total_seconds()),
            problem=problem, entries=links)

    def accepted_links(self, response: Response, links: Iterable[tuple[str, dict]]) -> list[dict]:
        """A document's links as frontier entries: fetched as the document gives them
        (`fetch_url`), keyed by their canonical form (`url`, #12). Each link the crawler must
        not follow is logged as refused on its own; the others go on."""
        return [{"url": canonical_url(url), "fetch_url": url, **hints} for link, hints in links
                if (url := self.checked_url(link, response)) is not None]

    def checked_url(self, link: str, response: Response) -> str | None:
        """The URL to fetch for a document's link, or None when it is refused (logged)."""
        try:
            return fetch_url(link, response.url)
        except RefusedLink as error:
            self.refuse(loggable(link.strip()), response.meta["source"], f"refused: {error}")
            return None

    def entry_requests(self, response: Response, entries: Iterable[dict]) -> Iterable[scrapy.Request]:
        """Requests for the frontier entries still to fetch."""
        source = response.meta["source_obj"]
        for entry in entries:
            if request := self.entry_request(entry, source):
                yield request

    def entry_request(self, entry: dict, source: Source) -> scrapy.Request | None:
        """The request for a frontier entry: its `fetch_url` as the feed gave it, or its key
        for rows stored before there was one (#12)."""
        if entry["url"] in self.queued:
            return None
        self.queued.add(entry["url"])
        hints = {key: entry.get(key) for key in ("title", "author", "published")}
        try:
            # Our frontier does the de-duplication, so a redirect to a URL already fetched
            # still reaches parse_page and closes its entry.
            return scrapy.Request(entry.get("fetch_url") or entry["url"], callback=self.parse_page,
                                  errback=self.on_page_error, dont_filter=True, meta={
                                      "source": source.name, "feed_url": entry["feed_url"],
                                      "entry_url": entry["url"], "hints": hints})
        except ValueError as error:  # a row an older version let in: close it, go on
            self.refuse(loggable(entry["url"]), source.name, f"refused: {error}")
            state.entry_failed(self.db, entry["url"], f"refused: {error}", permanent=True)
            return None

    def refuse(self, url: str, source: str, reason: str) -> None:
        self.logger.info("%s: %s", reason, url)
        self.crawler.stats.inc_value("launchwire/refused")
        store.log_fetch(self.db, url=url, source=source, status=None, size=None, ms=None,
                        error=reason)

    def log_response(self, response: Response, error: str | None = None) -> None:
        store.log_fetch(self.db, url=response.url, source=response.meta.get("source"),
                        status=response.status, size=len(response.body), ms=_ms(response.meta),
                        error=error)

    def parse_page(self, response: Response) -> Iterable[Page]:
        meta = response.meta
        content_type = (_header(response, "Content-Type") or "").split(";")[0].strip().lower()
        problem = None
        if content_type and content_type not in HTML_TYPES:
            problem = f"not an article page: {content_type}"
        elif not response.body.strip():
            problem = "empty body"
        else:
            problem = soft_block_reason(response.body)
        self.log_response(response, problem)
        if problem:
            state.entry_failed(self.db, meta["entry_url"], problem,
                               permanent=not problem.startswith("soft block"))
            return
        yield Page(url=canonical_url(response.url), entry_url=meta["entry_url"],
                   source=meta["source"], status=response.status, body=response.body,
                   content_type=_header(response, "Content-Type"), feed_url=meta["feed_url"],
                   hints=meta["hints"])

    def _failure_details(self, failure: Failure) -> tuple[int | None, str, Response | None]:
        """(status, reason, response) of a failed request, the reason in words a user reads."""
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        message = failure.getErrorMessage()
        lowered = message.lower()
        if status:
            reason = f"HTTP {status}"
        elif "max size" in lowered or "maxsize" in lowered:
            reason = f"over size limit: {message}"
        elif "redirections" in lowered:
            reason = f"redirect loop: {message}"
        elif "timeout" in failure.type.__name__.lower() or "took longer than" in lowered:
            reason = f"timeout: {message}"
        elif failure.check(IgnoreRequest):  # robots.txt, a private address: never fetched
            reason = f"refused: {message}"
        else:
            reason = f"{failure.type.__name__}: {message}"
        return status, reason, response

    def _transient(self, failure: Failure, status: int | None) -> bool:
        """A failure worth trying again on a later crawl (5xx, 429, timeouts, lost connections)."""
        if status is not None:
            return status in TRANSIENT_STATUSES
        retryable = [load_object(path) if isinstance(path, str) else path
                     for path in self.settings.getlist("RETRY_EXCEPTIONS")]
        return bool(failure.check(*retryable))

    def on_page_error(self, failure: Failure) -> None:
        request = failure.request
        status, reason, response = self._failure_details(failure)
        self.logger.warning("page %s failed: %s", request.url, reason)
        store.log_fetch(self.db, url=request.url, source=request.meta.get("source"), status=status,
                        size=len(response.body) if response is not None else None,
                        ms=_ms(request.meta), error=reason)
        state.entry_failed(self.db, request.meta["entry_url"], reason,
                           permanent=not self._transient(failure, status))

    def on_document_error(self, failure: Failure) -> None:
        request = failure.request
        status, reason, response = self._failure_details(failure)
        self.logger.warning("%s %s failed: %s", self.kind, request.url, reason)
        store.log_fetch(self.db, url=request.url, source=request.meta.get("source"), status=status,
                        size=len(response.body) if response is not None else None,
                        ms=_ms(request.meta), error=reason)
        wait = retry_after_seconds(response.headers.get("Retry-After")) if response is not None else None
        self.document_failed(request.meta, status, reason,
                             retry_after=timedelta(seconds=wait) if wait else None)

    def document_failed(self, meta: dict[str, Any], status: int | None, reason: str,
                        retry_after: timedelta | None = None, soft_block: str | None = None) -> None:
        url = meta["document_url"]
        previous = state.feed_state(self.db, url) or {}
        next_check = after_failure(datetime.now(timezone.utc),
                                   previous.get("consecutive_failures") or 0,
                                   interval_of(previous), retry_after)
        state.record_feed_failure(self.db, url=url, source=meta["source"], kind=self.kind,
                                  status=status, error=reason, next_check=next_check,
                                  soft_block=soft_block)
