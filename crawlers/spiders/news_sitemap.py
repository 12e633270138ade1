"""NewsSitemapSpider: sitemap indexes and urlsets with the Google News extension; only
entries newer than a cutoff go on the frontier."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

import scrapy
from dateutil.parser import isoparse
from lxml import etree
from scrapy.http import Response
from scrapy.utils.gz import gunzip

from crawlers.schedule import after_success, interval_of
from crawlers.sources import Source
from crawlers.spiders.base import ArticleSpider
from db import crawl_state as state

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}
# No entity expansion, no network: a sitemap is untrusted input.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def _date(value: str | None) -> datetime | None:
    if not value or not value.strip():
        return None
    try:
        moment = isoparse(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def read_sitemap(body: bytes) -> tuple[str, list[dict[str, Any]]]:
    """("index" | "urlset" | "unknown", entries with loc, date and news title)."""
    root = etree.fromstring(body, parser=PARSER) if body.strip() else None
    if root is None:
        return "unknown", []
    tag = etree.QName(root).localname
    kind = {"sitemapindex": "index", "urlset": "urlset"}.get(tag, "unknown")
    child = "sitemap" if kind == "index" else "url"
    entries = []
    for node in root.iter(f"{{{NS['sm']}}}{child}"):
        loc = node.findtext("sm:loc", namespaces=NS)
        if not loc:
            continue
        published = node.findtext("news:news/news:publication_date", namespaces=NS)
        entries.append({"loc": loc.strip(), "date": _date(published) or _date(
            node.findtext("sm:lastmod", namespaces=NS)),
            "title": node.findtext("news:news/news:title", namespaces=NS)})
    return kind, entries


class NewsSitemapSpider(ArticleSpider):
    name = "news_sitemap"
    kind = "sitemap"

    def documents(self, source: Source) -> tuple[str, ...]:
        return source.sitemaps

    def parse_document(self, response: Response) -> Iterable[scrapy.Request]:
        meta = response.meta
        now = datetime.now(timezone.utc)
        if response.status == 304:
            self.log_response(response)
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
        kind, entries = read_sitemap(body)
        if kind == "unknown":
            self.log_response(response, "not a sitemap")
            if not meta.get("child"):
                self.document_failed(meta, response.status, "not a sitemap")
            return
        self.log_response(response)
        cutoff = now - timedelta(days=self.settings.getfloat("LAUNCHWIRE_SITEMAP_MAX_AGE_DAYS", 2.0))
        fresh = [entry for entry in entries if entry["date"] is None or entry["date"] >= cutoff]
        links = [] if kind == "index" else self.accepted_links(response, (
            (entry["loc"], {"title": entry["title"],
                            "published": entry["date"].isoformat() if entry["date"] else None})
            for entry in fresh))
        if meta.get("child"):
            pending = state.add_entries(self.db, meta["source"], meta["document_url"], links)
        else:
            previous = state.feed_state(self.db, meta["document_url"]) or {}
            dates = [entry["date"] for entry in entries if entry["date"]]
            next_check, interval = after_success(now, dates, interval_of(previous))
            pending = state.record_feed_success(
                self.db, url=meta["document_url"], source=meta["source"], kind=self.kind,
                status=response.status, etag=None, last_modified=None, items=len(fresh),
                newest=max(dates) if dates else None, next_check=next_check,
                interval_s=int(interval.total_seconds()), entries=links)
        if kind == "index":
            source = next(s for s in self.sources if s.name == meta["source"])
            for entry in fresh:
                # Child sitemaps report to the top-level one's entries and schedule.
                request = self.document_request(entry["loc"], source, child=True)
                request.meta["document_url"] = meta["document_url"]
                yield request
            return
        yield from self.entry_requests(response, pending)
