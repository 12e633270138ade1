"""ArticleSpider: what every source-type spider shares. A subclass fetches its documents
(feeds, sitemaps) and turns them into frontier entries; this class fetches the entries as
raw pages. Spiders only read the database: every fetch's outcome, each document's schedule
and health and the pages are items, stored by crawlers.pipelines.store_crawl (#15)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, AsyncIterator, Callable, Iterable

import scrapy
import sqlite_utils
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.misc import load_object
from twisted.python.failure import Failure

from crawlers.extensions.storage_guard import STORAGE_ERRORS, storage_failed
from crawlers.feeds import soft_block_reason
from crawlers.items import DocumentFailed, DocumentRead, EntryFailed, Fetched, Page
from crawlers.middlewares.retry_after import retry_after_seconds
from crawlers.sources import Source
from crawlers.urls import RefusedLink, canonical_url, fetch_url, loggable
from db import shared_connection
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


def conditional_headers(db: sqlite_utils.Database, url: str) -> dict[str, str]:
    """If-None-Match and If-Modified-Since for a document, from what it last answered."""
    previous = state.feed_state(db, url) or {}
    headers = {}
    if previous.get("etag"):
        headers["If-None-Match"] = previous["etag"]
    if previous.get("last_modified"):
        headers["If-Modified-Since"] = previous["last_modified"]
    return headers


def due_work(db: sqlite_utils.Database, sources: Iterable[Source],
             documents: Callable[[Source], tuple[str, ...]], force: bool = False
             ) -> tuple[list[tuple[dict, Source]], list[tuple[str, Source]]]:
    """What a crawl starts with, for one kind of document: the entries of those documents an
    earlier (perhaps killed) crawl found but did not fetch, and the documents due now.

    documents (Callable): a source's documents of this kind (its feeds, or its sitemaps).
    RETURNS (tuple): ([(entry row, source)], [(document URL, source)]).
    """
    sources = list(sources)
    own = {url: source for source in sources for url in documents(source)}
    names = {source.name for source in sources}
    pending = [(entry, own[entry["feed_url"]]) for entry in state.pending_entries(db, names)
               if entry["feed_url"] in own]
    now = datetime.now(timezone.utc)
    return pending, [(url, own[url]) for url in state.due_feeds(db, own, now, force=force)]


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

    async def start(self) -> AsyncIterator[Any]:
        try:
            output = self.first_output()
        except STORAGE_ERRORS as error:
            storage_failed(self.crawler, error)
            return
        for request_or_item in output:
            yield request_or_item

    def first_output(self) -> list[Any]:
        """Entries an earlier (perhaps killed) crawl found but did not fetch, then the due
        documents. The crawl stage has stored the sources."""
        self.db = shared_connection(self.settings["LAUNCHWIRE_DB"],
                                    busy_timeout=self.settings.getfloat(
                                        "LAUNCHWIRE_DB_BUSY_TIMEOUT"))
        pending, due = due_work(self.db, self.sources, self.documents, self.force)
        return [*(output for entry, source in pending
                  for output in self.entry_request(entry, source)),
                *(self.document_request(url, source) for url, source in due)]

    def document_request(self, url: str, source: Source, **meta: Any) -> scrapy.Request:
        """A document's request, conditional on what the database holds of it."""
        return self.document_request_with(url, source, conditional_headers(self.db, url),
                                          **meta)

    def document_request_with(self, url: str, source: Source, headers: dict[str, str],
                              **meta: Any) -> scrapy.Request:
        # "source" (the name) is what rows and PrivateNetworkMiddleware read; "source_obj"
        # builds the document's entry requests with no look-up by name per document (#15).
        # "kind" names the document's spider: a cluster worker fetches every kind (#18).
        return scrapy.Request(url, headers=headers, callback=self.parse_document,
                              errback=self.on_document_error, dont_filter=True, meta={
                                  "source": source.name, "source_obj": source,
                                  "kind": self.kind, "document_url": url,
                                  "handle_httpstatus_list": [304], **meta})

    def document_unchanged(self, response: Response) -> Iterable[Any]:
        """A 304: the document is as it was last read, which counts as a success (#15)."""
        yield self.fetched(response)
        yield from self.document_read(response, [], [], items=None, newest=None)

    def document_read(self, response: Response, links: list[dict], dates: list[datetime], *,
                      items: int | None, newest: datetime | None, etag: str | None = None,
                      last_modified: str | None = None, problem: str | None = None
                      ) -> Iterable[Any]:
        """The document's record (stored by the pipeline with its links on the frontier),
        then requests for the links still to fetch.

        dates (list[datetime]): its items' dates, which set how soon it is checked again.
        """
        meta = response.meta
        to_fetch = self.entries_to_follow(meta, links)
        yield DocumentRead(document_url=meta["document_url"], source=meta["source"],
                           kind=meta["kind"], status=response.status,
                           child=bool(meta.get("child")), entries=links, dates=dates,
                           items=items, newest=newest, etag=etag, last_modified=last_modified,
                           problem=problem)
        source = meta["source_obj"]
        for entry in to_fetch:
            yield from self.entry_request(entry, source)

    def entries_to_follow(self, meta: dict[str, Any], links: list[dict]) -> list[dict]:
        """A document's entries this spider requests: those still to fetch once stored."""
        return state.entries_to_fetch(self.db, meta["source"], meta["document_url"], links)

    def accepted_links(self, response: Response, links: Iterable[tuple[str, dict]],
                       refused: list[Fetched]) -> list[dict]:
        """A document's links as frontier entries: fetched as the document gives them
        (`fetch_url`), keyed by their canonical form (`url`, #12). Each link the crawler must
        not follow is refused on its own (added to `refused`, to be logged); the others go on."""
        return [{"url": canonical_url(url), "fetch_url": url, **hints} for link, hints in links
                if (url := self.checked_url(link, response, refused)) is not None]

    def checked_url(self, link: str, response: Response, refused: list[Fetched]) -> str | None:
        """The URL to fetch for a document's link, or None when it is refused."""
        try:
            return fetch_url(link, response.url)
        except RefusedLink as error:
            refused.append(self.refusal(loggable(link.strip()), response.meta["source"],
                                        f"refused: {error}"))
            return None

    def entry_request(self, entry: dict, source: Source) -> Iterable[Any]:
        """The request for a frontier entry: its `fetch_url` as the feed gave it, or its key
        for rows stored before there was one (#12). Nothing when it is queued already; a
        refusal and the entry's failure when its URL is no longer acceptable."""
        if entry["url"] in self.queued:
            return
        self.queued.add(entry["url"])
        yield from self.page_request(entry, source)

    def page_request(self, entry: dict, source: Source) -> Iterable[Any]:
        """A frontier entry's request, or its refusal and failure (see `entry_request`)."""
        hints = {key: entry.get(key) for key in ("title", "author", "published")}
        try:
            # Our frontier does the de-duplication, so a redirect to a URL already fetched
            # still reaches parse_page and closes its entry.
            yield scrapy.Request(entry.get("fetch_url") or entry["url"], callback=self.parse_page,
                                 errback=self.on_page_error, dont_filter=True, meta={
                                     "source": source.name, "feed_url": entry["feed_url"],
                                     "entry_url": entry["url"], "hints": hints})
        except ValueError as error:  # a row an older version let in: close it, go on
            yield self.refusal(loggable(entry["url"]), source.name, f"refused: {error}")
            yield EntryFailed(url=entry["url"], error=f"refused: {error}", permanent=True)

    def refusal(self, url: str, source: str, reason: str) -> Fetched:
        self.logger.info("%s: %s", reason, url)
        self.crawler.stats.inc_value("launchwire/refused")
        return Fetched(url=url, source=source, error=reason)

    def fetched(self, response: Response, error: str | None = None) -> Fetched:
        return Fetched(url=response.url, source=response.meta.get("source"),
                       status=response.status, size=len(response.body), ms=_ms(response.meta),
                       error=error)

    def parse_page(self, response: Response) -> Iterable[Page | Fetched | EntryFailed]:
        meta = response.meta
        content_type = (_header(response, "Content-Type") or "").split(";")[0].strip().lower()
        problem = None
        if content_type and content_type not in HTML_TYPES:
            problem = f"not an article page: {content_type}"
        elif not response.body.strip():
            problem = "empty body"
        else:
            problem = soft_block_reason(response.body)
        yield self.fetched(response, problem)
        if problem:
            yield EntryFailed(url=meta["entry_url"], error=problem,
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

    def failed_fetch(self, failure: Failure) -> tuple[int | None, str, Response | None, Fetched]:
        request = failure.request
        status, reason, response = self._failure_details(failure)
        return status, reason, response, Fetched(
            url=request.url, source=request.meta.get("source"), status=status,
            size=len(response.body) if response is not None else None, ms=_ms(request.meta),
            error=reason)

    def on_page_error(self, failure: Failure) -> Iterable[Fetched | EntryFailed]:
        status, reason, _, fetched = self.failed_fetch(failure)
        self.logger.warning("page %s failed: %s", failure.request.url, reason)
        yield fetched
        yield EntryFailed(url=failure.request.meta["entry_url"], error=reason,
                          permanent=not self._transient(failure, status))

    def on_document_error(self, failure: Failure) -> Iterable[Fetched | DocumentFailed]:
        status, reason, response, fetched = self.failed_fetch(failure)
        self.logger.warning("%s %s failed: %s", failure.request.meta["kind"],
                            failure.request.url, reason)
        yield fetched
        wait = retry_after_seconds(response.headers.get("Retry-After")) if response is not None else None
        yield self.document_failed(failure.request.meta, status, reason, retry_after_s=wait)

    def document_failed(self, meta: dict[str, Any], status: int | None, reason: str,
                        retry_after_s: float | None = None,
                        soft_block: str | None = None) -> DocumentFailed:
        return DocumentFailed(document_url=meta["document_url"], source=meta["source"],
                              kind=meta["kind"], status=status, reason=reason,
                              retry_after_s=retry_after_s, soft_block=soft_block)
