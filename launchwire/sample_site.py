"""The bundled sample site: four invented outlets, rendered and served on loopback HTTP."""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jinja2
import yaml

from crawlers.sources import Source

SAMPLE_DIR = Path(__file__).parent / "sample"


@dataclass
class Page:
    body: bytes
    content_type: str
    last_modified: str | None = None

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass
class SampleArticle:
    outlet: str
    slug: str
    meta: dict[str, Any]
    blocks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """How gold.yaml names this article: "<outlet>/<slug>"."""
        return f"{self.outlet}/{self.slug}"

    @property
    def published(self) -> datetime:
        value = self.meta["published"]
        return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _blocks(body: str) -> list[dict[str, Any]]:
    blocks = []
    for chunk in body.strip().split("\n\n"):
        chunk = " ".join(chunk.split())
        if chunk.startswith("## "):
            blocks.append({"heading": True, "text": chunk[3:]})
        elif chunk:
            # Paragraphs are trusted team-written HTML fragments (they carry the spam anchor).
            blocks.append({"heading": False, "html": chunk})
    return blocks


def load_articles(root: Path = SAMPLE_DIR) -> list[SampleArticle]:
    """Every article file of the sample site, newest first within each outlet."""
    articles = []
    for path in sorted((root / "articles").glob("*/*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        articles.append(SampleArticle(path.parent.name, path.stem, yaml.safe_load(front),
                                      _blocks(body)))
    return sorted(articles, key=lambda a: (a.outlet, a.published), reverse=True)


def load_gold(root: Path = SAMPLE_DIR) -> dict[str, Any]:
    return yaml.safe_load((root / "gold.yaml").read_text(encoding="utf-8"))


class SampleSite:
    """Renders every page of the sample site for one base URL."""

    def __init__(self, base_url: str, root: Path = SAMPLE_DIR, name_suffix: str = "",
                 edition: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.name_suffix = name_suffix
        # A mirror's edition line makes its stories distinct texts, not duplicates.
        self.edition = edition
        self.root = root
        self.outlets: dict[str, dict[str, Any]] = yaml.safe_load(
            (root / "outlets.yaml").read_text(encoding="utf-8"))
        self.articles = load_articles(root)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(root / "outlets")),
            autoescape=True, keep_trailing_newline=True)
        self.pages: dict[str, Page] = {}
        self._render()

    def outlet_url(self, key: str, path: str = "") -> str:
        return f"{self.base_url}/{key}/{path}"

    def article_url(self, article: SampleArticle) -> str:
        when = article.published
        path = self.outlets[article.outlet]["article_path"].format(
            year=f"{when.year:04d}", month=f"{when.month:02d}", day=f"{when.day:02d}",
            slug=article.slug)
        return self.outlet_url(article.outlet, path)

    def url_to_key(self) -> dict[str, str]:
        """Article URL -> gold key, for scoring what a crawl stored."""
        return {self.article_url(article): article.key for article in self.articles}

    def sources(self) -> list[Source]:
        return [Source(name=key + self.name_suffix, homepage=self.outlet_url(key),
                       feeds=(self.outlet_url(key, outlet["feed"]["path"]),),
                       sitemaps=tuple(self.outlet_url(key, outlet[k]) for k in ("news_sitemap",)
                                      if k in outlet),
                       language="en", region="global", allow_private=True)
                for key, outlet in self.outlets.items()]

    def sources_toml(self) -> str:
        """A sources file pointing at this site (what `launchwire demo` crawls)."""
        return sources_toml(self.sources())

    def _view(self, article: SampleArticle) -> dict[str, Any]:
        meta = article.meta
        url = self.article_url(article)
        when = article.published
        return {**meta, "url": url, "published": when.isoformat(),
                "published_rfc822": format_datetime(when), "date_label": when.strftime("%d %B %Y"),
                "blocks": ([{"heading": False, "html": html.escape(self.edition)}] if self.edition
                           else []) + article.blocks, "comments": meta.get("comments") or [],
                "tags": meta.get("tags") or [], "encoding": meta.get("encoding", "utf-8"),
                "json_ld": html.escape(json.dumps({
                    "@context": "https://schema.org", "@type": "NewsArticle",
                    "headline": meta["title"], "datePublished": when.isoformat(),
                    "author": {"@type": "Person", "name": meta["author"]}, "url": url}),
                    quote=False)}

    def _render(self) -> None:
        for key, outlet in self.outlets.items():
            own = [a for a in self.articles if a.outlet == key]
            views = [self._view(a) for a in own]
            info = {**outlet, "key": key, "home_url": self.outlet_url(key),
                    "feed_url": self.outlet_url(key, outlet["feed"]["path"]),
                    "feed_format": outlet["feed"]["format"]}
            newest = max(a.published for a in own)
            modified = format_datetime(newest.astimezone(timezone.utc), usegmt=True)
            for article, view in zip(own, views):
                related = [v for v in views if v["url"] != view["url"]][:4]
                markup = self.env.get_template(f"{key}/article.html").render(
                    article=view, outlet=info, related=related)
                encoding = view["encoding"]
                # Declared only in the page's meta tag: no charset in the HTTP header.
                content_type = "text/html" if encoding != "utf-8" else "text/html; charset=utf-8"
                self.pages[view["url"]] = Page(markup.encode(encoding), content_type)
            feed_format = outlet["feed"]["format"]
            feed = self.env.get_template(f"_shared/{feed_format}.xml").render(
                outlet=info, articles=views, updated_iso=newest.isoformat(),
                updated_rfc822=format_datetime(newest))
            self.pages[info["feed_url"]] = Page(
                feed.encode("utf-8"),
                f"application/{'atom' if feed_format == 'atom' else 'rss'}+xml; charset=utf-8",
                last_modified=modified)
            if "news_sitemap" in outlet:
                sitemap = self.env.get_template("_shared/news-sitemap.xml").render(
                    outlet=info, articles=views)
                self.pages[self.outlet_url(key, outlet["news_sitemap"])] = Page(
                    sitemap.encode("utf-8"), "application/xml; charset=utf-8")
            index = self.env.get_template("_shared/index.html").render(outlet=info, articles=views)
            self.pages[info["home_url"]] = Page(index.encode("utf-8"), "text/html; charset=utf-8")
        self.pages[self.base_url + "/robots.txt"] = Page(
            b"User-agent: *\nDisallow: /private/\n", "text/plain; charset=utf-8")



