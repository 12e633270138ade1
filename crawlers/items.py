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
