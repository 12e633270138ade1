"""Refuse requests to loopback and private networks unless they are their own source's."""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from typing import Iterable
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from crawlers.urls import Origin, origin

NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Not a public unicast address; an IPv4 address inside an IPv6 one (mapped, 6to4,
    NAT64) is judged as itself. `is_global` also excludes 100.64.0.0/10 (carrier-grade
    NAT, VPN meshes), which `is_private` lets through (#12)."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour or (
            ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in NAT64 else None)
        if inner is not None:
            return _internal(inner)
    return not address.is_global or address.is_multicast


@lru_cache(maxsize=4096)
def is_private_host(host: str) -> bool:
    """True when `host` is, or resolves to, a loopback, private, link-local or otherwise
    non-public address."""
    if host in {"localhost", ""} or host.endswith(".localhost"):
        return True
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except (OSError, UnicodeError):
            return False  # unresolvable: let the downloader report the DNS error
        addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
    return any(_internal(address) for address in addresses)


def _robots_request(request: Request, where: Origin) -> bool:
    """A robots.txt request, not brought to this origin by a redirect from another one."""
    hops = request.meta.get("redirect_urls", ())
    return urlsplit(request.url).path == "/robots.txt" and all(
        origin(url) == where for url in hops)


class PrivateNetworkMiddleware:
    """A feed must not be able to point the crawler at internal services (#12).

    A request may reach a private address only at an origin (host and port) of its own
    source, `request.meta["source"]`, and only when that source has `allow_private = true`:
    one source's feed cannot reach another source's private host. A redirect is a new
    request through the downloader middlewares, so every hop is checked for the same source.

    robots.txt requests carry no source. RobotsTxtMiddleware makes one for the origin of a
    request that has just passed this middleware (which runs before it), so a request with no
    source may fetch /robots.txt at an origin some source may reach, unless a redirect from
    another origin brought it there; nothing else.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "PrivateNetworkMiddleware":
        return cls(crawler)

    def allowed(self, request: Request, where: Origin) -> Iterable[Origin]:
        """The private origins this request may reach."""
        by_source = getattr(self.crawler.spider, "private_origins", {})
        source = request.meta.get("source")
        if source is not None:
            return by_source.get(source, ())
        return frozenset().union(*by_source.values()) if _robots_request(request, where) else ()

    def process_request(self, request: Request) -> None:
        try:
            where = origin(request.url)
        except ValueError as error:
            raise IgnoreRequest(f"malformed URL: {error}") from error
        if where in self.allowed(request, where) or not is_private_host(where[0]):
            return None
        host = f"[{where[0]}]" if ":" in where[0] else where[0]
        raise IgnoreRequest(f"private or loopback address refused: {host}:{where[1]} is not "
                            f"an address of {request.meta.get('source') or 'no source'}")
