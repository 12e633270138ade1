"""The news-sitemap spider over real HTTP: an index, its urlsets, and a cutoff by date."""

from __future__ import annotations

import functools
import threading
from datetime import datetime, timedelta, timezone
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlite_utils

from launchwire.sample_site import SampleServer
from tests.conftest import run_launchwire

pytestmark = pytest.mark.slow


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _urlset(entries: list[tuple[str, datetime]]) -> str:
    urls = "".join(
        f"<url><loc>{url}</loc><news:news><news:publication_date>{when.isoformat()}"
        f"</news:publication_date><news:title>Story</news:title></news:news></url>"
        for url, when in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
            'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>")


@pytest.mark.parametrize("cluster", [False, True], ids=["embedded", "cluster"])
def test_only_fresh_sitemap_entries_are_fetched(sample_server: SampleServer, tmp_path: Path,
                                                cluster: bool,
                                                request: pytest.FixtureRequest) -> None:
    # Through a worker (#18) an index's children go back to the writer as tasks of their own.
    through: list[str] = []
    if cluster:
        through = ["--cluster", request.getfixturevalue("redis_server").url]
        request.getfixturevalue("crawl_workers")(1, LAUNCHWIRE_DOWNLOAD_DELAY="0")
    now = datetime.now(timezone.utc)
    urls = sorted(sample_server.site.url_to_key())
    fresh, old = urls[:3], urls[3:6]
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "news-1.xml").write_text(_urlset([(u, now - timedelta(hours=2)) for u in fresh]))
    (folder / "news-old.xml").write_text(_urlset([(u, now - timedelta(days=30)) for u in old]))
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (folder / "sitemap-index.xml").write_text(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/news-1.xml</loc><lastmod>{now.isoformat()}</lastmod></sitemap>"
        f"<sitemap><loc>{base}/news-old.xml</loc><lastmod>{(now - timedelta(days=30)).isoformat()}"
        "</lastmod></sitemap></sitemapindex>")
    sources = tmp_path / "sources.toml"
    # A private source reaches only the origins it names (#12): its sitemaps' and, as its
    # homepage, the articles' server.
    home = sample_server.site.base_url
    sources.write_text(f'[[source]]\nname = "newsmap"\nhomepage = "{home}/"\nfeeds = []\n'
                       f'sitemaps = ["{base}/sitemap-index.xml"]\nallow_private = true\n')
    database = tmp_path / "sitemap.db"
    try:
        result = run_launchwire("crawl", "--db", str(database), "--sources", str(sources),
                                *through, LAUNCHWIRE_DOWNLOAD_DELAY="0")
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(database)
    assert sorted(row["url"] for row in db.query("select url from articles")) == fresh
    fetched = {row["url"] for row in db.query("select url from fetches")}
    assert f"{base}/news-1.xml" in fetched and f"{base}/news-old.xml" not in fetched
    sitemap = next(db.query("select * from feeds"))
    assert (sitemap["kind"], sitemap["status"]) == ("sitemap", 200)
