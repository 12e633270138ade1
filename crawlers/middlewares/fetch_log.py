"""Write every response the crawler receives to the `fetches` table."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

from db import connect, store


class FetchLogMiddleware:
    def __init__(self, db_path: str) -> None:
        self.db = connect(db_path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "FetchLogMiddleware":
        return cls(crawler.settings["LAUNCHWIRE_DB"])

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        latency = request.meta.get("download_latency")
        store.log_fetch(self.db, url=response.url, source=request.meta.get("source"),
                        status=response.status, size=len(response.body),
                        ms=round(latency * 1000) if latency is not None else None)
        return response
