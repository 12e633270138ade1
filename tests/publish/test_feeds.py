"""Atom and RSS feeds: parse cleanly, keep their ids, answer conditional GETs (issue #8)."""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import atoma
import feedparser
import pytest
import sqlite_utils

from publish import reads
from publish.export import export_feeds
from publish.feeds import plain
from publish.search import fts_query
from publish.site import make_datasette
from publish.slugs import feed_slugs
from tests.publish.served import served
from tests.publish.stories import add_story, story_db

FEEDS = ["/-/feeds/launches.{f}", "/-/feeds/company/meta.{f}", "/-/feeds/product/threads.{f}",
         "/-/feeds/label/app.{f}", "/-/feeds/modality/launched.{f}", "/-/feeds/launches.{f}?q=threads",
         "/-/feeds/source/techpulse.{f}"]
SITE = "https://launches.example.org"
TOPICS = ["payments", "weather", "chess", "recipes", "cycling", "gardening", "podcasts", "maps"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["atom", "rss"])
async def test_every_feed_parses_without_a_bozo_flag(crawled_db: Path, kind: str) -> None:
    datasette = make_datasette(crawled_db)
    for path in FEEDS:
        response = await datasette.client.get(path.format(f=kind))
        assert response.status_code == 200, path
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        assert all(entry.get("id") and entry.get("title") and entry.get("link") for entry in parsed.entries)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["atom", "rss"])
async def test_every_feed_passes_strict_validation(crawled_db: Path, kind: str) -> None:
    """atoma rejects a feed missing an element its specification requires, or a date that is
    not RFC 3339 (Atom) or RFC 822 (RSS)."""
    datasette = make_datasette(crawled_db)
    parse = atoma.parse_atom_bytes if kind == "atom" else atoma.parse_rss_bytes
    for path in FEEDS:
        body = (await datasette.client.get(path.format(f=kind))).content
        feed = parse(body)
        items = feed.entries if kind == "atom" else feed.items
        assert items, path
        if kind == "atom":
            assert all(e.id_ and e.updated and e.title.value for e in items)
            hrefs = [link.href for e in items for link in e.links] + [link.href for link in feed.links]
        else:
            assert all(i.guid and i.pub_date and i.title for i in items)
            hrefs = [i.link for i in items] + [feed.link]
        assert hrefs and all(href.startswith(("http://", "https://")) for href in hrefs), path


@pytest.mark.slow
async def test_a_launch_keeps_its_entry_id_and_links_its_page_and_articles(crawled_db: Path) -> None:
    response = await make_datasette(crawled_db).client.get("/-/feeds/product/threads.atom")
    entry = feedparser.parse(response.content).entries[0]
    assert entry.id.endswith(":launch:threads-2023-07")
    assert entry.link.endswith("/-/launch/" + str(next(sqlite_utils.Database(crawled_db).query(
        "select id from launches where story_key = 'threads-2023-07'"))["id"]))
    assert "techpulse" in entry.content[0].value and "Stage: launched" in entry.summary
    assert {tag.term for tag in entry.tags} == {"Meta", "Threads"}


@pytest.mark.parametrize("kind", ["atom", "rss"])
async def test_hostile_names_and_titles_still_give_valid_xml(tmp_path: Path, kind: str) -> None:
    title = "AT&T <b>launches</b> 🚀 \x07bell \u202eשלום\u202c “quotes”"
    path = story_db(tmp_path / "hostile.db", title, "R&D <Labs> \x01")
    response = await make_datasette(path).client.get(f"/-/feeds/launches.{kind}")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    # A strict XML parser reads the title back as plain text: less the control character XML
    # forbids, and less the markup, which readers would show as text (#16).
    tree = ElementTree.fromstring(response.content)
    titles = [el.text for el in tree.iter() if el.tag.endswith("title") and el.text and "AT&T" in el.text]
    assert titles == ["AT&T launches 🚀 bell \u202eשלום\u202c “quotes”"]


