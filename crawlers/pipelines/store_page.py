"""Store each fetched page raw (gzip) through db/ and close its frontier entry."""

from __future__ import annotations

from dataclasses import asdict

from scrapy.crawler import Crawler

from crawlers.items import Page
from db import connect
from db.crawl_state import save_page


class StorePagePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db = connect(crawler.settings["LAUNCHWIRE_DB"])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StorePagePipeline":
        return cls(crawler)

    def process_item(self, item: Page) -> Page:
        save_page(self.db, asdict(item), item.entry_url)
        self.crawler.stats.inc_value("launchwire/store_page/stored")
        return item
