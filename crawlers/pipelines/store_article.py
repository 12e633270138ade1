"""Store articles through db/; a URL already stored is left alone."""

from __future__ import annotations

from dataclasses import asdict

from scrapy.crawler import Crawler

from crawlers.items import Article
from db import connect, store


class StoreArticlePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db = connect(crawler.settings["LAUNCHWIRE_DB"])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StoreArticlePipeline":
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        created = store.insert_article(self.db, asdict(item))
        self.crawler.stats.inc_value(
            "launchwire/store_article/" + ("stored" if created else "already_stored"))
        return item
