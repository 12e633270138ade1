"""A running crawl loads only the Scrapy components it uses and listens on no socket (#12)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from crawl_probe import listening_sockets
from loopback_site import HTML, RSS, LoopbackSite, Reply
from tests.conftest import REPO

pytestmark = pytest.mark.slow

EXTENSIONS = ["crawlers.extensions.storage_guard.StorageGuard",
              "scrapy.extensions.corestats.CoreStats", "scrapy.extensions.logcount.LogCount",
              "scrapy.extensions.logstats.LogStats", "scrapy.extensions.throttle.AutoThrottle",
              "crawl_probe.CrawlProbe"]
DOWNLOADER_MIDDLEWARES = [
    "crawlers.middlewares.private_network.PrivateNetworkMiddleware",
    "crawlers.middlewares.retry_after.RetryAfterMiddleware",
    *(f"scrapy.downloadermiddlewares.{path}" for path in (
        "defaultheaders.DefaultHeadersMiddleware", "downloadtimeout.DownloadTimeoutMiddleware",
        "httpcompression.HttpCompressionMiddleware", "httpproxy.HttpProxyMiddleware",
        "redirect.MetaRefreshMiddleware", "redirect.RedirectMiddleware",
        "robotstxt.RobotsTxtMiddleware", "stats.DownloaderStats",
        "useragent.UserAgentMiddleware"))]
SPIDER_MIDDLEWARES = ["scrapy.spidermiddlewares.httperror.HttpErrorMiddleware",
                      "scrapy.spidermiddlewares.referer.RefererMiddleware",
                      "scrapy.spidermiddlewares.start.StartSpiderMiddleware"]


def test_the_listener_check_sees_a_listener() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        address = str(server.getsockname())
        assert address not in listening_sockets()
        server.listen()
        assert address in listening_sockets()
    assert address not in listening_sockets()


def test_a_running_crawl_loads_only_what_it_uses(tmp_path: Path) -> None:
    with LoopbackSite() as site:
        page = f"<html><body><p>{'An invented story. ' * 30}</p></body></html>".encode()
        site.routes.update({
            "/robots.txt": Reply(200, b"User-agent: *\nAllow: /\n"),
            "/a.html": Reply(200, page, {"Content-Type": HTML}),
            "/feed.xml": Reply(200, f'<rss version="2.0"><channel><title>T</title><item><link>'
                                    f'{site.url("/a.html")}</link></item></channel></rss>'.encode(),
                               {"Content-Type": RSS})})
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nname = "s"\nhomepage = "{site.base_url}/"\n'
                           f'feeds = ["{site.url("/feed.xml")}"]\nallow_private = true\n')
        out = tmp_path / "probe.jsonl"
        result = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("crawl_probe.py")), str(sources),
             str(tmp_path / "probe.db"), str(out)], cwd=REPO, capture_output=True, text=True,
            timeout=120, env={**os.environ, "PYTHONPATH": f"{REPO}:{Path(__file__).parent}"})
    assert result.returncode == 0, result.stderr
    seen = [json.loads(line) for line in out.read_text().splitlines()]
    assert [probe["spider"] for probe in seen] == ["feed"]  # no sitemaps: nothing fetched
    probe = seen[0]
    assert probe["listening"] == []
    assert probe["extensions"] == sorted(EXTENSIONS)
    assert probe["downloader_middlewares"] == sorted(DOWNLOADER_MIDDLEWARES)
    assert probe["spider_middlewares"] == sorted(SPIDER_MIDDLEWARES)
    assert probe["download_handlers"] == ["http", "https"]
