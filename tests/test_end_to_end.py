"""The whole job over real HTTP: sample site -> `launchwire run` -> SQLite -> Datasette."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlite_utils

from launchwire.sample_site import SampleServer, load_gold
from nlp.scoring import pairwise
from tests.conftest import free_port, run_launchwire

pytestmark = pytest.mark.slow


def test_run_stores_every_sample_article(crawled_db: Path, sample_server: SampleServer) -> None:
    db = sqlite_utils.Database(crawled_db)
    urls = {row["url"] for row in db.query("select url from articles")}
    expected = sample_server.site.url_to_key()
    assert urls == set(expected)
    gold = load_gold()
    assert {expected[url] for url in urls} == set(gold["articles"])


def test_every_article_has_title_date_author_and_clean_text(crawled_db: Path) -> None:
    db = sqlite_utils.Database(crawled_db)
    for row in db.query("select * from articles"):
        assert row["title"] and row["author"] and row["published"][:2] == "20"
        assert len(row["text"].split()) > 150, row["url"]
        # Boilerplate of the four outlet templates never reaches the text.
        for boilerplate in ("cookies", "Advertisement", "Sponsored", "Reader comments",
                            "Netizen comments", "Subscribe", "Trending on", "ADVERTISEMENT"):
            assert boilerplate not in row["text"], (boilerplate, row["url"])
        assert not row["text"].startswith(row["title"])


def test_reader_comments_are_dropped(crawled_db: Path) -> None:
    db = sqlite_utils.Database(crawled_db)
    text = next(db.query("select text from articles where url like '%brightloop-tandem%'"))["text"]
    assert "Please don't kill the Tandem offline mode" not in text


def test_gbk_page_declared_only_in_meta_is_decoded(crawled_db: Path) -> None:
    db = sqlite_utils.Database(crawled_db)
    row = next(db.query("select title, text from articles where url like '%tencent-q2-earnings%'"))
    assert "腾讯" in row["text"] and "微信" in row["text"]
    assert row["title"].startswith("Tencent revenue rises 11%")


def test_script_in_a_title_is_stored_as_text(crawled_db: Path) -> None:
    db = sqlite_utils.Database(crawled_db)
    title = next(db.query("select title from articles where url like '%brightloop%'"))["title"]
    assert "<script>alert('x')</script>" in title


def test_crawl_log_and_feed_state(crawled_db: Path) -> None:
    db = sqlite_utils.Database(crawled_db)
    assert db.table("sources").count == 4
    feeds = list(db.query("select * from feeds where kind = 'feed'"))
    assert len(feeds) == 4 and all(feed["etag"] and feed["status"] == 200 for feed in feeds)
    assert all(feed["next_check_at"] > feed["checked_at"] for feed in feeds)
    sitemap = next(db.query("select * from feeds where kind = 'sitemap'"))
    # Every sample story is older than the sitemap cutoff: read, but nothing new from it.
    assert sitemap["status"] == 200 and sitemap["items"] == 0
    statuses = [row["status"] for row in db.query("select status from fetches")]
    assert statuses.count(200) == 47  # 42 articles, 4 feeds, 1 sitemap
    assert db.table("pages").count == 42
    assert {row["state"] for row in db.query("select state from entries")} == {"done"}


def test_process_and_cluster_filled_the_tables(crawled_db: Path) -> None:
    db = sqlite_utils.Database(crawled_db)
    assert db.execute("select count(*) from articles where processed_by is null").fetchone()[0] == 0
    assert db.execute("select count(*) from articles where summary != ''").fetchone()[0] == 42
    names = {row["name"] for row in db.query("select name from entities")}
    assert {"Meta", "Apple", "OpenAI", "Tencent"} <= names
    products = {row["name"] for row in db.query(
        "select e.name from launches l join entities e on e.id = l.product_id")}
    assert {"Threads", "ChatGPT", "Kaimo"} <= products
    mention = next(db.query("select m.*, a.text from mentions m join articles a on a.id = m.article_id"))
    assert mention["sentence"] and mention["text"] in mention["sentence"]
    assert mention["text"] == next(db.query(
        "select substr(text, ? + 1, ?) t from articles where id = ?",
        [mention["start"], mention["end"] - mention["start"], mention["article_id"]]))["t"]


def test_stories_match_the_sample_sites_gold(crawled_db: Path, sample_server: SampleServer) -> None:
    db = sqlite_utils.Database(crawled_db)
    key_of = sample_server.site.url_to_key()
    found = {key_of[row["url"]]: row["story_key"] for row in db.query("""
        select a.url, l.story_key from articles a left join launch_articles la
        on la.article_id = a.id left join launches l on l.id = la.launch_id""")}
    gold = {key: entry["launch"] for key, entry in load_gold()["articles"].items()}
    score = pairwise(gold, found)
    # Measured when set (issue #6): P 0.91, R 0.91, F1 0.91 over 22 gold pairs.
    assert score.precision >= 0.85 and score.f1 >= 0.85, score.as_dict()
    story = next(db.query("""select l.* from launches l join entities e on e.id = l.product_id
                             where e.name = 'Temu'"""))
    assert story["coverage"] == 3 and story["launched_on"] == "2022-09-01"
    assert len(json.loads(story["outlets"])) == 3
    sources = json.loads(story["summary_sources"])
    # Each summary sentence names its article, and no sentence is said twice.
    assert sources and len({s["sentence"] for s in sources}) == len(sources)
    story_articles = {row["article_id"] for row in db.query(
        "select article_id from launch_articles where launch_id = ?", [story["id"]])}
    assert {s["article_id"] for s in sources} <= story_articles
    assert all(f"({s['source']})" in story["summary"] for s in sources)


def test_figures_are_stored_with_their_claimant_and_modality(crawled_db: Path) -> None:
    db = sqlite_utils.Database(crawled_db)
    rows = list(db.query("select m.*, e.name from metrics m join entities e on e.id = m.entity_id"))
    assert rows and all(row["modality"] in {"reported", "rumored", "hypothetical", "forecast"}
                        for row in rows)
    assert {row["claimant"] for row in rows} <= {"company", "analyst", "filing", "sources", "outlet"}
    funding = [row for row in rows if row["metric"] == "funding" and row["name"] == "Vantora"]
    assert funding and funding[0]["value"] == 18e6 and funding[0]["unit"] == "USD"


def test_second_run_adds_nothing(crawled_db: Path, sample_server: SampleServer, tmp_path: Path) -> None:
    copy = tmp_path / "again.db"
    shutil.copyfile(crawled_db, copy)  # `publish` folded the WAL into the file
    db = sqlite_utils.Database(copy)
    before = {table: db.table(table).count for table in ("articles", "mentions", "launches")}
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_server.site.sources_toml(), encoding="utf-8")
    fetches = db.table("fetches").count
    result = run_launchwire("run", "--db", str(copy), "--sources", str(sources),
                            LAUNCHWIRE_DOWNLOAD_DELAY="0")
    assert result.returncode == 0, result.stderr
    assert {table: db.table(table).count for table in before} == before
    # No feed is due yet: nothing fetched at all.
    assert db.table("fetches").count == fetches
    assert "0 new article(s)" in result.stderr
    forced = run_launchwire("crawl", "--force", "--db", str(copy), "--sources", str(sources),
                            LAUNCHWIRE_DOWNLOAD_DELAY="0")
    assert forced.returncode == 0, forced.stderr
    assert {row["status"] for row in db.query("select status from feeds where kind = 'feed'")} == {304}
    assert db.table("articles").count == before["articles"]


def test_loopback_source_without_allow_private_is_refused(sample_server: SampleServer,
                                                          tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_server.site.sources_toml().replace(
        "allow_private = true", "allow_private = false"), encoding="utf-8")
    database = tmp_path / "refused.db"
    result = run_launchwire("crawl", "--db", str(database), "--sources", str(sources))
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(database)
    assert db.table("articles").count == 0
    errors = [row["error"] for row in db.query("select error from fetches")]
    assert len(errors) == 5 and all("private or loopback address refused" in e for e in errors)  # 4 feeds, 1 sitemap


def test_demo_no_serve_builds_the_database_and_a_second_demo_adds_nothing(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    port = str(free_port())
    result = run_launchwire("demo", "--no-serve", "--db", str(database), LAUNCHWIRE_SAMPLE_PORT=port)
    assert result.returncode == 0, result.stderr
    assert sqlite_utils.Database(database).table("articles").count >= 40
    again = run_launchwire("demo", "--no-serve", "--db", str(database), LAUNCHWIRE_SAMPLE_PORT=port)
    assert again.returncode == 0, again.stderr
    assert sqlite_utils.Database(database).table("articles").count == 42


def test_serve_answers_search_over_real_http(crawled_db: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "launchwire", "serve", "--db", str(crawled_db),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}/{crawled_db.stem}"
        url = f"{base}/articles_public.json?_search=launch&_shape=array"
        rows = None
        deadline = time.monotonic() + 60
        while rows is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    rows = json.load(response)
            except OSError:
                time.sleep(0.3)
        if rows is None:
            server.terminate()
            pytest.fail("Datasette did not answer: " + server.communicate(timeout=20)[1].decode())
        assert any("launch" in row["title"].lower() for row in rows)
        with pytest.raises(urllib.error.HTTPError) as closed:
            urllib.request.urlopen(f"{base}/articles.json", timeout=5)
        assert closed.value.code == 403  # the public site never shows full text
    finally:
        server.terminate()
        server.wait(timeout=20)
