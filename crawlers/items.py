"""Items: raw pages from the spiders, articles from extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Page:
    """A fetched article page, kept raw so it can be extracted again later."""

    url: str  # canonical form of the URL it was finally served from
    entry_url: str  # the frontier entry it answers
    source: str
    status: int
    body: bytes
    content_type: str | None = None
    feed_url: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)  # what the feed said: title, author, date


@dataclass
class Article:
    url: str
    source: str
    title: str
    text: str
    fetched_at: str
    feed_url: str | None = None
    author: str | None = None
    published: str | None = None
    lang: str | None = None


# What the spiders learn about the crawl itself. Spiders only read the database; these are
# stored by crawlers.pipelines.store_crawl (#15).


@dataclass
class Fetched:
    """One request's outcome, for the `fetches` log: a response, a failure or a refusal."""

    url: str
    source: str | None
    status: int | None = None
    size: int | None = None
    ms: int | None = None
    error: str | None = None


@dataclass
class EntryFailed:
    """A frontier entry's fetch failed; a permanent failure is never tried again."""

    url: str
    error: str
    permanent: bool


@dataclass
class DocumentRead:
    """A feed or sitemap answered (200 or 304): its links go on the frontier; a top-level
    document's schedule and health commit with them, a child sitemap reports to its index's."""

    document_url: str
    source: str
    kind: str
    status: int
    child: bool = False
    entries: list[dict[str, Any]] = field(default_factory=list)
    dates: list[Any] = field(default_factory=list)  # its items' datetimes: the next check
    items: int | None = None
    newest: Any = None
    etag: str | None = None
    last_modified: str | None = None
    problem: str | None = None


@dataclass
class DocumentFailed:
    """A top-level feed or sitemap failed: it backs off (sooner if Retry-After says so)."""

    document_url: str
    source: str
    kind: str
    status: int | None
    reason: str
    retry_after_s: float | None = None
    soft_block: str | None = None
