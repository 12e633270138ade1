"""Turn stored raw pages into articles: decode, extract, canonicalise, de-duplicate.

Runs after the fetching, in worker processes: extraction is CPU work that would otherwise
hold up Scrapy's reactor. The same code serves `launchwire reextract` and `launchwire extract`.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable

import sqlite_utils

from crawlers.encoding import decode_html
from crawlers.items import Article
from crawlers.language import load_classifier, word_count
from crawlers.parsers.generic import Extracted, extract_article
from crawlers.urls import RefusedLink, canonical_url, fetch_url, same_site
from db import crawl_state as state

# Counted by `word_count`: a Chinese article is not a handful of space-separated words.
MIN_WORDS = 40
# Below this many pages a worker pool costs more than it saves.
POOL_THRESHOLD = 24


@dataclass
class ExtractReport:
    stored: int = 0
    duplicates: int = 0
    updated: int = 0
    failed: int = 0

    def count(self, outcome: str) -> None:
        """Count one page by what db.crawl_state.store_extracted did with it."""
        field = {"duplicate": "duplicates"}.get(outcome, outcome)
        setattr(self, field, getattr(self, field) + 1)


def read_page(body: bytes, url: str, content_type: str | None = None) -> tuple[Extracted | None, str]:
    """Decode and extract one page exactly as the crawler does; RETURNS (article, encoding)."""
    html, encoding = decode_html(body, content_type)
    return extract_article(html, url), encoding


def article_problem(article: Article) -> str | None:
    """Why an extracted article is not worth storing, or None when it is."""
    if not article.title.strip():
        return "no title"
    if word_count(article.text) < MIN_WORDS:
        return f"body under {MIN_WORDS} words"
    return None


def _story_url(claimed: str | None, page_url: str) -> str:
    """A page's canonical link, trusted on its own site only: AMP and tracking copies fold
    into one story, but a hostile page cannot claim another site's URL. A canonical link
    that is no usable URL (`http://[::1/`, #12) is ignored rather than failing the page."""
    if not claimed:
        return page_url
    try:
        absolute = fetch_url(claimed, page_url)
    except RefusedLink:
        return page_url
    return canonical_url(absolute) if same_site(absolute, page_url) else page_url


def article_from_page(page: dict[str, Any]) -> dict[str, Any]:
    """A stored page row -> {"article": {...}} or {"problem": "..."}; runs in a worker."""
    body = state.page_body(page)
    extracted, _ = read_page(body, page["url"], page["content_type"])
    if extracted is None:
        return {"problem": "no article body found"}
    hints = json.loads(page["hints"] or "{}")
    article = Article(url=_story_url(extracted.url, page["url"]), source=page["source"],
                      feed_url=page["feed_url"],
                      title=extracted.title or hints.get("title") or "", text=extracted.text,
                      author=extracted.author or hints.get("author"),
                      published=hints.get("published") or extracted.published,
                      lang=extracted.lang, fetched_at=page["fetched_at"])
    problem = article_problem(article)
    return {"problem": problem} if problem else {"article": asdict(article)}


def extract_pages(db: sqlite_utils.Database, everything: bool = False,
                  workers: int | None = None, on_page: Callable[[], None] | None = None) -> ExtractReport:
    """Extract every stored page that has no article yet (or all pages, to re-extract).

    RETURNS (ExtractReport): counts of stored, duplicate, updated and failed pages.
    """
    workers = workers or min(os.cpu_count() or 1, 4)
    report = ExtractReport()
    with ExitStack() as stack:
        pool: ProcessPoolExecutor | None = None
        for batch in state.pages_to_extract(db, everything=everything):
            if pool is None and workers > 1 and len(batch) >= POOL_THRESHOLD:
                load_classifier()
                pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers))
            results: Iterable[dict[str, Any]] = (
                pool.map(article_from_page, batch, chunksize=8) if pool is not None
                else map(article_from_page, batch))
            for page, result in zip(batch, results):
                report.count(state.store_extracted(db, page, result, everything))
                if on_page:
                    on_page()
    return report
