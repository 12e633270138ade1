"""A document's answer is booked in one place for every spider (#15): a 304 is a success.
Spiders only read the database; what they yield is stored by the crawl's pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import scrapy
import sqlite_utils
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from crawlers.items import DocumentRead, Fetched
from crawlers.pipelines.store_crawl import StoreCrawlPipeline
from crawlers.sources import Source
from crawlers.spiders.base import ArticleSpider
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.news_sitemap import NewsSitemapSpider
from db import shared_connection, store

SOURCE = Source(name="Example", homepage="https://news.example/",
                feeds=("https://news.example/feed",), sitemaps=("https://news.example/news.xml",))


def _unchanged(spider_class: type[ArticleSpider], db_path: Path, url: str,
               **meta: object) -> sqlite_utils.Database:
    """Answer a document's request with a 304; RETURNS the database after the pipeline."""
    crawler = get_crawler(spider_class, {"LAUNCHWIRE_DB": str(db_path)})
    spider = spider_class(sources=[SOURCE])
    spider.db = shared_connection(db_path)
    store.upsert_source(spider.db, SOURCE.to_dict())
    pipeline = StoreCrawlPipeline(crawler)
    request = spider.document_request(url, SOURCE, **meta)
    response = TextResponse(url, status=304, body=b"", request=request)
    output = list(spider.parse_document(response))
    assert not [out for out in output if isinstance(out, scrapy.Request)]
    assert [type(out) for out in output] == [Fetched, DocumentRead]
    for item in output:
        pipeline.process_item(item)
    pipeline.close_spider()
    return spider.db


@pytest.mark.parametrize("spider_class, url", [
    (FeedSpider, "https://news.example/feed"),
    (NewsSitemapSpider, "https://news.example/news.xml")])
def test_a_304_is_logged_and_counts_as_a_success(
        db_path: Path, spider_class: type[ArticleSpider], url: str) -> None:
    db = _unchanged(spider_class, db_path, url)
    [feed] = list(db.query("select * from feeds"))
    assert (feed["url"], feed["status"], feed["consecutive_failures"]) == (url, 304, 0)
    assert feed["next_check_at"] and feed["last_success_at"]
    assert [row["status"] for row in db.query("select status from fetches")] == [304]


def test_a_child_sitemaps_304_books_nothing_for_its_index(db_path: Path) -> None:
    db = _unchanged(NewsSitemapSpider, db_path, "https://news.example/news-1.xml", child=True)
    assert db.table("feeds").count == 0
    assert db.table("fetches").count == 1
