"""Refuse requests to loopback and private networks unless their source allows it."""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlparse

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest


@lru_cache(maxsize=4096)
def is_private_host(host: str) -> bool:
    """True when `host` is, or resolves to, a loopback, private or link-local address."""
    if host in {"localhost", ""} or host.endswith(".localhost"):
        return True
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False  # unresolvable: let the downloader report the DNS error
        addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    return any(a.is_private or a.is_loopback or a.is_link_local or a.is_reserved
               for a in addresses)


class PrivateNetworkMiddleware:
    """A feed must not be able to point the crawler at internal services.

    A source with `allow_private = true` lives on a private network itself: the hosts the
    sources name (the spider's `private_hosts`, robots.txt requests included) may be private;
    any other private host is refused.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "PrivateNetworkMiddleware":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        host = urlparse(request.url).hostname or ""
        if host in getattr(self.crawler.spider, "private_hosts", ()):
            return None
        if is_private_host(host):
            raise IgnoreRequest(f"private or loopback address refused: {host}")
        return None
