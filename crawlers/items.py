"""Items the spiders yield."""

from __future__ import annotations

from dataclasses import dataclass


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
