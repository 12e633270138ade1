"""The reader pages (#16): home, ranked search, entity pages, the sources, folded columns."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
import yaml

from publish import reads
from publish.pages import PER_PAGE
from publish.search import marked
from publish.site import METADATA, make_datasette
from tests.publish.stories import SOURCE, add_story, story_db

HOSTILE = "Kivo launches <script>alert('x')</script> an AI companion"
# A word only the article's text holds, never its title or summary.
TEXT_ONLY = "Kivo launched Kivo App today; the zephyrine tier costs nothing."
TOPICS = ["payments", "weather", "chess", "recipes", "cycling", "gardening", "podcasts", "maps",
          "music", "travel", "fitness", "banking", "photos", "email", "calendar", "notes", "tax",
          "dating", "news", "games", "knitting", "birding"]


@pytest.fixture
def stories(tmp_path: Path) -> Path:
    path = story_db(tmp_path / "site.db", HOSTILE, "Kivo", text=TEXT_ONLY)
    add_story(path, "Brightloop launches Tandem Notes for teams", "Brightloop",
              url="https://news.example/b", published="2026-03-07",
              text="Brightloop launched Brightloop App for note-taking teams today.")
    return path


async def _get(path: Path, url: str, private: bool = False):
    response = await make_datasette(path, private=private).client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    return response


async def test_home_shows_what_is_new_not_the_tables(stories: Path) -> None:
    page = (await _get(stories, "/")).text
    assert "Latest launches" in page and "Launches per week" in page
    assert "Brightloop launches Tandem Notes for teams" in page
    assert 'class="badge badge-launched"' in page and f"in {SOURCE.replace('&', '&amp;')}" in page
    assert 'action="/-/search"' in page and "Most covered this week" in page
    assert "&lt;script&gt;" in page and "<script>alert(" not in page
    assert ">Brightloop</a>" in page  # the company links to its page
    for internal in ("fetches", "entries", "pages", "feed_health", "_sqlite_migrations"):
        assert f'/{stories.stem}/{internal}"' not in page


async def test_home_lists_figures_that_disagree(stories: Path) -> None:
    db = sqlite_utils.Database(stories)
    db["articles"].update(2, {"source": "Other Outlet"})
    kivo = next(db.query("select id from entities where name = 'Kivo'"))["id"]
    for article, value in ((1, 2_000_000), (2, 3_000_000)):
        db["metrics"].insert({"article_id": article, "entity_id": kivo, "metric": "users",
                              "value": value, "unit": "users", "modality": "reported",
                              "as_of": "2026-03-08", "text": f"{value:,} users"})
    page = (await _get(stories, "/")).text
    section = page.split('id="disagree-heading"', 1)[1].split("</section>", 1)[0]
    assert ">Kivo</a>" in section and "2,000,000" in section and "3,000,000" in section


async def test_home_on_a_private_site_does_not_list_the_tables_first(stories: Path) -> None:
    page = (await _get(stories, "/", private=True)).text
    assert "Latest launches" in page
    assert f'href="/{stories.stem}/fetches"' not in page


async def test_search_ranks_highlights_and_escapes(stories: Path) -> None:
    page = (await _get(stories, "/-/search?q=launches")).text
    assert "<mark>launches</mark>" in page
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert ">story<" in page and ">article<" in page and "2026-03-07" in page
    assert 'href="/-/launch/' in page and 'href="https://news.example/b"' in page
    assert 'href="/-/search.json?q=launches"' in page
    assert "select " not in page.lower()  # a reader's page, not a SQL form


async def test_search_snippets_come_from_summaries_never_article_text(stories: Path) -> None:
    found = (await _get(stories, "/-/search.json?q=zephyrine")).json()
    assert found["results"], "the article is found by a word of its text"
    articles = [result for result in found["results"] if result["kind"] == "article"]
    assert articles and all("zephyrine" not in str(result) for result in articles)


async def test_search_json_and_paging(tmp_path: Path) -> None:
    path = tmp_path / "many.db"
    # A story and an article each: two pages and a bit (22 topics, 44 results). A month apart, as one outlet's
    # launches within a month were joined into one story.
    for number, topic in enumerate(TOPICS):
        name = f"{topic.title()}ly"
        add_story(path, f"{name} launches a {topic} app", name, url=f"https://news.example/{number}",
                  published=f"{2020 + number // 12}-{1 + number % 12:02d}-01",
                  text=f"{name} launched {name} App for {topic} fans today.")
    first = (await _get(path, "/-/search.json?q=launches")).json()
    assert len(first["results"]) == PER_PAGE and first["next"] == "/-/search.json?q=launches&page=2"
    assert {"kind", "title_html", "snippet_html", "source", "date", "url"} <= set(first["results"][0])
    page = (await _get(path, "/-/search?q=launches&page=2")).text
    assert 'rel="prev"' in page and 'rel="next"' in page
    last = (await _get(path, "/-/search.json?q=launches&page=3")).json()
    assert last["next"] is None and last["results"]


@pytest.mark.parametrize("query", ["", "   ", '"', "page=abc", "q=x&page=-1", "q=x&page=99999"])
async def test_odd_searches_are_answered(stories: Path, query: str) -> None:
    await _get(stories, f"/-/search?{query}")


@pytest.mark.parametrize("query", ["q=" + "x" * 201, "q=" + "+".join(["word"] * 11)])
async def test_unbounded_searches_are_refused_before_any_sql(stories: Path, query: str) -> None:
    response = await make_datasette(stories).client.get(f"/-/search?{query}")
    assert response.status_code == 400


async def test_hostile_names_are_text_on_every_reader_page(tmp_path: Path) -> None:
    name = '"><img src=x onerror=alert(1)>'
    path = story_db(tmp_path / "hostile.db", f"{name} launches a chess app", name,
                    text=f"{name} launched {name} App for chess fans today.")
    company = next(sqlite_utils.Database(path).query(
        "select id from entities where label = 'COMPANY'"))["id"]
    for url in ("/", "/-/search?q=chess", "/-/search.json?q=chess",
                f"/{path.stem}/entities/{company}"):
        page = (await _get(path, url)).text
        assert "<img src=x" not in page and "&lt;img src=x" in page, url


def test_marked_escapes_text_and_marks_only_paired_markers() -> None:
    text = "a \ue000<b>x</b>\ue001 and \ue001stray\ue000 <i>"
    assert str(marked(text, "\ue000", "\ue001")) == (
        "a <mark>&lt;b&gt;x&lt;/b&gt;</mark> and stray &lt;i&gt;")


async def test_company_page_lists_its_launches_products_and_figures(stories: Path) -> None:
    db = sqlite_utils.Database(stories)
    company, app = (next(db.query("select id from entities where name = ?", [name]))["id"]
                    for name in ("Brightloop", "Brightloop App"))
    page = (await _get(stories, f"/{stories.stem}/entities/{company}")).text
    assert "Launches" in page and "Brightloop launches Tandem Notes for teams" in page
    assert "Apps and products" in page and f'/{stories.stem}/entities/{app}"' in page
    assert "Figures over time" in page and 'class="badge badge-launched"' in page
    app_page = (await _get(stories, f"/{stories.stem}/entities/{app}")).text
    assert "Made by" in app_page and f'/{stories.stem}/entities/{company}"' in app_page
    assert "Launch story" in app_page


async def test_sources_page_shows_feed_health(stories: Path) -> None:
    sqlite_utils.Database(stories)["feeds"].insert(
        {"url": "https://news.example/feed.xml", "source": SOURCE, "kind": "feed", "items": 7,
         "consecutive_failures": 2, "newest_item_at": "2026-01-07T00:00:00+00:00"},
        alter=True)
    page = (await _get(stories, "/-/sources")).text
    assert "About the sources" in page and "https://news.example/feed.xml" in page
    assert "failing" in page and "Example &amp; Co" in page


async def test_table_pages_fold_their_column_descriptions(stories: Path) -> None:
    page = (await _get(stories, f"/{stories.stem}/launches")).text
    folded = page.split('<details class="launchwire-columns">', 1)[1].split("</details>", 1)[0]
    assert "The company behind it" in folded
    assert "?_facet=" in page or "facet" in page  # Datasette's own tools stay
    assert (await _get(stories, f"/{stories.stem}/launches.csv")).text.startswith("id,")


async def test_table_rows_keep_datasette_markup_sort_links_and_escaping(stories: Path) -> None:
    """The rows render in one synchronous call (publish/rows_table.py, #17): the same
    headers, sort links, cell classes and escaping as Datasette's own rows."""
    url = f"/{stories.stem}/launches?modality=launched&_next=1&_sort=coverage"
    page = (await _get(stories, url)).text
    table = page.split('<table class="rows-and-columns">', 1)[1].split("</table>", 1)[0]
    headers = table.split("</thead>", 1)[0]
    columns = sqlite_utils.Database(stories)["launches"].columns_dict
    assert headers.count("<th ") == len(columns)
    assert 'data-column="coverage"' in headers and 'data-column-type="integer"' in headers
    assert 'data-is-pk="1"' in headers and 'scope="col"' in headers
    # The sorted column flips to descending; any other sorts by itself; both drop _next.
    assert (f'href="/{stories.stem}/launches?modality=launched&amp;_sort_desc=coverage" '
            'rel="nofollow">coverage&nbsp;▼</a>') in headers
    assert f'href="/{stories.stem}/launches?modality=launched&amp;_sort=modality"' in headers
    assert '<td class="col-modality type-str">launched</td>' in table
    assert "&lt;script&gt;" in table and "<script>" not in table
    assert '<a href="/-/launch/' in table  # the headline still links to its launch page
    assert '<p class="zero-results">0 records</p>' in (
        await _get(stories, f"/{stories.stem}/launches?modality=none")).text


async def test_row_page_renders_its_row(stories: Path) -> None:
    page = (await _get(stories, f"/{stories.stem}/entities/1", private=True)).text
    row = page.split('<table class="rows-and-columns">', 1)[1].split("</table>", 1)[0]
    assert 'data-column="name"' in row and "<a href" not in row.split("</thead>")[0]


async def test_a_common_word_is_ranked_among_its_newest_matches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "common.db"
    for number, topic in enumerate(TOPICS[:8]):
        name = f"{topic.title()}ly"
        add_story(path, f"{name} launches a {topic} app", name,
                  url=f"https://news.example/{number}",
                  published=f"{2020 + number // 12}-{1 + number % 12:02d}-01",
                  text=f"{name} launched {name} App for {topic} fans today.")
    monkeypatch.setattr(reads, "RANKED_MATCHES", 3)
    found = (await _get(path, "/-/search.json?q=launches")).json()["results"]
    db = sqlite_utils.Database(path)
    newest = {kind: {row[0] for row in db.execute(
        f"select rowid from {index} where {index} match 'launches' order by rowid desc limit 3")}
        for kind, index in (("story", "launches_fts"), ("article", "articles_fts"))}
    assert sorted((result["kind"], result["id"]) for result in found) == sorted(
        (kind, rowid) for kind, rowids in newest.items() for rowid in rowids)


def test_the_canned_search_bounds_its_ranking_as_the_search_page_does() -> None:
    canned = yaml.safe_load(METADATA.read_text())["databases"]["launchwire"]["queries"]["search"]
    assert canned["sql"].count(f"offset {reads.RANKED_MATCHES - 1}") == 2
