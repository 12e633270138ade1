"""Drop articles with nothing to process."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawlers.items import Article

MIN_WORDS = 40


def article_problem(article: Article) -> str | None:
    """Why an article is not worth storing, or None when it is."""
    if not article.title.strip():
        return "no title"
    if len(article.text.split()) < MIN_WORDS:
        return f"body under {MIN_WORDS} words"
    return None


class ValidateArticlePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ValidateArticlePipeline":
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        problem = article_problem(item)
        if problem:
            self.crawler.stats.inc_value("launchwire/validate_article/dropped")
            raise DropItem(f"{problem}: {item.url}")
        return item
