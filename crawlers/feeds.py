"""Read any feed's bytes: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 through feedparser, JSON Feed 1.x
by hand (feedparser 6 has no JSON support), and tell a broken or blocked feed from a quiet one.

The rule for a feed's health (#12): a body is a feed when feedparser finds a title or an
entry in it, or it is well-formed XML of a known feed format, or it is a JSON Feed. A feed is
never failing, whatever it lacks: with no entries it is quiet, and malformed XML or entries
without a link only add a `note` (kept as the feed's last_error, health still "ok"). Anything
else (an empty body, an HTML page, XML or JSON that is no feed, bytes nothing can read) has a
`problem`: the feed is failing and backs off.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from time import struct_time
from typing import Any, Mapping
from urllib.parse import urljoin
from xml.sax import SAXException

import feedparser
from dateutil.parser import isoparse

from crawlers.pools import spawned_pool

# What a bot-check or access-denied wall says while answering 200. Plain substrings of the
# lowercased page: a case-insensitive regex alternation cost ~0.2 ms a page, ten times this.
SOFT_BLOCK_MARKERS = (
    b"checking your browser", b"cf-challenge", b"cf_chl_", b"attention required",
    b"access denied", b"please enable javascript and cookies", b"please enable cookies",
    b"are you a robot", b"g-recaptcha", b"h-captcha", b"px-captcha",
    b"request unsuccessful. incapsula", b"unusual traffic")
SOFT_BLOCK_MAX_BYTES = 32 * 1024
# An HTML page, or an XHTML one behind its XML declaration.
HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype html|<html)", re.IGNORECASE)
# feedparser's versions whose <guid> may be a permalink (RSS 0.90 and 1.0 have none).
GUID_VERSIONS = re.compile(r"^rss(?!090$|10$)")


@dataclass
class FeedEntry:
    link: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None


@dataclass
class ParsedFeed:
    entries: list[FeedEntry] = field(default_factory=list)
    problem: str | None = None  # why the body is no feed: the feed is failing
    note: str | None = None  # what is wrong with a body that was read as a feed all the same
    soft_block: str | None = None

    @property
    def newest(self) -> datetime | None:
        dates = [entry.published for entry in self.entries if entry.published]
        return max(dates) if dates else None


def soft_block_reason(body: bytes) -> str | None:
    """Why a 200 response looks like a bot check or an access-denied page, or None.

    Such walls are small pages; a long page that mentions "access denied" is an article.
    """
    if len(body) > SOFT_BLOCK_MAX_BYTES:
        return None
    lowered = body.lower()
    marker = next((marker for marker in SOFT_BLOCK_MARKERS if marker in lowered), None)
    return f"soft block: {marker.decode('latin-1')}" if marker else None


def absolute_link(link: str, base: str) -> str:
    """A link joined to its document's URL; one urljoin cannot read is left for the crawler
    to refuse with its reason."""
    try:
        return urljoin(base, link.strip())
    except ValueError:
        return link


def _text(value: Any) -> str | None:
    """A feed's string as the database can store it (lone surrogates replaced), else None."""
    if not isinstance(value, str):
        return None
    return value.encode("utf-8", "replace").decode("utf-8")


def _from_struct(value: struct_time | None) -> datetime | None:
    try:
        return datetime(*value[:6], tzinfo=timezone.utc) if value else None
    except (ValueError, OverflowError):  # year 0, year 10000: no date rather than no feed
        return None


def entry_link(entry: Mapping[str, Any], version: str) -> str | None:
    """The link an entry gives: its alternate <link> (RSS <link>, Atom rel="alternate"),
    else an RSS <guid> that is a permalink and an http(s) URL.

    feedparser also copies an Atom <id> or a guid into `link` when there is no link element;
    "tag:…", "urn:uuid:…" or a relative id is a name, not a page to fetch (#12).
    entry (Mapping): a feedparser entry.
    version (str): feedparser's name of the feed's format ("rss20", "atom10" …).
    """
    hrefs = [link["href"] for link in entry.get("links", ())
             if link.get("rel", "alternate") == "alternate" and link.get("href")]
    if hrefs:
        return entry["link"] if entry.get("link") in hrefs else hrefs[0]
    guid = entry.get("id")
    if GUID_VERSIONS.match(version) and entry.get("guidislink") and isinstance(guid, str) \
            and guid.lower().startswith(("http://", "https://")):
        return guid
    return None


def entry_author(entry: Mapping[str, Any], feed: Mapping[str, Any], version: str) -> str | None:
    """An entry's author; an Atom entry without one has its source's or its feed's (RFC 4287
    4.2.1), which feedparser does not apply."""
    author = entry.get("author") or entry.get("source", {}).get("author")
    if not author and version.startswith("atom"):
        author = feed.get("author")
    return _text(author)


def _entries(parsed: Any, base: str) -> list[FeedEntry]:
    entries = []
    for entry in parsed.entries:
        link = entry_link(entry, parsed.version)
        if link:
            entries.append(FeedEntry(
                absolute_link(link, base), _text(entry.get("title")),
                entry_author(entry, parsed.feed, parsed.version),
                _from_struct(entry.get("published_parsed") or entry.get("updated_parsed"))))
    return entries


def _notes(parsed: Any, entries: list[FeedEntry], broken: bool) -> str | None:
    notes = []
    if broken:
        notes.append(f"malformed XML, {len(entries)} entries recovered: {parsed.bozo_exception}")
    if len(parsed.entries) > len(entries):
        notes.append(f"{len(parsed.entries) - len(entries)} entries without a link")
    return "; ".join(notes) or None