@pytest.mark.slow
def test_conditional_get_over_real_http(crawled_db: Path) -> None:
    with served(crawled_db) as site:
        url = f"{site.base}/-/feeds/launches.atom"
        first = urllib.request.urlopen(url, timeout=5)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert etag and modified and first.headers["Content-Type"].startswith("application/atom+xml")
        for header, value in (("If-None-Match", etag), ("If-Modified-Since", modified)):
            with pytest.raises(urllib.error.HTTPError) as again:
                urllib.request.urlopen(urllib.request.Request(url, headers={header: value}), timeout=5)
            assert again.value.code == 304
        stale = urllib.request.urlopen(urllib.request.Request(
            url, headers={"If-None-Match": '"something-else"'}), timeout=5)
        assert stale.status == 200 and stale.read()


@pytest.mark.slow
async def test_opml_lists_feeds_that_exist_and_pages_advertise_them(crawled_db: Path) -> None:
    datasette = make_datasette(crawled_db, base_url=SITE)
    response = await datasette.client.get("/-/feeds.opml")
    urls = [el.get("xmlUrl") for el in ElementTree.fromstring(response.content).iter("outline")]
    assert len(urls) >= 20 and f"{SITE}/-/feeds/launches.atom" in urls
    assert any("/-/feeds/company/meta.atom" in url for url in urls)
    for url in urls:
        feed = await datasette.client.get(url.removeprefix(SITE))
        assert feed.status_code == 200 and not feedparser.parse(feed.content).bozo, url
    for page in ("/", f"/{crawled_db.stem}/launches", "/-/launch/1"):
        text = (await datasette.client.get(page)).text
        assert '<link rel="alternate" type="application/atom+xml"' in text, page
        assert 'href="/-/feeds/launches.rss"' in text, page


@pytest.mark.slow
def test_publish_out_writes_every_feed_as_files(crawled_db: Path, tmp_path: Path) -> None:
    from tests.conftest import run_launchwire

    out = tmp_path / "site"
    result = run_launchwire("publish", "--db", str(crawled_db), "--out", str(out),
                            "--base-url", "https://launches.example.org")
    assert result.returncode == 0, result.stderr
    atom = (out / "feeds" / "launches.atom").read_bytes()
    assert not feedparser.parse(atom).bozo and b"https://launches.example.org/-/launch/" in atom
    assert atoma.parse_rss_bytes((out / "feeds" / "company" / "meta.rss").read_bytes()).items
    opml = ElementTree.fromstring((out / "feeds.opml").read_bytes())
    assert all(el.get("xmlUrl").startswith("https://launches.example.org/feeds/")
               for el in opml.iter("outline"))


async def test_an_entry_keeps_its_id_while_coverage_grows_and_its_updated_time_moves(tmp_path: Path) -> None:
    path = story_db(tmp_path / "growing.db", "Kivo launches an AI companion", "Kivo")
    first = feedparser.parse((await make_datasette(path).client.get("/-/feeds/launches.atom")).content)
    add_story(path, "Kivo passes a million sign-ups", "Kivo", url="https://news.example/b",
              published="2026-01-07",
              text="Kivo launched Kivo App, which passed a million sign-ups in two days.")
    again = feedparser.parse((await make_datasette(path).client.get("/-/feeds/launches.atom")).content)
    assert [e.id for e in again.entries] == [e.id for e in first.entries]
    assert again.entries[0].updated > first.entries[0].updated
    assert "Covered by 2 article(s)" in again.entries[0].summary


HTML_IN_TEXT = "Ledgerly ships <b>bold</b> plans & AT&amp;T deals, 3 < 4"
AS_TEXT = "Ledgerly ships bold plans & AT&T deals, 3 < 4"


