"""Every feed the site serves or exports passes the W3C Feed Validator with no error and no
warning, and feed URLs hold slugs, old name URLs redirecting to them (#16).

The validator is not vendored: it sits in the shared folder beside the repository
(`../shared/tools`, MIT licence) and runs with this Python, which needs lxml, html5lib and
rdflib (the test extras).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from db import connect, store
from publish.export import export_feeds
from publish.feeds import feed_list, feed_path
from publish.site import make_datasette
from publish.slugs import feed_slugs
from tests.conftest import REPO
from tests.publish.stories import add_story

SITE = "https://launches.example.org"
VALIDATOR = REPO.parent / "shared" / "tools" / "validate-feed"


@pytest.fixture(scope="module")
def validator() -> Path:
    if not VALIDATOR.is_file():
        pytest.fail(f"the W3C Feed Validator's wrapper is missing: expected {VALIDATOR} "
                    "(../shared/tools beside the repository); these tests need it", pytrace=False)
    return VALIDATOR


def invalid_feeds(validator: Path, files: list[Path]) -> dict[str, list[str]]:
    """Each file the validator finds an error or warning in, with its messages."""
    result = subprocess.run([sys.executable, str(validator), *map(str, files)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr  # 2 or a traceback: it did not run
    problems: dict[str, list[str]] = {}
    current = None
    for line in result.stdout.splitlines():
        if line.startswith("    ") and current is not None:
            problems.setdefault(current, []).append(line.strip())
        elif line.endswith("problem(s)"):
            current = line.split(": ", 1)[0]
    judged = sum(1 for line in result.stdout.splitlines() if not line.startswith("    "))
    assert judged == len(files), result.stdout
    return problems


def test_the_validator_does_find_problems(validator: Path, tmp_path: Path) -> None:
    """So that a validator that passes everything cannot pass the tests below."""
    feed = tmp_path / "bad.atom"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<id>tag:example.org,2026:f</id><title>t</title><updated>1970-01-01T00:00:00Z</updated>"
        '<link rel="self" href="https://example.org/bad.atom"/><entry><id>tag:example.org,2026:e'
        "</id><title>a &lt;b&gt;bold&lt;/b&gt; one</title>"
        "<updated>2026-01-01T00:00:00Z</updated></entry>"
        "</feed>\n", encoding="utf-8")
    messages = " ".join(invalid_feeds(validator, [feed])[str(feed)])
    assert "author" in messages and "Implausible date" in messages and "HTML" in messages


def _names_db(folder: Path) -> Path:
    """Stories whose names have spaces or no Latin letter, and two outlets with one slug."""
    path = folder / "names.db"
    names = ["Hangzhou Yunqiao Technology", "Nova Labs", "腾讯"]
    for month, (name, topic) in enumerate(zip(names, ["chess", "cycling", "maps"]), start=1):
        add_story(path, f"{name} launches a <b>new</b> app", name,
                  url=f"https://news.example/{month}", published=f"2026-{month:02d}-01",
                  text=f"{name} launched {name} App for {topic} fans today.")
    db = connect(path)
    store.upsert_source(db, {"name": "Example Co", "homepage": "https://co.example/"})
    store.insert_article(db, {"url": "https://co.example/a", "source": "Example Co",
                              "title": "Example Co's own news", "text": "Nothing launched.",
                              "published": "2026-02-02T09:00:00+00:00",
                              "fetched_at": "2026-02-02T10:00:00+00:00"})
    return path


@pytest.mark.slow
def test_every_exported_feed_is_valid(crawled_db: Path, tmp_path: Path,
                                      validator: Path) -> None:
    written = export_feeds(crawled_db, tmp_path, SITE)
    files = sorted(tmp_path.joinpath("feeds").rglob("*.atom")) + sorted(
        tmp_path.joinpath("feeds").rglob("*.rss"))
    assert len(files) == written - 1 and len(files) >= 40  # less the OPML file
    problems = invalid_feeds(validator, files)
    print(f"\nW3C Feed Validator: {len(files) - len(problems)} of {len(files)} exported valid")
    assert not problems, problems


async def _served(datasette, folder: Path) -> list[Path]:
    """Every feed the site lists, Atom and RSS, fetched at its slug URL and saved."""
    files = []
    for _, by, _, slug in await feed_list(datasette.get_database()):
        for kind in ("atom", "rss"):
            path = feed_path(by, slug, kind)
            response = await datasette.client.get("/-/feeds/" + path)
            assert response.status_code == 200, path
            files.append(folder / path)
            files[-1].parent.mkdir(parents=True, exist_ok=True)
            files[-1].write_bytes(response.content)
    return files


@pytest.mark.slow
async def test_every_served_feed_is_valid(crawled_db: Path, tmp_path: Path,
                                          validator: Path) -> None:
    files = await _served(make_datasette(crawled_db, base_url=SITE), tmp_path)
    problems = invalid_feeds(validator, files)
    print(f"\nW3C Feed Validator: {len(files) - len(problems)} of {len(files)} served valid")
    assert not problems, problems


def test_hostile_names_give_valid_feeds_under_slugs(tmp_path: Path, validator: Path) -> None:
    path = _names_db(tmp_path)
    export_feeds(path, tmp_path / "out", SITE)
    files = asyncio.run(_served(make_datasette(path, base_url=SITE), tmp_path / "served"))
    exported = sorted(p for p in (tmp_path / "out" / "feeds").rglob("*") if p.is_file())
    # The site and the export name every feed alike.
    assert ([p.relative_to(tmp_path / "out" / "feeds") for p in exported]
            == sorted(p.relative_to(tmp_path / "served") for p in files))
    assert not invalid_feeds(validator, files + exported)


SLUGGED = [("company", "Hangzhou%20Yunqiao%20Technology", "hangzhou-yunqiao-technology"),
           ("company", "hangzhou%20yunqiao%20TECHNOLOGY", "hangzhou-yunqiao-technology"),
           ("company", "Nova%20Labs", "nova-labs"),
           ("product", "Nova%20Labs%20App", "nova-labs-app"),
           ("source", "Example%20%26%20Co", "example-co"),
           ("company", "%E8%85%BE%E8%AE%AF", feed_slugs(["腾讯"])["腾讯"]),  # its digest alone
           ("label", "APP", "app"), ("modality", "Launched", "launched")]


@pytest.mark.parametrize("kind", ["atom", "rss"])
@pytest.mark.parametrize("by,old,slug", SLUGGED)
async def test_slug_urls_answer_and_old_name_urls_redirect_to_them(
        tmp_path: Path, by: str, old: str, slug: str, kind: str) -> None:
    datasette = make_datasette(_names_db(tmp_path), base_url=SITE)
    new = f"/-/feeds/{by}/{slug}.{kind}"
    response = await datasette.client.get(new)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.entries and not parsed.bozo
    if kind == "atom":
        assert [link.href for link in parsed.feed.links if link.rel == "self"] == [SITE + new]
    moved = await datasette.client.get(f"/-/feeds/{by}/{old}.{kind}?q=app")
    assert moved.status_code == 301 and moved.headers["location"] == f"{new}?q=app"


async def test_a_clash_or_a_name_without_latin_letters_still_gets_its_own_feed(
        tmp_path: Path) -> None:
    datasette = make_datasette(_names_db(tmp_path))
    slugs = {(by, name): slug for _, by, name, slug in await feed_list(datasette.get_database())}
    assert slugs["source", "Example & Co"] == "example-co"
    assert slugs["source", "Example Co"].startswith("example-co-")
    assert len(slugs["company", "腾讯"]) == 10
    for by, name, title in (("source", "Example Co", "Example Co's own news"),
                            ("company", "腾讯", "腾讯 launches a new app")):
        feed = feedparser.parse((await datasette.client.get(
            f"/-/feeds/{by}/{slugs[by, name]}.atom")).content)
        assert [entry.title for entry in feed.entries] == [title]
    for missing in ("company/nova-labs-0123456789", "company/no-such-company", "source/x"):
        assert (await datasette.client.get(f"/-/feeds/{missing}.atom")).status_code == 404


def test_an_article_dated_in_the_future_or_unreadably_is_dated_when_fetched(
        tmp_path: Path, validator: Path) -> None:
    path = _names_db(tmp_path)
    db = connect(path)
    for number, published in enumerate(["2999-01-01T00:00:00+00:00", "last Tuesday"]):
        store.insert_article(db, {"url": f"https://co.example/odd-{number}", "source": "Example Co",
                                  "title": f"Odd date {number}", "text": f"Odd text {number}.",
                                  "published": published,
                                  "fetched_at": f"2026-03-03T10:0{number}:00+00:00"})
    export_feeds(path, tmp_path / "out", SITE)
    slug = feed_slugs(["Example & Co", "Example Co"])["Example Co"]
    files = [tmp_path / "out" / "feeds" / "source" / f"{slug}.{kind}" for kind in ("atom", "rss")]
    entries = feedparser.parse(files[0].read_bytes()).entries
    assert {entry.title: entry.updated for entry in entries if "Odd" in entry.title} == {
        "Odd date 0": "2026-03-03T10:00:00+00:00", "Odd date 1": "2026-03-03T10:01:00+00:00"}
    assert not invalid_feeds(validator, files)
