"""FeedSpider: fetch each source's RSS/Atom feeds, follow new entries to their articles."""

from __future__ import annotations

from datetime import datetime, timezone
from time import struct_time
from typing import Any, AsyncIterator, Iterable
from urllib.parse import urldefrag

import feedparser
import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawlers.items import Article
from crawlers.parsers.generic import extract_article
from crawlers.sources import Source
from db import connect, store


def _iso(parsed: struct_time | None) -> str | None:
    if parsed is None:
        return None
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat(timespec="seconds")


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class FeedSpider(scrapy.Spider):
    name = "feed"

    def __init__(self, sources: Iterable[Source] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = list(sources)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.db = connect(self.settings["LAUNCHWIRE_DB"])
        for source in self.sources:
            store.upsert_source(self.db, source.to_dict())
            for url in source.feeds:
                yield self._feed_request(url, source)

    def _meta(self, source: Source, **extra: Any) -> dict[str, Any]:
        return {"source": source.name, "allow_private": source.allow_private, **extra}

    def _feed_request(self, url: str, source: Source) -> scrapy.Request:
        state = store.feed_state(self.db, url) or {}
        headers = {}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        return scrapy.Request(
            url, headers=headers, callback=self.parse_feed, errback=self.on_error,
            dont_filter=True,
            meta=self._meta(source, feed_url=url, handle_httpstatus_list=[304]))

    def parse_feed(self, response: Response) -> Iterable[scrapy.Request]:
        meta = response.meta
        if response.status == 304:
            store.save_feed_state(self.db, url=meta["feed_url"], source=meta["source"],
                                  status=304, etag=None, last_modified=None, items=None)
            return
        # feedparser has no network timeout (feedparser #76): it only ever sees bytes.
        parsed = feedparser.parse(response.body, response_headers={
            "content-location": response.url,
            "content-type": _header(response, "Content-Type") or "application/xml"})
        if parsed.bozo and not parsed.entries:
            self.logger.warning("feed %s unreadable: %s", response.url, parsed.bozo_exception)
            store.log_fetch(self.db, url=response.url, source=meta["source"],
                            status=response.status, size=len(response.body), ms=None,
                            error=f"unreadable feed: {parsed.bozo_exception}")
        links = {}
        for entry in parsed.entries:
            link = entry.get("link")
            if link:
                links[urldefrag(response.urljoin(link))[0]] = entry
        store.save_feed_state(self.db, url=meta["feed_url"], source=meta["source"],
                              status=response.status, etag=_header(response, "ETag"),
                              last_modified=_header(response, "Last-Modified"), items=len(links))
        new_urls = set(links) - store.known_urls(self.db, links)
        for url, entry in links.items():
            if url not in new_urls:
                continue
            hints = {"title": entry.get("title"), "author": entry.get("author"),
                     "published": _iso(entry.get("published_parsed") or entry.get("updated_parsed"))}
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error, meta={
                "source": meta["source"], "allow_private": meta["allow_private"],
                "feed_url": meta["feed_url"], "hints": hints})

    def parse_article(self, response: Response) -> Iterable[Article]:
        if not hasattr(response, "text"):
            self.logger.warning("not a text page: %s", response.url)
            return
        extracted = extract_article(response.text, response.url)
        if extracted is None:
            self.logger.warning("no article body found at %s", response.url)
            return
        hints = response.meta["hints"]
        yield Article(
            url=urldefrag(response.url)[0], source=response.meta["source"],
            feed_url=response.meta["feed_url"],
            title=extracted.title or hints["title"] or "",
            author=extracted.author or hints["author"],
            published=hints["published"] or extracted.published,
            lang=extracted.lang, text=extracted.text,
            fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        self.logger.warning("failed %s: %s", request.url, failure.getErrorMessage())
        response = getattr(failure.value, "response", None)
        store.log_fetch(self.db, url=request.url, source=request.meta.get("source"),
                        status=response.status if response is not None else None,
                        size=len(response.body) if response is not None else None, ms=None,
                        error=f"{failure.type.__name__}: {failure.getErrorMessage()}")
