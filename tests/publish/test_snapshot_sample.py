"""A snapshot of the sample site as `launchwire run` leaves it (#18): none of the publishers'
text beyond what the public site quotes, and the same public pages as the live database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import connect
from db.snapshot import write_snapshot
from publish.site import make_datasette
from tests.publish.answers import answers, found

pytestmark = pytest.mark.slow

PIECE = 40  # characters of an article's text looked for in the snapshot's bytes
# Everything a public site may show of an article's words.
PUBLIC_TEXT = """
    select title || ' ' || coalesce(summary, '') from articles_public
    union all select coalesce(headline, '') || ' ' || coalesce(summary, '') from launches
    union all select coalesce(text, '') || ' ' || coalesce(sentence, '') from metrics_public
    union all select coalesce(sentence, '') from facts_public
    union all select text from mentions_public"""


@pytest.fixture(scope="module")
def sample_snapshot(crawled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snapshot") / crawled_db.name
    write_snapshot(connect(crawled_db, create=False), path)
    return path


def _private_pieces(database: Path) -> list[str]:
    """Pieces of the articles' texts that appear in nothing a public site shows."""
    conn = sqlite3.connect(database)
    public = "\n".join(row[0] for row in conn.execute(PUBLIC_TEXT))
    texts = [row[0] for row in conn.execute("select text from articles")]
    conn.close()
    pieces = [text[start:start + PIECE] for text in texts
              for start in range(0, max(1, len(text) - PIECE), 400)]
    return [piece for piece in pieces if piece.isascii() and piece not in public]


def test_no_private_text_of_the_sample_is_in_its_snapshot(crawled_db: Path,
                                                        sample_snapshot: Path) -> None:
    pieces = [piece.encode() for piece in _private_pieces(crawled_db)]
    live, snapshot = crawled_db.read_bytes(), sample_snapshot.read_bytes()
    # Most are found in the live file (a piece across two pages is not): the check bites.
    assert sum(piece in live for piece in pieces) > 0.8 * len(pieces) > 100
    assert [piece for piece in pieces if piece in snapshot] == []


async def test_the_sample_snapshot_serves_the_live_sites_pages(crawled_db: Path,
                                                              sample_snapshot: Path) -> None:
    conn = sqlite3.connect(crawled_db)
    launch, entity = conn.execute("select id, company_id from launches "
                                  "order by coverage desc, id limit 1").fetchone()
    conn.close()
    name = crawled_db.stem
    pages = ["/", f"/{name}/launches", f"/{name}/articles_public?_sort=id",
             f"/{name}/metrics_public?_sort=id", f"/{name}/facts_public?_sort=id",
             f"/-/launch/{launch}", f"/{name}/entities/{entity}", "/-/feeds/launches.atom",
             "/-/feeds.opml", f"/{name}/latest_launches", f"/{name}/most_covered",
             "/-/sources"]
    # A snapshot's search reads titles and summaries only: it finds fewer articles.
    searches = [f"/{name}/articles_public.json?_search=launch&_shape=array&_sort=id",
                f"/{name}/search.json?q=launch&_shape=array", "/-/search.json?q=launch"]
    live = await answers(make_datasette(crawled_db), pages + searches)
    on_snapshot = await answers(make_datasette(sample_snapshot, immutable=True), pages + searches)
    assert all(status == 200 for status, _ in on_snapshot.values()), on_snapshot
    assert {page: on_snapshot[page] for page in pages} == {page: live[page] for page in pages}
    for page in searches:
        assert found(on_snapshot[page]) and set(found(on_snapshot[page])) <= set(found(live[page]))
