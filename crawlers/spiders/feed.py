"""FeedSpider: RSS, Atom and JSON feeds; each due feed is fetched conditionally and its new
entries go on the frontier."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

import scrapy
from scrapy.http import Response

from crawlers.feeds import parse_feed
from crawlers.schedule import after_success, interval_of
from crawlers.sources import Source
from crawlers.spiders.base import ArticleSpider, _header
from db import crawl_state as state


class FeedSpider(ArticleSpider):
    name = "feed"
    kind = "feed"

    def documents(self, source: Source) -> tuple[str, ...]:
        return source.feeds

    def parse_document(self, response: Response) -> Iterable[scrapy.Request]:
        meta = response.meta
        now = datetime.now(timezone.utc)
        previous = state.feed_state(self.db, meta["document_url"]) or {}
        if response.status == 304:
            self.log_response(response)
            next_check, interval = after_success(now, [], interval_of(previous))
            state.record_feed_success(
                self.db, url=meta["document_url"], source=meta["source"], kind=self.kind,
                status=304, etag=None, last_modified=None, items=None, newest=None,
                next_check=next_check, interval_s=int(interval.total_seconds()))
            return
        parsed = parse_feed(response.body, response.url, _header(response, "Content-Type"))
        # One rule (crawlers.feeds): a body read as a feed succeeds, even with no entries or
        # malformed XML (a note); anything else fails and backs off (#12).
        if parsed.soft_block or parsed.problem:
            reason = parsed.soft_block or parsed.problem or ""
            self.log_response(response, reason)
            self.document_failed(meta, response.status, reason, soft_block=parsed.soft_block)
            return
        self.log_response(response, parsed.note)
        dates = [entry.published for entry in parsed.entries if entry.published]
        next_check, interval = after_success(now, dates, interval_of(previous))
        entries = self.accepted_links(response, (
            (entry.link, {"title": entry.title, "author": entry.author,
                          "published": state.iso_utc(entry.published)})
            for entry in parsed.entries))
        pending = state.record_feed_success(
            self.db, url=meta["document_url"], source=meta["source"], kind=self.kind,
            status=response.status, etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"), items=len(parsed.entries),
            newest=parsed.newest, next_check=next_check,
            interval_s=int(interval.total_seconds()), problem=parsed.note, entries=entries)
        yield from self.entry_requests(response, pending)
