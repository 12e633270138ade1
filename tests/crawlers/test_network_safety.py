"""Loopback and private addresses are recognised without touching the network."""

from __future__ import annotations

import pytest

from crawlers.middlewares.private_network import PrivateNetworkMiddleware, is_private_host
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from crawlers.sources import Source
from crawlers.spiders.feed import FeedSpider


@pytest.mark.parametrize("host, private", [
    ("127.0.0.1", True), ("localhost", True), ("10.1.2.3", True), ("192.168.0.10", True),
    ("169.254.169.254", True), ("::1", True), ("8.8.8.8", False), ("2001:4860::8888", False),
])
def test_is_private_host(host: str, private: bool) -> None:
    assert is_private_host(host) is private


def test_middleware_refuses_private_hosts_the_sources_do_not_name() -> None:
    source = Source(name="lan", homepage="http://127.0.0.1:9/", feeds=("http://127.0.0.1:9/f",),
                    allow_private=True)
    crawler = get_crawler(FeedSpider)
    crawler.spider = FeedSpider(sources=[source])
    middleware = PrivateNetworkMiddleware.from_crawler(crawler)
    assert middleware.process_request(Request("http://127.0.0.1:9/feed")) is None
    # A source allowed on its own private host still cannot reach another one.
    for url in ("http://10.11.12.13/private.html", "http://169.254.169.254/latest/meta-data",
                "http://localhost:9/feed"):
        with pytest.raises(IgnoreRequest, match="private or loopback address refused"):
            middleware.process_request(Request(url))


def test_private_hosts_are_the_sources_own() -> None:
    source = Source(name="lan", homepage="http://127.0.0.1:8000/", allow_private=True,
                    feeds=("http://127.0.0.1:8000/rss.xml", "http://192.168.1.5/feed"))
    assert source.private_hosts == ("127.0.0.1", "192.168.1.5")
    assert Source(name="web", homepage="https://a.example/", feeds=("https://a.example/f",)
                  ).private_hosts == ()
