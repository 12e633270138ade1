"""The generic parser keeps the article and drops each outlet template's boilerplate."""

from __future__ import annotations

import pytest

from crawlers.items import Article
from crawlers.parsers.generic import extract_article
from crawlers.extract import article_problem
from launchwire.sample_site import SampleSite

SITE = SampleSite("http://sample.test")
PAGES = {key: url for url, key in SITE.url_to_key().items()}


@pytest.mark.parametrize("key", ["techpulse/threads-arrives", "byteledger/nothing-phone-1",
                                 "asiatechwire/xiaomi-su7", "startupsignal/quillo-launch"])
def test_extracts_title_author_and_body(key: str) -> None:
    url = PAGES[key]
    article = next(a for a in SITE.articles if a.key == key)
    extracted = extract_article(SITE.pages[url].body.decode("utf-8"), url)
    assert extracted is not None
    assert extracted.title == article.meta["title"]
    # Only TechPulse names its author machine-readably; for the others the crawl takes the feed's.
    machine_readable = key.startswith("techpulse/")
    assert extracted.author == (article.meta["author"] if machine_readable else None)
    first_paragraph = next(b["html"] for b in article.blocks if not b["heading"])
    assert extracted.text.split("\n")[0] in (article.meta["dek"], first_paragraph)
    for comment in article.meta.get("comments") or []:
        assert comment["text"] not in extracted.text
    for boilerplate in ("cookie", "Advertisement", "ADVERTISEMENT", "Sponsored", "sponsor",
                        "Hot articles", "Most read"):
        assert boilerplate not in extracted.text


def test_navigation_only_page_is_not_an_article() -> None:
    extracted = extract_article("<html><body><nav>Home</nav></body></html>", "http://x.test/")
    assert extracted is None or article_problem(Article(
        url="http://x.test/", source="x", title=extracted.title or "", text=extracted.text,
        fetched_at="2026-01-01T00:00:00+00:00")) is not None
