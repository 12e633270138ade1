"""FeedSpider: RSS, Atom and JSON feeds; each due feed is fetched conditionally and its new
entries go on the frontier."""

from __future__ import annotations

from typing import Any, AsyncIterator, Iterable

import scrapy
from scrapy.http import Response

from crawlers.feeds import FeedsAside, ParsedFeed, parse_feed
from crawlers.items import Fetched
from crawlers.sources import Source
from crawlers.spiders.base import ArticleSpider, _header
from db import crawl_state as state


class FeedSpider(ArticleSpider):
    name = "feed"
    kind = "feed"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feeds_aside = FeedsAside()

    def documents(self, source: Source) -> tuple[str, ...]:
        return source.feeds

    def document_request_with(self, url: str, source: Source, headers: dict[str, str],
                              **meta: Any) -> scrapy.Request:
        request = super().document_request_with(url, source, headers, **meta)
        request.callback = self.read_feed_aside
        return request

    async def read_feed_aside(self, response: Response) -> AsyncIterator[Any]:
        """`parse_document`, with the feed parsed in a process beside the event loop (#17)."""
        if response.status == 304:
            for output in self.document_unchanged(response):
                yield output
            return
        parsed = await self.feeds_aside.parse(response.body, response.url,
                                              _header(response, "Content-Type"))
        for output in feed_output(self, response, parsed):
            yield output

    def parse_document(self, response: Response) -> Iterable[Any]:
        """A feed's record and its entries' requests, parsed here (a cluster worker's way)."""
        if response.status == 304:
            yield from self.document_unchanged(response)
            return
        yield from feed_output(self, response, parse_feed(
            response.body, response.url, _header(response, "Content-Type")))

    def closed(self, reason: str) -> None:
        self.feeds_aside.close()


def feed_output(spider: ArticleSpider, response: Response, parsed: ParsedFeed) -> Iterable[Any]:
    """A parsed feed's record and its entries' requests; only what ArticleSpider has is used,
    as a cluster worker's spider calls `FeedSpider.parse_document` on itself (#18)."""
    # One rule (crawlers.feeds): a body read as a feed succeeds, even with no entries or
    # malformed XML (a note); anything else fails and backs off (#12).
    if parsed.soft_block or parsed.problem:
        reason = parsed.soft_block or parsed.problem or ""
        yield spider.fetched(response, reason)
        yield spider.document_failed(response.meta, response.status, reason,
                                     soft_block=parsed.soft_block)
        return
    yield spider.fetched(response, parsed.note)
    refused: list[Fetched] = []
    entries = spider.accepted_links(response, (
        (entry.link, {"title": entry.title, "author": entry.author,
                      "published": state.iso_utc(entry.published)})
        for entry in parsed.entries), refused)
    yield from refused
    yield from spider.document_read(
        response, entries, [entry.published for entry in parsed.entries if entry.published],
        items=len(parsed.entries), newest=parsed.newest, etag=_header(response, "ETag"),
        last_modified=_header(response, "Last-Modified"), problem=parsed.note)
