"""Atom 1.0 and RSS 2.0 feeds of launch stories and of each outlet's articles (feedgen).

A story's entry keeps its id for good (a tag URI of its story key) while its coverage grows;
its updated time is the story's latest article, or the newsroom's latest correction of it
(#16). Responses carry an ETag and Last-Modified, and a conditional GET that matches gets a
304. Every absolute link starts with the site's configured URL, never the request's Host
header (#12).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, Callable
from urllib.parse import quote, unquote

from datasette.utils.asgi import NotFound, Response
from feedgen.feed import FeedGenerator
from markupsafe import escape

from nlp.vocabulary import parse_time
from nlp.vocabulary import PRODUCT_LABELS, STAGES
from publish import slugs
from publish.config import site_url
from publish.links import is_web_url
from publish.reads import (busiest_feed_subjects, feed_subjects, latest_change, launch_entries,
                           source_articles)
from publish.search import fts_query, terms

FORMATS = {"atom": "application/atom+xml; charset=utf-8",
           "rss": "application/rss+xml; charset=utf-8"}
# XML 1.0 allows no control characters but tab, newline and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TAG = "tag:launchwire.invalid,2026"
# Company and product feeds the OPML list offers, each kind: a reader imports a list, not
# the 300k feeds of a year's archive (each is on its entity's and launches' pages).
OPML_BUSIEST = 200
PLAUSIBLE = datetime(1990, 1, 1, tzinfo=timezone.utc)
# Markup in a title or summary is a publisher's slip: readers show them as text and the W3C
# validator warns on one holding HTML (#16). A script's or style's body goes with its tags.
HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
MARKUP = re.compile(r"</?[A-Za-z][^<>]*>")


def clean(text: Any) -> str:
    return CONTROL.sub("", str(text or ""))


def unmarked(text: Any) -> str:
    """Text less any markup: tags dropped, and entities read, when it holds a tag."""
    text = clean(text)
    if MARKUP.search(text):  # a tag may part two words, so it leaves one space
        text = clean(html.unescape(MARKUP.sub(" ", HIDDEN.sub(" ", text))))
        text = re.sub(r" {2,}", " ", text)
    return text


def plain(text: Any) -> str:
    """A title as plain text: no markup, white space collapsed."""
    return " ".join(unmarked(text).split())


def _metric_line(metric: dict) -> str:
    return f"{metric['metric']}: {metric['text']} ({metric['modality']})"


def _article_item(article: dict) -> str:
    title, url = escape(plain(article["title"])), clean(article["url"])
    shown = (f'<a href="{escape(url)}">{title}</a>' if is_web_url(url)
             else f"{title} ({escape(url)})")
    return f"<li>{shown} ({escape(clean(article['source']))})</li>"


def _content_html(summary: str, page: str, articles: list[dict]) -> str:
    return (f"<p>{escape(clean(summary))}</p><p><a href=\"{escape(page)}\">The launch page</a></p>"
            f"<ul>{''.join(_article_item(a) for a in articles)}</ul>")


def _summary(entry: Any, text: str, kind: str) -> None:
    # Readers render an RSS <description> as HTML, so there the text is escaped once more:
    # a "<" or "&" left once markup is gone reaches the reader as text (#12). Atom's is text.
    entry.summary(str(escape(text)) if kind == "rss" else text)


def _new_feed(feed_id: str, title: str, subtitle: str, self_url: str, home: str,
              updated: datetime) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(f"{TAG}:feed:{feed_id}")
    feed.title(plain(title))
    feed.subtitle(plain(subtitle))
    # RFC 4287 wants an author for every entry: the site stands as the feed's (#16).
    feed.author({"name": "launchwire", "uri": home})
    feed.link(href=self_url, rel="self")
    feed.link(href=home, rel="alternate")  # last: RSS takes the last link as the channel's
    feed.language("en")
    feed.updated(updated)
    return feed


def _serialised(feed: FeedGenerator, kind: str) -> bytes:
    return feed.atom_str(pretty=True) if kind == "atom" else feed.rss_str(pretty=True)


async def _latest(db: Any, moments: Any) -> datetime:
    """The newest of `moments`; for an empty feed, the database's last change (or now on an
    empty database): never the epoch, which validators call implausible (#16)."""
    newest = max(moments, default=None)
    if newest is None:
        stored = await latest_change(db)
        newest = parse_time(stored) if stored else datetime.now(timezone.utc).replace(microsecond=0)
    return newest


def _correction_lines(row: dict) -> list[str]:
    """Say what the newsroom corrected, so a reader sees why the entry was updated."""
    return [f"Corrected {c['date']}: {c['what']} ({c['note']})."
            for c in json.loads(row.get("corrections") or "[]")]


def _add_launch(feed: FeedGenerator, kind: str, row: dict, link: str) -> None:
    entry = feed.add_entry()
    # A tag URI is ASCII: a key in another script is percent-encoded, the rest unchanged (#16).
    entry_id = f"{TAG}:launch:{quote(row['story_key'], safe='')}"
    entry.id(entry_id)
    entry.guid(entry_id, permalink=False)
    entry.title(plain(row["headline"] or row["product"] or row["story_key"]))
    entry.link(href=link, rel="alternate")
    metrics = [_metric_line(m) for m in json.loads(row["key_metrics"] or "[]")]
    stage = f"Stage: {row['modality']}." if row["modality"] else ""
    figures = ("Figures: " + "; ".join(metrics) + ".") if metrics else ""
    summary = clean(" ".join(filter(None, [
        stage, unmarked(row["summary"]), figures,
        f"Covered by {len(row['articles'])} article(s).", *_correction_lines(row)])))
    _summary(entry, summary, kind)
    # The source articles are listed in the content: feedgen 1.0.0 drops the rel and title
    # of an entry's extra Atom links, which would make them all rel="alternate".
    entry.content(_content_html(summary, link, row["articles"]), type="html")
    entry.published(parse_time(row["first_seen"]))
    entry.updated(parse_time(row["updated"] or row["first_seen"]))
    for term in (row["company"], row["product"]):
        if term:
            entry.category(term=clean(term), label=clean(term))


def launch_feed(kind: str, title: str, feed_id: str, self_url: str, home: str,
                entries: list[dict], page_url: Callable[[Any], str], updated: datetime) -> bytes:
    """A feed of launch stories; `page_url(id)` gives a story's launch page."""
    feed = _new_feed(feed_id, title, "Product launches from the tech press, fact by fact",
                     self_url, home, updated)
    for row in reversed(entries):  # feedgen puts the last added first
        _add_launch(feed, kind, row, page_url(row["id"]))
    return _serialised(feed, kind)


async def launch_feed_body(datasette: Any, kind: str, by: str | None, value: str,
                           query: str | None, feed_id: str,
                           self_url: str) -> tuple[bytes, datetime]:
    """A launch feed, all or narrowed `by` company, product, label or modality, and to the
    words of a saved search.

    RETURNS (tuple): the feed's bytes and its updated time.
    """
    words = terms(query)
    # Words only, so no query is an FTS syntax error (#12).
    match = fts_query(query) if words else None
    db = datasette.get_database()
    entries = await launch_entries(db, by, value, match)
    base = site_url(datasette)
    title = "launchwire: launches" + (f" ({by}: {value})" if by else "") + (
        f" matching “{' '.join(words)}”" if words else "")
    updated = await _latest(db, [parse_time(e["updated"] or e["first_seen"]) for e in entries])
    body = launch_feed(kind, title, feed_id, self_url, base + datasette.urls.path("/"), entries,
                       lambda launch_id: base + datasette.urls.path(f"/-/launch/{launch_id}"),
                       updated)
    return body, updated


def _seen(article: dict) -> datetime:
    """When an article appeared: its published time, unless that is missing, does not parse
    or comes after launchwire fetched it (a publisher's clock or zone gone wrong), when it is
    the fetch time; validators call a date before 1990 or in the future implausible (#16)."""
    published, fetched = parse_time(article["published"]), parse_time(article["fetched_at"])
    return published if PLAUSIBLE <= published <= fetched else fetched


def _add_article(feed: FeedGenerator, kind: str, row: dict, home: str) -> None:
    entry = feed.add_entry()
    url = clean(row["url"])
    entry.id(f"{TAG}:article:{row['id']}")
    if is_web_url(url):
        entry.guid(url, permalink=True)
    else:  # a javascript: or data: URL is never a link (#12)
        entry.guid(f"{TAG}:article:{row['id']}", permalink=False)
    entry.title(plain(row["title"]) or url)
    entry.author({"name": plain(row["author"]) or plain(row["source"])})
    entry.link(href=url if is_web_url(url) else home, rel="alternate")
    _summary(entry, unmarked(row["summary"]) or plain(row["title"]), kind)
    entry.published(_seen(row))
    entry.updated(_seen(row))


async def source_feed_body(datasette: Any, kind: str, source: str, feed_id: str,
                           self_url: str) -> tuple[bytes, datetime]:
    """An outlet's newest articles: title, link and summary."""
    db = datasette.get_database()
    rows = await source_articles(db, source)
    home = site_url(datasette) + datasette.urls.path("/")
    updated = await _latest(db, [_seen(r) for r in rows])
    feed = _new_feed(feed_id, f"launchwire: {source}",
                     f"Articles from {source}, as launchwire read them", self_url, home, updated)
    for row in reversed(rows):
        _add_article(feed, kind, row, home)
    return _serialised(feed, kind), updated


def respond(request: Any, body: bytes, kind: str, updated: datetime) -> Response:
    """The feed with validators; 304 when the reader's copy is current."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    last_modified = format_datetime(updated.astimezone(timezone.utc), usegmt=True)
    headers = {"ETag": etag, "Last-Modified": last_modified, "Cache-Control": "max-age=300"}
    if_none_match = request.headers.get("if-none-match")
    if_modified_since = request.headers.get("if-modified-since")
    fresh = if_none_match is not None and etag in [t.strip() for t in if_none_match.split(",")]
    if if_none_match is None and if_modified_since:
        try:
            fresh = parsedate_to_datetime(if_modified_since) >= updated.replace(microsecond=0)
        except (TypeError, ValueError):
            fresh = False
    if fresh:
        return Response("", status=304, headers=headers)
    return Response(body, content_type=FORMATS[kind], headers=headers)


def feed_id(by: str | None, name: str, kind: str, query: str = "") -> str:
    """A feed's id: a launch feed's path under /-/feeds/ when URLs held the name, kept so
    that readers keep their place now that URLs hold a slug (#16); an outlet's, its name."""
    if by == "source":  # one id for both formats, as it always was
        return f"source:{quote(name, safe='')}"
    path = f"launches.{kind}" if by is None else f"{by}/{quote(name, safe='')}.{kind}"
    return path + (f"?{query}" if query else "")


async def _subject(datasette: Any, request: Any, by: str) -> str | Response:
    """The name a feed URL's slug stands for; a 301 to the slug's URL from an old URL that
    holds the name (#16); NotFound for neither."""
    db = datasette.get_database()
    value = unquote(request.url_vars["value"])
    name = await slugs.name_of(db, by, value)
    if name is not None:
        return name
    name = await slugs.named(db, by, clean(value))
    if name is None:
        raise NotFound(f"No {by} feed is called {value}")
    path = feed_path(by, await slugs.slug_of(db, by, name), request.url_vars["format"])
    query = f"?{request.query_string}" if request.query_string else ""
    return Response.redirect(datasette.urls.path(f"/-/feeds/{path}") + query, status=301)


async def launches_feed(datasette: Any, request: Any) -> Response:
    """/-/feeds/launches.<atom|rss> and
    /-/feeds/<company|product|label|modality>/<slug>.<atom|rss>;
    `?q=` narrows any of them to a saved search."""
    kind, by = request.url_vars["format"], request.url_vars.get("by")
    name = await _subject(datasette, request, by) if by else ""
    if isinstance(name, Response):
        return name
    self_url = site_url(datasette) + quote(request.path, safe="/") + (
        f"?{request.query_string}" if request.query_string else "")
    body, updated = await launch_feed_body(
        datasette, kind, by, name, request.args.get("q"),
        feed_id(by, name, kind, request.query_string), self_url)
    return respond(request, body, kind, updated)


async def source_feed(datasette: Any, request: Any) -> Response:
    """/-/feeds/source/<slug>.<atom|rss>: an outlet's articles, title, link and summary."""
    kind = request.url_vars["format"]
    source = await _subject(datasette, request, "source")
    if isinstance(source, Response):
        return source
    body, updated = await source_feed_body(datasette, kind, source, feed_id("source", source, kind),
                                           site_url(datasette) + quote(request.path, safe="/"))
    return respond(request, body, kind, updated)


async def feed_list(db: Any, busiest: int | None = None
                    ) -> list[tuple[str, str | None, str, str]]:
    """(title, by, name, slug) of every feed: `by` None is all launches; else company,
    product, label, modality or source, the name it is narrowed to and that name's slug.
    With `busiest`, only that many company and product feeds, the busiest first."""
    feeds: list[tuple[str, str | None, str, str]] = [("All launches", None, "", "")]
    feeds += [(f"{stage.capitalize()} launches", "modality", stage, stage.lower())
              for stage in reversed(STAGES)]  # furthest first
    feeds += [(f"{label.capitalize()} launches", "label", label, label.lower())
              for label in PRODUCT_LABELS]
    for title, by in (("Launches by {}", "company"), ("Launches of {}", "product"),
                      ("Articles from {}", "source")):
        if busiest is None or by == "source":
            named = slugs.feed_slugs(await feed_subjects(db, by))
        else:
            named = await slugs.slugs_of(db, by, await busiest_feed_subjects(db, by, busiest))
        feeds += [(title.format(name), by, name, slug) for name, slug in named.items()]
    return feeds


def feed_path(by: str | None, slug: str, kind: str = "atom") -> str:
    """A feed's path under /-/feeds/ (and its file's under feeds/ in `publish --out`)."""
    return f"launches.{kind}" if by is None else f"{by}/{slug}.{kind}"


def opml_document(feeds: list[tuple[str, str]]) -> str:
    """An OPML 2.0 list of (title, absolute feed URL)."""
    outlines = "".join(
        f'    <outline type="rss" text="{escape(clean(title))}" title="{escape(clean(title))}" '
        f'xmlUrl="{escape(url)}"/>\n' for title, url in feeds)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n'
            "  <head><title>launchwire feeds</title></head>\n  <body>\n"
            f"{outlines}  </body>\n</opml>\n")


async def opml(datasette: Any, request: Any) -> Response:
    """/-/feeds.opml: the feeds (Atom) for a reader to subscribe to at once: every general
    and outlet feed, and those of the OPML_BUSIEST busiest companies and products."""
    feeds_url = site_url(datasette) + datasette.urls.path("/-/feeds/")
    feeds = [(title, feeds_url + feed_path(by, slug)) for title, by, _, slug
             in await feed_list(datasette.get_database(), busiest=OPML_BUSIEST)]
    return Response(opml_document(feeds), content_type="text/x-opml; charset=utf-8",
                    headers={"Cache-Control": "max-age=300"})


ROUTES = [
    (r"^/-/feeds\.opml$", opml),
    (r"^/-/feeds/launches\.(?P<format>atom|rss)$", launches_feed),
    (r"^/-/feeds/(?P<by>company|product|label|modality)/(?P<value>[^/]+)\.(?P<format>atom|rss)$",
     launches_feed),
    (r"^/-/feeds/source/(?P<value>[^/]+)\.(?P<format>atom|rss)$", source_feed),
]