async def test_rss_descriptions_reach_the_reader_as_text(tmp_path: Path) -> None:
    """A reader renders an RSS description as HTML: a summary reaches it as text (#12), its
    markup dropped (#16) and what is left escaped, so no "<b>" shows as bold; Atom's summary
    is text."""
    path = story_db(tmp_path / "markup.db", HTML_IN_TEXT, "Ledgerly")
    datasette = make_datasette(path)
    for feed in ("/-/feeds/launches.rss", "/-/feeds/source/example-co.rss"):
        tree = ElementTree.fromstring((await datasette.client.get(feed)).content)
        description = next(el.text for el in tree.iter("description") if el.text and "Ledgerly" in el.text)
        assert AS_TEXT in html.unescape(description) and "<" not in description, feed
    tree = ElementTree.fromstring((await datasette.client.get("/-/feeds/launches.atom")).content)
    summary = next(el for el in tree.iter() if el.tag.endswith("summary"))
    assert AS_TEXT in summary.text and summary.get("type", "text") == "text"


async def test_links_come_from_the_configured_url_never_the_host_header(tmp_path: Path) -> None:
    path = story_db(tmp_path / "links.db", "Kivo launches an AI companion", "Kivo")
    datasette = make_datasette(path, base_url=SITE + "/")
    for page in ("/-/feeds/launches.atom", "/-/feeds/launches.rss", "/-/feeds/company/kivo.atom",
                 "/-/feeds/source/example-co.rss", "/-/feeds.opml", f"/{path.stem}/launches.json"):
        response = await datasette.client.get(page, headers={"Host": "evil.example"})
        assert response.status_code == 200 and "evil.example" not in response.text, page
        assert "localhost" not in response.text, page
    opml = ElementTree.fromstring((await datasette.client.get("/-/feeds.opml")).content)
    assert all(el.get("xmlUrl").startswith(f"{SITE}/-/feeds/") for el in opml.iter("outline"))


@pytest.mark.slow
def test_serve_takes_the_base_url_setting_over_real_http(tmp_path: Path) -> None:
    path = story_db(tmp_path / "served.db", "Kivo launches an AI companion", "Kivo")
    with served(path, LAUNCHWIRE_BASE_URL=SITE) as site:
        request = urllib.request.Request(site.base + "/-/feeds/launches.atom",
                                         headers={"Host": "evil.example"})
        body = urllib.request.urlopen(request, timeout=10).read().decode()
    assert f'href="{SITE}/-/launch/' in body and "evil.example" not in body


def test_exported_feeds_get_safe_unique_names_inside_out(tmp_path: Path) -> None:
    """Names that once wrote outside --out, raised or stopped the export (#12)."""
    folder = tmp_path / "names"
    folder.mkdir()
    names = ["../../escaped", "/etc/cron.d/x", "nul\x00byte", "x" * 300, "腾讯", "..", "Ordinary"]
    topics = ["payments", "weather", "chess", "recipes", "cycling", "gardening", "podcasts"]
    for month, (name, topic) in enumerate(zip(names, topics), start=1):
        add_story(folder / "hostile.db", f"{name} launches a {topic} app", name,
                  url=f"https://news.example/{month}", published=f"2026-{month:02d}-01",
                  text=f"{name} launched {name} App for {topic} fans today.")
    out = folder / "out"
    written = export_feeds(folder / "hostile.db", out, SITE)
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("hostile.db")]
    assert all(out in f.parents for f in files) and len(files) == written
    assert all(len(f.name) <= 80 and f.name.isascii() for f in files)
    feeds = {f.relative_to(out).as_posix() for f in files if f.suffix in (".atom", ".rss")}
    opml = ElementTree.fromstring((out / "feeds.opml").read_bytes())
    listed = {el.get("xmlUrl").removeprefix(SITE + "/") for el in opml.iter("outline")}
    assert listed | {name[:-len(".atom")] + ".rss" for name in listed} == feeds
    assert len([f for f in listed if f.startswith("feeds/company/")]) == len(names)
    for name in feeds:
        assert not feedparser.parse((out / name).read_bytes()).bozo, name


def test_slugs_are_unique_and_safe() -> None:
    names = ["Foo Bar", "foo-bar", "FOO BAR!", "腾讯", "../..", "a\x00b", "y" * 300]
    slugs = feed_slugs(names)
    assert slugs["FOO BAR!"] == "foo-bar" and len(set(slugs.values())) == len(names)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]{0,70}", slug) for slug in slugs.values()), slugs
    assert feed_slugs(reversed(names)) == slugs  # the order names come in changes nothing


