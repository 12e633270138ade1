"""Loopback and private addresses are recognised without touching the network."""

from __future__ import annotations

import pytest

from crawlers.middlewares.private_network import PrivateNetworkMiddleware, is_private_host
from scrapy import Request
from scrapy.exceptions import IgnoreRequest


@pytest.mark.parametrize("host, private", [
    ("127.0.0.1", True), ("localhost", True), ("10.1.2.3", True), ("192.168.0.10", True),
    ("169.254.169.254", True), ("::1", True), ("8.8.8.8", False), ("2001:4860::8888", False),
])
def test_is_private_host(host: str, private: bool) -> None:
    assert is_private_host(host) is private


def test_middleware_refuses_unless_the_source_allows() -> None:
    middleware = PrivateNetworkMiddleware()
    with pytest.raises(IgnoreRequest, match="private or loopback"):
        middleware.process_request(Request("http://169.254.169.254/latest/meta-data"))
    assert middleware.process_request(
        Request("http://127.0.0.1:9/feed", meta={"allow_private": True})) is None
