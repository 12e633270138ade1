"""A document's answer is booked in one place for every spider (#15): a 304 is a success."""

from __future__ import annotations

import pytest
import sqlite_utils
from scrapy.http import TextResponse

from crawlers.sources import Source
from crawlers.spiders.base import ArticleSpider
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.news_sitemap import NewsSitemapSpider
from db import store

SOURCE = Source(name="Example", homepage="https://news.example/",
                feeds=("https://news.example/feed",), sitemaps=("https://news.example/news.xml",))


def _unchanged(spider_class: type[ArticleSpider], db: sqlite_utils.Database, url: str,
               **meta: object) -> None:
    spider = spider_class(sources=[SOURCE])
    spider.db = db
    store.upsert_source(db, SOURCE.to_dict())
    request = spider.document_request(url, SOURCE, **meta)
    response = TextResponse(url, status=304, body=b"", request=request)
    assert list(spider.parse_document(response) or ()) == []


@pytest.mark.parametrize("spider_class, url", [
    (FeedSpider, "https://news.example/feed"),
    (NewsSitemapSpider, "https://news.example/news.xml")])
def test_a_304_is_logged_and_counts_as_a_success(
        fresh_db: sqlite_utils.Database, spider_class: type[ArticleSpider], url: str) -> None:
    _unchanged(spider_class, fresh_db, url)
    [feed] = list(fresh_db.query("select * from feeds"))
    assert (feed["url"], feed["status"], feed["consecutive_failures"]) == (url, 304, 0)
    assert feed["next_check_at"] and feed["last_success_at"]
    assert [row["status"] for row in fresh_db.query("select status from fetches")] == [304]


def test_a_child_sitemaps_304_books_nothing_for_its_index(fresh_db: sqlite_utils.Database) -> None:
    _unchanged(NewsSitemapSpider, fresh_db, "https://news.example/news-1.xml", child=True)
    assert fresh_db.table("feeds").count == 0
    assert fresh_db.table("fetches").count == 1