def sources_toml(sources: list[Source]) -> str:
    """A sources file for these sources (what `launchwire demo` and the tests crawl)."""
    lines = []
    for source in sources:
        lines += ["[[source]]", f'name = "{source.name}"', f'homepage = "{source.homepage}"',
                  "feeds = [" + ", ".join(f'"{url}"' for url in source.feeds) + "]",
                  "sitemaps = [" + ", ".join(f'"{url}"' for url in source.sitemaps) + "]",
                  f'language = "{source.language}"', f'region = "{source.region}"',
                  f"allow_private = {'true' if source.allow_private else 'false'}", ""]
    return "\n".join(lines)


def _handler(pages: dict[str, Page], base_url: list[str],
             latency_s: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if latency_s:
                time.sleep(latency_s)
            page = pages.get(base_url[0] + self.path.split("?", 1)[0])
            if page is None:
                self.send_error(404, "Not Found")
                return
            if self.headers.get("If-None-Match") == page.etag:
                self.send_response(304)
                self.send_header("ETag", page.etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            self.send_header("ETag", page.etag)
            if page.last_modified:
                self.send_header("Last-Modified", page.last_modified)
            self.end_headers()
            self.wfile.write(page.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the crawler keeps its own log of every fetch

    return Handler


class SampleServer:
    """Serve the sample site on 127.0.0.1 from a background thread.

    port (int): 0 picks a free port.
    mirrors (int): extra copies under /m1/, /m2/ … as more outlets, for benchmarks.
    latency_s (float): how long each answer waits, as a distant site's would (benchmarks).
    """

    def __init__(self, port: int = 0, host: str = "127.0.0.1", mirrors: int = 0,
                 latency_s: float = 0.0) -> None:
        pages: dict[str, Page] = {}
        base_url: list[str] = []
        self.httpd = ThreadingHTTPServer((host, port), _handler(pages, base_url, latency_s))
        self.httpd.daemon_threads = True
        self.base_url = f"http://{host}:{self.httpd.server_address[1]}"
        base_url.append(self.base_url)
        self.site = SampleSite(self.base_url)
        self.mirrors = [SampleSite(f"{self.base_url}/m{n}", name_suffix=f"-m{n}",
                                   edition=f"Regional edition number {n} of this story.")
                        for n in range(1, mirrors + 1)]
        for site in [self.site, *self.mirrors]:
            pages.update(site.pages)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       name="sample-site")

    def __enter__(self) -> "SampleServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
