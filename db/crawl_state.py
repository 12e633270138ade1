"""The crawl's own state: feed schedules and health, the frontier of entries, raw pages."""

from __future__ import annotations

import gzip
import json
import sqlite3
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping

import sqlite_utils

from db.connection import write_transaction
from db import store
from db.store import utc_now

# A transient failure (timeout, 5xx) is retried on later crawls this many times in all.
MAX_ATTEMPTS = 3


def iso_utc(moment: datetime | None) -> str | None:
    """An aware datetime as the UTC ISO 8601 text the database stores."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds") if moment else None


def feed_state(db: sqlite_utils.Database, url: str) -> dict | None:
    rows = list(db.query("select * from feeds where url = ?", [url]))
    return rows[0] if rows else None


def due_feeds(db: sqlite_utils.Database, urls: Iterable[str], now: datetime,
              force: bool = False) -> list[str]:
    """The feeds among `urls` whose next check has come (all of them when `force`)."""
    urls = list(urls)
    if force:
        return urls
    moment = iso_utc(now)
    return [url for url in urls
            if (state := feed_state(db, url)) is None or not state["next_check_at"]
            or state["next_check_at"] <= moment]


def record_feed_success(db: sqlite_utils.Database, *, url: str, source: str, kind: str,
                        status: int, etag: str | None, last_modified: str | None,
                        items: int | None, newest: datetime | None, next_check: datetime,
                        interval_s: int, problem: str | None = None,
                        entries: Iterable[Mapping[str, Any]] = ()) -> list[dict]:
    """A feed answered (200 or 304): its state and its entries on the frontier commit
    together (#12), so a feed is never marked checked with its new entries lost. A 304
    keeps the validators and counts it had.

    entries (Iterable[Mapping]): the feed's links ({"url", "title", "author", "published"}).
    RETURNS (list[dict]): the entries still to fetch (new or pending).
    """
    with write_transaction(db):
        previous = feed_state(db, url) or {}
        db.table("feeds").upsert({
            "url": url, "source": source, "kind": kind, "status": status, "checked_at": utc_now(),
            "etag": etag or previous.get("etag"),
            "last_modified": last_modified or previous.get("last_modified"),
            "items": items if items is not None else previous.get("items"),
            "newest_item_at": iso_utc(newest) or previous.get("newest_item_at"),
            "last_success_at": utc_now(), "consecutive_failures": 0,
            "next_check_at": iso_utc(next_check), "interval_s": interval_s,
            "last_error": problem, "soft_block": None,
        }, pk="url")
        return add_entries(db, source, url, entries)


def record_feed_failure(db: sqlite_utils.Database, *, url: str, source: str, kind: str,
                        status: int | None, error: str, next_check: datetime,
                        soft_block: str | None = None) -> int:
    """A feed failed; RETURNS (int) how many times in a row it has now."""
    with write_transaction(db):
        previous = feed_state(db, url) or {}
        failures = (previous.get("consecutive_failures") or 0) + 1
        db.table("feeds").upsert({
            "url": url, "source": source, "kind": kind, "status": status, "checked_at": utc_now(),
            "consecutive_failures": failures, "last_error": error, "soft_block": soft_block,
            "next_check_at": iso_utc(next_check),
        }, pk="url")
    return failures


def add_entries(db: sqlite_utils.Database, source: str, feed_url: str,
                entries: Iterable[Mapping[str, Any]]) -> list[dict]:
    """Put a feed's entries on the frontier; an entry already there keeps its row.

    entries (Iterable[Mapping]): {"url": the canonical key, "fetch_url": the URL to fetch as the
        feed gave it (#12), "title", "author", "published"}.
    RETURNS (list[dict]): the ones still to fetch (new or pending).
    """
    rows = _entry_rows(source, feed_url, entries)
    if not rows:
        return []
    with write_transaction(db):
        db.table("entries").insert_all(rows, ignore=True)
        # One JSON parameter, not one per URL: SQLite builds allow from 999 to 250,000
        # variables, and a sitemap may list 50,000 URLs (#12).
        return list(db.query("select * from entries where state = 'pending' and url in "
                             "(select value from json_each(?)) order by rowid",
                             [json.dumps([row["url"] for row in rows])]))


def _entry_rows(source: str, feed_url: str,
                entries: Iterable[Mapping[str, Any]]) -> list[dict]:
    return [{"url": entry["url"], "fetch_url": entry.get("fetch_url"), "source": source,
             "feed_url": feed_url,
             "title": entry.get("title"), "author": entry.get("author"),
             "published": entry.get("published"), "discovered_at": utc_now(),
             "state": "pending", "attempts": 0} for entry in entries]


def entries_to_fetch(db: sqlite_utils.Database, source: str, feed_url: str,
                     entries: Iterable[Mapping[str, Any]]) -> list[dict]:
    """Read only: the entries `add_entries` will leave to fetch, so a spider can request them
    while a pipeline stores the document (#15). An entry already on the frontier is its row
    (pending, or left out when done or failed); a new one is the row it will get."""
    rows = _entry_rows(source, feed_url, entries)
    if not rows:
        return []
    known = {row["url"]: row for row in db.query(
        "select * from entries where url in (select value from json_each(?))",
        [json.dumps([row["url"] for row in rows])])}
    seen: set[str] = set()
    wanted = []
    for row in rows:
        if row["url"] in seen:
            continue
        seen.add(row["url"])
        stored = known.get(row["url"])
        if stored is None:
            wanted.append(row)
        elif stored["state"] == "pending":
            wanted.append(stored)
    return wanted


def pending_entries(db: sqlite_utils.Database, sources: Iterable[str]) -> list[dict]:
    """Entries an earlier crawl found but did not finish (killed, or a transient failure),
    with the `fetch_url` to request them by (null on rows older than m012: fetch `url`)."""
    names = list(sources)
    marks = ", ".join("?" for _ in names)
    return list(db.query(
        f"select * from entries where state = 'pending' and source in ({marks}) order by rowid",
        names)) if names else []


def entry_failed(db: sqlite_utils.Database, url: str, error: str, permanent: bool) -> None:
    """Count a failed fetch; a permanent one (404, refused, not HTML) is never tried again."""
    with write_transaction(db):
        db.execute("""update entries set attempts = attempts + 1, last_error = ?,
                      state = case when ? or attempts + 1 >= ? then 'failed' else 'pending' end
                      where url = ?""", [error, permanent, MAX_ATTEMPTS, url])


def save_pages(db: sqlite_utils.Database, pages: Iterable[Mapping[str, Any]]) -> list[int]:
    """Keep fetched pages' raw bytes (gzip) and close their entries, in one transaction; a URL
    fetched before is kept once. Each page names the frontier entry it answers (`entry_url`).

    RETURNS (list[int]): the pages' ids, in order.
    """
    ids = []
    with write_transaction(db):
        for page in pages:
            row = {"url": page["url"], "source": page["source"], "feed_url": page.get("feed_url"),
                   "status": page["status"], "content_type": page.get("content_type"),
                   "fetched_at": utc_now(), "bytes": len(page["body"]),
                   # Level 1: ~70% of level 6's CPU for pages ~5% larger; the reactor waits on it.
                   "body_gz": gzip.compress(page["body"], compresslevel=1),
                   "hints": json.dumps(page.get("hints") or {})}
            # Plain SQL on this per-page path (sqlite-utils' insert() re-reads the schema each call).
            db.execute(f"insert or ignore into pages ({', '.join(row)}) "
                       f"values ({', '.join('?' for _ in row)})", list(row.values()))
            page_id = db.execute("select id from pages where url = ?", [row["url"]]).fetchone()[0]
            db.execute("update entries set state = 'done', page_id = ?, last_error = null "
                       "where url = ?", [page_id, page["entry_url"]])
            ids.append(page_id)
    return ids


def save_responses(db: sqlite_utils.Database, *, pages: Iterable[Mapping[str, Any]] = (),
                   fetches: Iterable[Mapping[str, Any]] = (),
                   failures: Iterable[Mapping[str, Any]] = ()) -> None:
    """A batch of a crawl's responses in one transaction: the fetch log, failed entries and
    fetched pages (see `save_pages`). A crawl killed before it lands loses no entry: each
    stays pending and the next crawl fetches it again."""
    with write_transaction(db):
        for fetch in fetches:
            store.log_fetch(db, **fetch)
        for failure in failures:
            entry_failed(db, **failure)
        save_pages(db, pages)


def pages_to_extract(db: sqlite_utils.Database, everything: bool = False,
                     batch: int = 200) -> Iterator[list[dict]]:
    """Batches of raw pages with no article yet (or every page, to re-extract), oldest first."""
    where = "id > ?" if everything else "article_id is null and extract_error is null and id > ?"
    last_id = 0
    while True:
        rows = list(db.query(f"select * from pages where {where} order by id limit ?",
                             [last_id, batch]))
        if not rows:
            return
        last_id = rows[-1]["id"]
        yield rows


def page_body(row: Mapping[str, Any]) -> bytes:
    return gzip.decompress(row["body_gz"])


def link_page(db: sqlite_utils.Database, page_id: int, article_id: int | None,
              error: str | None = None) -> None:
    with write_transaction(db):
        db.execute("update pages set article_id = ?, extract_error = ? where id = ?",
                   [article_id, error, page_id])


def update_article(db: sqlite_utils.Database, article_id: int, fields: Mapping[str, Any]) -> None:
    """New extraction of a stored article: its analysis is redone by the next `process`."""
    with write_transaction(db):
        db.table("articles").update(article_id, {**fields, "processed_by": None})


def store_extracted(db: sqlite_utils.Database, page: Mapping[str, Any],
                    result: Mapping[str, Any], everything: bool = False) -> str:
    """Store what extraction made of a page, its article and the page's link to it in one
    transaction (#15): a killed extraction leaves no article without its page.

    page (Mapping): the `pages` row (its `id` and `article_id`).
    result (Mapping): {"article": {...}} or {"problem": "why there is none"}.
    everything (bool): re-extraction: a page's article, if it has one, is updated in place.
    RETURNS (str): "stored", "duplicate", "updated" or "failed".
    """
    with write_transaction(db):
        if "problem" in result:
            link_page(db, page["id"], page["article_id"], error=result["problem"])
            return "failed"
        article = result["article"]
        if everything and page["article_id"]:
            return _update_extracted(db, page, article)
        article_id = store.insert_article(db, article)
        if article_id is None:
            # Same URL (an AMP copy, a redirect) or same text (a syndicated copy): one story.
            article_id = store.existing_article(db, article["url"], article["text"])
            link_page(db, page["id"], article_id)
            return "duplicate"
        link_page(db, page["id"], article_id)
        return "stored"


def _update_extracted(db: sqlite_utils.Database, page: Mapping[str, Any],
                      article: Mapping[str, Any]) -> str:
    fields = {key: article[key] for key in ("title", "text", "author", "published", "lang")}
    fields["fingerprint"] = store.text_fingerprint(article["text"])
    try:
        # A savepoint inside the caller's transaction: a clash undoes this update only.
        update_article(db, page["article_id"], fields)
    except sqlite3.IntegrityError:
        link_page(db, page["id"], page["article_id"],
                  error="re-extracted text duplicates another article")
        return "failed"
    return "updated"


def feed_health(db: sqlite_utils.Database) -> list[dict]:
    """Each feed's last state, for `launchwire stats` and the site's feed_health view."""
    return list(db.query("select * from feed_health order by source, url"))
