"""How much of each article a public site gives out word for word (#12).

Everything the site serves is gathered — every allowed table and view paged through to its
end, every canned query with realistic parameters, every launch page and every feed — and
each sample article's sentences, split from its text read straight from SQLite, are looked
for in it. An article's summary and quoted fact sentences are meant to stay within ~30% of
it; the median article must, and no article may give out more than half.
"""

from __future__ import annotations

import html
import json
import re
import statistics
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

import pytest
import sqlite_utils

from publish.access import PUBLIC_TABLES
from publish.feeds import feed_list, feed_path
from publish.site import make_datasette

pytestmark = pytest.mark.slow

# A sentence ends at . ! or ? (and any closing quote), before white space and a capital.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
MIN_WORDS = 4  # "It did." is found everywhere; it gives nothing away
TAGS = re.compile(r"<[^>]+>")


def sentences(text: str) -> list[str]:
    """The article's sentences of MIN_WORDS words or more, white space normalised."""
    found = []
    for paragraph in text.splitlines():
        found += [" ".join(s.split()) for s in SENTENCE_END.split(paragraph)]
    return [s for s in found if len(s.split()) >= MIN_WORDS]


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, and in JSON held inside its strings."""
    if isinstance(value, str):
        yield value
        if value[:1] in "[{":
            try:
                yield from strings(json.loads(value))
            except ValueError:
                pass
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


async def _json(datasette, path: str, params: dict | None = None) -> Any:
    response = await datasette.client.get(path, params=params)
    assert response.status_code == 200, (path, params, response.text[:300])
    return response.json()


async def _tables(datasette, name: str) -> list[str]:
    found = []
    for table in sorted(PUBLIC_TABLES):
        page = await _json(datasette, f"/{name}/{table}.json", {"_size": "max"})
        found += list(strings(page["rows"]))
        while page.get("next_url"):
            parts = urlsplit(page["next_url"])
            page = await _json(datasette, f"{parts.path}?{parts.query}")
            found += list(strings(page["rows"]))
    return found


def _query_params(db: sqlite_utils.Database) -> list[tuple[str, dict]]:
    def column(sql: str) -> list[str]:
        return [row[0] for row in db.execute(sql).fetchall() if row[0]]

    products = column("select distinct p.name from launches l join entities p on p.id = l.product_id")
    companies = column("select distinct c.name from launches l join entities c on c.id = l.company_id")
    figured = column("select distinct e.name from metrics m join entities e on e.id = m.entity_id")
    named = products + companies + figured
    words = ["launch", "app", "users", "million", "price", "AI", "phone", "service"]
    return ([("search", {"q": q}) for q in words + products + companies]
            + [("latest_launches", {"modality": m}) for m in ("", "launched", "announced", "planned", "rumored")]
            + [("launches_by_company", {"company": c}) for c in companies]
            + [("metric_history", {"name": n, "metric": ""}) for n in figured]
            + [("apps_above_users", {"min_users": "0"}), ("rumored_not_confirmed", {}),
               ("most_covered", {"days": "100000"}), ("first_to_report", {}),
               ("disagreeing_figures", {"since": "2000-01"})]
            + [(q, {"name": n}) for q in ("mentioned_with", "articles_mentioning") for n in named]
            + [("launch_facts_of", {"product": p}) for p in products])


def _reader_pages(db: sqlite_utils.Database, name: str) -> list[str]:
    """The reader pages (#16): home, sources, every launch page, the page of every entity a
    story or figure is about, and searches for words and every named product and company."""
    entities = db.execute("select product_id from launches union select company_id from launches "
                          "union select entity_id from metrics").fetchall()
    words = [q for query, params in _query_params(db) if query == "search" for q in params.values()]
    return (["/", "/-/sources"]
            + [f"/-/launch/{launch_id}" for (launch_id,) in db.execute("select id from launches")]
            + [f"/{name}/entities/{entity}" for (entity,) in entities if entity is not None]
            + [f"/-/search?{urlencode({'q': word})}" for word in words])


async def _pages_and_feeds(datasette, db: sqlite_utils.Database, name: str) -> list[str]:
    found = []
    for path in _reader_pages(db, name):
        response = await datasette.client.get(path)
        assert response.status_code == 200, path
        found.append(html.unescape(TAGS.sub(" ", response.text)))
    for _, by, _, slug in await feed_list(datasette.get_database()):
        for kind in ("atom", "rss"):
            body = (await datasette.client.get("/-/feeds/" + feed_path(by, slug, kind))).content
            for text in ElementTree.fromstring(body).itertext():
                found.append(html.unescape(TAGS.sub(" ", html.unescape(text))))
    return found


async def public_text(db_path: Path) -> str:
    """Everything a public site over `db_path` serves, white space normalised."""
    datasette = make_datasette(db_path)
    db = sqlite_utils.Database(db_path)
    found = await _tables(datasette, db_path.stem)
    for query, params in _query_params(db):
        found += list(strings(await _json(datasette, f"/{db_path.stem}/{query}.json",
                                          {**params, "_shape": "array"})))
    found += await _pages_and_feeds(datasette, db, db_path.stem)
    return "\n".join(" ".join(text.split()) for text in found)


async def test_a_public_site_quotes_little_of_any_article(crawled_db: Path) -> None:
    served = await public_text(crawled_db)
    shares = {}
    for row in sqlite_utils.Database(crawled_db).query("select id, text from articles"):
        found = sentences(row["text"] or "")
        if found:
            shares[row["id"]] = sum(s in served for s in found) / len(found)
    median, worst = statistics.median(shares.values()), max(shares.values())
    print(f"quoted share of an article: median {median:.0%}, max {worst:.0%} "
          f"over {len(shares)} articles")
    assert len(shares) >= 40
    assert median <= 0.30, f"median article {median:.0%} quoted"
    assert worst <= 0.50, {k: f"{v:.0%}" for k, v in shares.items() if v > 0.5}


def test_the_sentence_splitter() -> None:
    text = ('Kivo launched its app on Monday. It has 2 million users! "Is it good?" asked one '
            "analyst. Shares rose 3.5% to $12.\nA new paragraph starts here without a stop")
    assert sentences(text) == ["Kivo launched its app on Monday.", "It has 2 million users!",
                               '"Is it good?" asked one analyst.', "Shares rose 3.5% to $12.",
                               "A new paragraph starts here without a stop"]
