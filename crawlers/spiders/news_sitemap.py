"""NewsSitemapSpider: sitemap indexes and urlsets with the Google News extension; only
entries newer than a cutoff go on the frontier."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from lxml import etree
from scrapy.http import Response

from crawlers.encoding import CorruptGzip, gunzipped
from crawlers.feeds import utc_date
from crawlers.items import Fetched
from crawlers.sources import Source
from crawlers.spiders.base import ArticleSpider

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}
# No entity expansion, no network: a sitemap is untrusted input.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


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
        entries.append({"loc": loc.strip(), "date": utc_date(published) or utc_date(
            node.findtext("sm:lastmod", namespaces=NS)),
            "title": node.findtext("news:news/news:title", namespaces=NS)})
    return kind, entries


class NewsSitemapSpider(ArticleSpider):
    name = "news_sitemap"
    kind = "sitemap"

    def documents(self, source: Source) -> tuple[str, ...]:
        return source.sitemaps

    def parse_document(self, response: Response) -> Iterable[Any]:
        meta = response.meta
        if response.status == 304:
            yield from self.document_unchanged(response)
            return
        # A corrupt or oversized sitemap.xml.gz is recorded as failing, not lost (#12).
        try:
            kind, entries = read_sitemap(gunzipped(
                response.body, self.settings.getint("DOWNLOAD_MAXSIZE")))
            problem = "not a sitemap" if kind == "unknown" else None
        except CorruptGzip as error:
            kind, entries, problem = "unknown", [], f"not a sitemap: bad gzip: {error}"
        except ValueError as error:
            kind, entries, problem = "unknown", [], f"not a sitemap: {error}"
        yield self.fetched(response, problem)
        if problem:
            if not meta.get("child"):
                yield self.document_failed(meta, response.status, problem)
            return
        now = datetime.now(timezone.utc)
        max_age = self.settings.getfloat("LAUNCHWIRE_SITEMAP_MAX_AGE_DAYS")
        cutoff = now - timedelta(days=max_age)
        fresh = [entry for entry in entries if entry["date"] is None or entry["date"] >= cutoff]
        dates = [entry["date"] for entry in entries if entry["date"]]
        newest = max(dates) if dates else None
        if kind == "index":
            yield from self.document_read(response, [], dates, items=len(fresh), newest=newest)
            yield from self.child_requests(response, fresh)
            return
        refused: list[Fetched] = []
        links = self.accepted_links(response, (
            (entry["loc"], {"title": entry["title"],
                            "published": entry["date"].isoformat() if entry["date"] else None})
            for entry in fresh), refused)
        yield from refused
        yield from self.document_read(response, links, dates, items=len(fresh), newest=newest)

    def child_requests(self, response: Response, fresh: list[dict]) -> Iterable[Any]:
        """An index's fresh child sitemaps; each bad loc is refused on its own (#12)."""
        source = response.meta["source_obj"]
        refused: list[Fetched] = []
        for entry in fresh:
            url = self.checked_url(entry["loc"], response, refused)
            yield from refused
            refused.clear()
            if url is None:
                continue
            # Child sitemaps report to the top-level one's entries and schedule.
            request = self.document_request(url, source, child=True)
            request.meta["document_url"] = response.meta["document_url"]
            yield request
