"""FeedSpider: RSS, Atom and JSON feeds; each due feed is fetched conditionally and its new
entries go on the frontier."""

from __future__ import annotations

from typing import Any, Iterable

from scrapy.http import Response

from crawlers.feeds import parse_feed
from crawlers.items import Fetched
from crawlers.sources import Source
from crawlers.spiders.base import ArticleSpider, _header
from db import crawl_state as state


class FeedSpider(ArticleSpider):
    name = "feed"
    kind = "feed"

    def documents(self, source: Source) -> tuple[str, ...]:
        return source.feeds

    def parse_document(self, response: Response) -> Iterable[Any]:
        if response.status == 304:
            yield from self.document_unchanged(response)
            return
        parsed = parse_feed(response.body, response.url, _header(response, "Content-Type"))
        # One rule (crawlers.feeds): a body read as a feed succeeds, even with no entries or
        # malformed XML (a note); anything else fails and backs off (#12).
        if parsed.soft_block or parsed.problem:
            reason = parsed.soft_block or parsed.problem or ""
            yield self.fetched(response, reason)
            yield self.document_failed(response.meta, response.status, reason,
                                       soft_block=parsed.soft_block)
            return
        yield self.fetched(response, parsed.note)
        refused: list[Fetched] = []
        entries = self.accepted_links(response, (
            (entry.link, {"title": entry.title, "author": entry.author,
                          "published": state.iso_utc(entry.published)})
            for entry in parsed.entries), refused)
        yield from refused
        yield from self.document_read(
            response, entries, [entry.published for entry in parsed.entries if entry.published],
            items=len(parsed.entries), newest=parsed.newest, etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"), problem=parsed.note)