async def test_the_opml_list_offers_the_busiest_companies_and_products_with_their_slugs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A year's archive has some 300k company and product feeds: the list offers the busiest,
    each under the slug its own feed answers to, clashing and non-Latin names included."""
    from publish import feeds, slugs

    # The long names share their truncated slug; the Chinese one has a digest for one.
    names = ["Foo Bar", "Ordinary", "z" * 71, "腾讯", "Acme", "z" * 70, "Zeta"]
    path = tmp_path / "busy.db"
    for number, name in enumerate(names):
        for month in range(1, 2 + number % 3):  # a company's stories: one a month
            add_story(path, f"{name} launches an app, month {month}", name,
                      url=f"https://news.example/{number}/{month}", published=f"2026-{month:02d}-01",
                      text=f"{name} launched {name} App for {TOPICS[number]} fans, "
                           f"{TOPICS[month]} too.")
    monkeypatch.setattr(feeds, "OPML_BUSIEST", 2)
    datasette = make_datasette(path, base_url=SITE)
    opml = ElementTree.fromstring((await datasette.client.get("/-/feeds.opml")).content)
    listed = [el.get("xmlUrl").removeprefix(SITE) for el in opml.iter("outline")]
    db = datasette.get_database()
    stories = dict(sqlite_utils.Database(path).execute(
        "select c.name, count(*) from launches l join entities c on c.id = l.company_id "
        "group by c.name").fetchall())
    companies = [url for url in listed if url.startswith("/-/feeds/company/")]
    busiest = sorted(stories, key=lambda name: (-stories[name], name))[:2]
    assert companies == [f"/-/feeds/company/{await slugs.slug_of(db, 'company', name)}.atom"
                         for name in busiest]
    assert len([url for url in listed if url.startswith("/-/feeds/product/")]) == 2
    assert "/-/feeds/launches.atom" in listed and any("/source/" in url for url in listed)
    for url in listed:
        assert (await datasette.client.get(url)).status_code == 200, url
    for by in ("company", "product"):
        every = await reads.feed_subjects(db, by)
        expected = {name: await slugs.slug_of(db, by, name) for name in every}
        assert await slugs.slugs_of(db, by, every) == expected
        for name in every:
            assert await slugs.slugs_of(db, by, [name]) == {name: expected[name]}


async def test_a_long_or_non_latin_name_finds_its_slug_without_listing_every_name(
        tmp_path: Path) -> None:
    """A slug cut at its 60th character is the start of the slugs it was cut from, so the
    names it can clash with are found along the slug index, as a short name's are; listing
    every company took 2.4 s at a million articles (#17). A cut that ends on a hyphen leaves
    59 characters: that base clashes with a short name's slug of the same 59."""
    from publish import slugs

    cut_on_hyphen = "w" * 59 + " " + "tail"  # slug "www…w-tail", cut to "www…w-", stripped
    names = ["z" * 71, "z" * 70, "w" * 59, cut_on_hyphen, "腾讯", "小米", "Zeta", "Acme"]
    path = tmp_path / "long.db"
    for number, name in enumerate(names):
        add_story(path, f"{name} launches an app", name, url=f"https://news.example/{number}")
    datasette = make_datasette(path, base_url=SITE)
    db = datasette.get_database()
    every = await reads.feed_subjects(db, "company")
    assert sorted(every) == sorted(names)
    expected = feed_slugs(every)  # each slug settled among every name
    assert expected["w" * 59] == "w" * 59 and expected[cut_on_hyphen].startswith("w" * 59 + "-")
    statements: list[str] = []
    execute = db.execute

    async def traced(sql: str, params: object = None, **kwargs: object) -> object:
        statements.append(sql)
        if "from entities e where" in sql:  # found along the slug index, not every entity
            plan = await execute(f"explain query plan {sql}", params)
            assert not [row for row in plan.rows if row["detail"].startswith("SCAN")], sql
        return await execute(sql, params, **kwargs)

    db.execute = traced  # type: ignore[method-assign]
    for name in names:
        statements.clear()
        assert await slugs.slug_of(db, "company", name) == expected[name], name
        assert await slugs.name_of(db, "company", expected[name]) == name, name
        assert reads.FEED_SUBJECTS["company"] not in statements, name
        feed = await datasette.client.get(f"/-/feeds/company/{expected[name]}.atom")
        assert feed.status_code == 200, name
    assert await slugs.slugs_of(db, "company", names) == {name: expected[name] for name in names}


@pytest.mark.parametrize("title,shown", [
    ("Brightloop buys Tandem Notes <script>alert('x')</script> for about $40M",
     "Brightloop buys Tandem Notes for about $40M"),
    ("Kivo <em>ships</em> R&amp;D kit", "Kivo ships R&D kit"),
    ("AT&T says 3 < 4 > 2", "AT&T says 3 < 4 > 2"),
    ("  Two\n lines ", "Two lines"),
])
def test_titles_are_plain_text(title: str, shown: str) -> None:
    """The W3C validator warns on HTML in a title (#16): markup goes, text stays."""
    assert plain(title) == shown


async def test_an_empty_feed_is_dated_by_the_database_never_the_epoch(tmp_path: Path) -> None:
    path = story_db(tmp_path / "empty.db", "Kivo launches an AI companion", "Kivo")
    datasette = make_datasette(path)
    for kind in ("atom", "rss"):
        parsed = feedparser.parse((await datasette.client.get(f"/-/feeds/modality/rumored.{kind}")).content)
        assert not parsed.entries and parsed.feed.updated_parsed.tm_year == 2026, kind


@pytest.mark.parametrize("by, value", [(None, ""), ("company", "Corvel"), ("label", "app"),
                                       ("modality", "launched")])
async def test_a_saved_search_feed_holds_the_newest_matches_whichever_way_it_reads_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by: str | None, value: str) -> None:
    """Common words are looked for among the most recently updated stories first, companies'
    among their own stories, rare words by sorting all their matches (#17): shrunk here so
    that a small database takes each way, every feed is the plain sort's."""
    path = tmp_path / "saved.db"
    for day in range(1, 13):
        # "beacon" in every story, "cobalt" in three (common here, but not among the newest
        # five), "drift" in one; Corvel's three articles are one story (one product).
        words = "beacon" + (" cobalt" if day % 3 == 0 else "") + (" drift" if day == 5 else "")
        name = "Corvel" if day % 4 == 0 else f"Dunmore{day}"
        add_story(path, f"{name} ships a {words} tracker, day {day}", name,
                  url=f"https://news.example/{day}", published=f"2026-01-{day:02d}",
                  text=f"{name} launched {name} App today, a {words} tracker (day {day}).")
    monkeypatch.setattr(reads, "FEED_ENTRIES", 3)
    monkeypatch.setattr(reads, "COMMON_MATCHES", 3)
    monkeypatch.setattr(reads, "RECENT_STORIES", 5)
    datasette = make_datasette(path)
    await datasette.invoke_startup()
    database = datasette.get_database("saved")
    db = sqlite_utils.Database(path)
    for word in ("beacon", "cobalt", "drift", "nowhere"):
        matching = {row[0] for row in db.execute(
            "select rowid from launches_fts where launches_fts match ?", [fts_query(word)])}
        expected = [row["id"] for row in db.query("""
            select l.id, l.modality, p.label, c.name as company from launches l
            left join entities p on p.id = l.product_id left join entities c on c.id = l.company_id
            order by l.updated desc, l.id desc""")
            if row["id"] in matching and (
                by is None or by == "company" and row["company"] == value
                or by == "label" and row["label"] == value.upper()
                or by == "modality" and row["modality"] == value)][:3]
        found = await reads.launch_entries(database, by, value, fts_query(word))
        assert [row["id"] for row in found] == expected, word
