"""The launch page on the database the real crawl of the sample site built."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from publish.site import make_datasette

pytestmark = pytest.mark.slow


async def test_launch_page_shows_story_timeline_facts_and_coverage(crawled_db: Path) -> None:
    db = sqlite_utils.Database(crawled_db)
    story = next(db.query("select * from launches where story_key like 'threads-%'"))
    response = await make_datasette(crawled_db).client.get(f"/-/launch/{story['story_key']}")
    assert response.status_code == 200
    page = response.text
    assert story["headline"].replace("'", "&#39;") in page
    assert 'class="badge badge-launched"' in page and story["launched_on"] in page
    for article in db.query("select a.url from launch_articles la join articles a "
                            "on a.id = la.article_id where la.launch_id = ?", [story["id"]]):
        assert f'href="{article["url"]}"' in page  # every article of the coverage is linked
    assert f"/{crawled_db.stem}/entities/{story['product_id']}" in page
    assert (await make_datasette(crawled_db).client.get(f"/-/launch/{story['id']}")).status_code == 200


async def test_headlines_in_the_launches_table_link_to_launch_pages(crawled_db: Path) -> None:
    response = await make_datasette(crawled_db).client.get(f"/{crawled_db.stem}/launches")
    assert response.status_code == 200 and 'href="/-/launch/' in response.text


async def test_unknown_launch_is_a_404_and_a_hostile_key_is_escaped(crawled_db: Path) -> None:
    datasette = make_datasette(crawled_db)
    response = await datasette.client.get("/-/launch/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert response.status_code == 404
    assert "&lt;script&gt;alert(1)" in response.text and "<script>alert(1)" not in response.text


async def test_search_ranks_the_story_first(crawled_db: Path) -> None:
    response = await make_datasette(crawled_db).client.get(
        f"/{crawled_db.stem}/search.json", params={"q": "Threads", "_shape": "array"})
    rows = response.json()
    assert rows[0]["kind"] == "launch" and "Threads" in rows[0]["title"]
    assert {row["kind"] for row in rows} == {"launch", "article"}
    odd = await make_datasette(crawled_db).client.get(
        f"/{crawled_db.stem}/search.json", params={"q": 'AT&T "unclosed', "_shape": "array"})
    assert odd.status_code == 200