def read_xml_feed(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """An RSS, Atom or RDF body through feedparser, judged by the rule in the module docstring."""
    try:
        # A stream, never bytes: feedparser opens bytes that name a file ("/etc/passwd",
        # "/dev/zero") and reads that instead (#12). No Content-Location: links and guids come
        # back as the feed wrote them, so a relative guid is not taken for a URL.
        parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, response_headers={
            "content-type": content_type or "application/xml"})
    except ValueError as error:  # its lenient parser trips on e.g. "&#xD800;"
        return ParsedFeed(problem=f"unreadable feed: {error}", soft_block=soft_block_reason(body))
    broken = bool(parsed.bozo) and isinstance(parsed.bozo_exception, SAXException)
    entries = _entries(parsed, url)
    if parsed.entries or parsed.feed.get("title"):
        return ParsedFeed(entries, note=_notes(parsed, entries, broken))
    if HTML_START.search(body[:1000]) or (
            "html" in (content_type or "").lower() and not parsed.version):
        return ParsedFeed(problem="HTML page, not a feed", soft_block=soft_block_reason(body))
    if parsed.version and not broken:
        return ParsedFeed(note=_notes(parsed, entries, broken))
    problem = f"malformed XML: {parsed.bozo_exception}" if broken else "XML but not a feed"
    return ParsedFeed(problem=problem, soft_block=soft_block_reason(body))


def utc_date(value: Any) -> datetime | None:
    """An ISO 8601 date (JSON Feed, sitemaps) in UTC; None when absent or impossible.

    In UTC at once: "9999-12-31T23:59:59-10:00" is past datetime's range once converted,
    and failed the whole feed or sitemap when stored (#12).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = isoparse(value.strip())
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(
            timezone.utc)
    except (ValueError, OverflowError):
        return None


def _json_authors(holder: Mapping[str, Any]) -> list[str]:
    """Names in a JSON Feed object's `authors` (1.1), else its `author` (1.0)."""
    authors = holder.get("authors")
    if not isinstance(authors, list) or not authors:
        authors = [holder.get("author")]
    return [name for author in authors if isinstance(author, dict)
            and (name := _text(author.get("name")))]


def _json_entry(item: Any, feed_authors: list[str], base: str) -> FeedEntry | None:
    """A JSON Feed item with a link; one without its own authors has the feed's (JSON Feed
    1.1, "authors"; 1.0, "author")."""
    if not isinstance(item, dict):
        return None
    link = item.get("url") or item.get("external_url")
    if not isinstance(link, str) or not link.strip():
        return None
    authors = _json_authors(item) or feed_authors
    return FeedEntry(absolute_link(link, base), _text(item.get("title")),
                     authors[0] if authors else None,
                     utc_date(item.get("date_published") or item.get("date_modified")))


def parse_json_feed(body: bytes, url: str = "") -> ParsedFeed:
    """JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), judged by the module's rule."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        return ParsedFeed(problem=f"malformed JSON feed: {error}")
    if not isinstance(document, dict) or "jsonfeed.org/version" not in str(document.get("version")):
        return ParsedFeed(problem="JSON but not a JSON Feed")
    items = document.get("items")
    items = items if isinstance(items, list) else []
    feed_authors = _json_authors(document)
    entries = [entry for item in items if (entry := _json_entry(item, feed_authors, url))]
    unlinked = len(items) - len(entries)
    return ParsedFeed(entries, note=f"{unlinked} entries without a link" if unlinked else None)


def parse_feed(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """Entries of a feed body, with what was wrong with it (see the module docstring's rule).

    body (bytes): the response body, as downloaded by Scrapy (feedparser never fetches).
    url (str): the feed's URL, base for relative links.
    content_type (str | None): the Content-Type header.
    RETURNS (ParsedFeed): entries with links (absolute where they can be read), and a
        `problem` ("empty body", "HTML page, not a feed", "malformed XML: …") or a `note`
        ("malformed XML, 2 entries recovered: …"), or a soft block.
    """
    if not body.strip():
        return ParsedFeed(problem="empty body")
    if "json" in (content_type or "").lower() or body.lstrip()[:1] == b"{":
        return parse_json_feed(body, url)
    return read_xml_feed(body, url, content_type)


class FeedsAside:
    """Feeds parsed in a process beside a crawl's event loop (#17).

    feedparser is pure Python: about 5 ms a feed, during which the crawl's one thread fetched
    nothing, a tenth of a loopback crawl's time. A process of its own parses them on another
    core while the fetching goes on; it starts at the first feed, so a crawl with none starts
    nothing, and it ends with the crawl, even a killed one (crawlers.pools). A worker that
    dies (killed, out of memory) is not replaced: the feeds left are parsed here, as before.
    """

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    async def parse(self, body: bytes, url: str, content_type: str | None) -> ParsedFeed:
        """`parse_feed`'s answer, from the process beside."""
        if self._broken:
            return parse_feed(body, url, content_type)
        if self._pool is None:
            # Spawned, not forked: the crawl has threads by now, and a fork copies their locks.
            self._pool = spawned_pool(1)
        try:
            return await asyncio.wrap_future(self._pool.submit(parse_feed, body, url,
                                                               content_type))
        except BrokenProcessPool:
            self._broken = True
            return parse_feed(body, url, content_type)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
