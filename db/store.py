"""Short, atomic write verbs: every row launchwire stores goes through here."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping

import sqlite_utils

from db.connection import write_transaction


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def slugify(name: str) -> str:
    """Stable URL-safe key for an entity name ("Xiaomi SU7" -> "xiaomi-su7")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or re.sub(r"\s+", "-", name.strip().lower())


def upsert_source(db: sqlite_utils.Database, source: Mapping[str, Any]) -> None:
    upsert_sources(db, [source])


def upsert_sources(db: sqlite_utils.Database, sources: Iterable[Mapping[str, Any]]) -> None:
    with write_transaction(db):
        for source in sources:
            db.table("sources").upsert(
                {key: source.get(key) for key in ("name", "homepage", "language", "region")},
                pk="name")


def log_fetch(db: sqlite_utils.Database, *, url: str, source: str | None, status: int | None,
              size: int | None, ms: int | None, error: str | None = None) -> None:
    # Plain SQL: this runs once per response, and sqlite-utils' insert() inspects the table
    # schema on every call.
    with write_transaction(db):
        db.execute("insert into fetches (url, source, status, bytes, ms, error, fetched_at) "
                   "values (?, ?, ?, ?, ?, ?, ?)", [url, source, status, size, ms, error, utc_now()])


ARTICLE_COLUMNS = ("url", "source", "feed_url", "title", "author", "published", "fetched_at",
                   "lang", "text", "fingerprint")


def text_fingerprint(text: str) -> str:
    """The same story text under two URLs gives the same fingerprint (case and spacing aside)."""
    normalised = " ".join(re.findall(r"\w+", text.lower()))
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()


def insert_article(db: sqlite_utils.Database, article: Mapping[str, Any]) -> int | None:
    """Store an article once: a URL or a text seen before is left as it is.

    RETURNS (int | None): the new row's id, or None when the story was already stored.
    """
    row = {key: article.get(key) for key in ARTICLE_COLUMNS}
    row["month"] = (row["published"] or "")[:7] or None
    row["fingerprint"] = row["fingerprint"] or text_fingerprint(row["text"])
    with write_transaction(db):
        cursor = db.execute(
            f"insert or ignore into articles ({', '.join(row)}) values ({', '.join('?' for _ in row)})",
            list(row.values()))
        return cursor.lastrowid if cursor.rowcount else None


def existing_article(db: sqlite_utils.Database, url: str, text: str) -> int | None:
    """The id of the stored article with this URL or this text, if any."""
    found = db.execute("select id from articles where url = ? or fingerprint = ? limit 1",
                       [url, text_fingerprint(text)]).fetchone()
    return found[0] if found else None


def articles_to_process(db: sqlite_utils.Database, version: str,
                        limit: int | None = None, after: int = 0) -> Iterator[dict]:
    """Articles not yet processed by this pipeline version, oldest first, from the id after
    `after` (those up to it may be in flight to a worker, #17)."""
    sql = ("select id, url, title, text, published, lang from articles "
           "where (processed_by is null or processed_by != ?) and id > ? order by id")
    params: list[Any] = [version, after]
    if limit is not None:
        sql += " limit ?"
        params.append(limit)
    yield from db.query(sql, params)


def count_to_process(db: sqlite_utils.Database, version: str) -> int:
    return db.execute("select count(*) from articles where processed_by is null "
                      "or processed_by != ?", [version]).fetchone()[0]


def entity_id(db: sqlite_utils.Database, name: str, label: str) -> int:
    """The id of the entity with this canonical name, created (with this label) on first sight."""
    found = db.execute("select id from entities where name = ?", [name]).fetchone()
    if found:
        return found[0]
    return db.execute("insert into entities (name, label, slug) values (?, ?, ?)",
                      [name, label, slugify(name)]).lastrowid


def save_known_entities(db: sqlite_utils.Database, known: Iterable[Mapping[str, Any]],
                        version: str) -> bool:
    """Write the gazetteer's entities (label, aliases, parent) unless this version already is.

    RETURNS (bool): True when rows were written.
    """
    stored = db.execute("select value from launchwire_meta where key = 'gazetteer'").fetchone()
    if stored and stored[0] == version:
        return False
    known = list(known)
    with write_transaction(db):
        db.conn.executemany(
            "insert into entities (name, label, slug, aliases) values (?, ?, ?, ?) "
            "on conflict(name) do update set label = excluded.label, aliases = excluded.aliases",
            [(entry["name"], entry["label"], slugify(entry["name"]),
              json.dumps(list(entry.get("aliases") or ()), ensure_ascii=False)) for entry in known])
        db.conn.executemany(
            "update entities set parent_id = (select id from entities where name = ?) where name = ?",
            [(entry["parent"], entry["name"]) for entry in known if entry.get("parent")])
        db.execute("insert or replace into launchwire_meta (key, value) values ('gazetteer', ?)",
                   [version])
    return True


def save_analysis(db: sqlite_utils.Database, article_id: int, analysis: Mapping[str, Any],
                  version: str) -> None:
    """Replace an article's mentions, metrics and facts with a fresh analysis, atomically."""
    with write_transaction(db):
        for table in ("mentions", "metrics", "facts"):
            db.execute(f"delete from {table} where article_id = ?", [article_id])
        ids: dict[str, int] = {}

        def resolve(name: str | None, label: str) -> int | None:
            if not name:
                return None
            if name not in ids:
                ids[name] = entity_id(db, name, label)
            return ids[name]

        mentions = [{"article_id": article_id,
                     "entity_id": resolve(ent["canonical"], ent["label"]), "label": ent["label"],
                     "text": ent["text"], "sentence": ent["sentence"],
                     "start": ent["start"], "end": ent["end"]}
                    for ent in analysis["entities"]]
        db.table("mentions").insert_all(mentions, ignore=True)
        metrics = [{"article_id": article_id,
                    "entity_id": resolve(metric["subject"], metric.get("subject_label") or "COMPANY"),
                    "quotable": int(metric.get("quotable", False)),
                    **{key: metric.get(key) for key in (
                        "metric", "value", "unit", "qualifier", "modality", "claimant", "as_of",
                        "text", "sentence", "start", "end")}}
                   for metric in analysis["metrics"]]
        db.table("metrics").insert_all(metrics)
        # Each sentence's facts; older analyses carry only the article's launch.
        stated = analysis.get("launch_facts") or analysis["launches"]
        facts = [{"article_id": article_id,
                  "company_id": resolve(launch["company"], "COMPANY"),
                  "product_id": resolve(launch["product"], launch.get("product_label") or "PRODUCT"),
                  "about": int(launch.get("about", True)),
                  "quotable": int(launch.get("quotable", False)),
                  **{key: launch.get(key) for key in ("modality", "date", "sentence", "start",
                                                      "end", "platform", "region", "price")}}
                 for launch in stated]
        db.table("facts").insert_all(facts)
        db.table("articles").update(article_id, {
            "summary": analysis["summary"], "processed_by": version,
            "summary_sentences": json.dumps(analysis.get("summary_sentences") or [],
                                            ensure_ascii=False),
            "kind": analysis.get("kind"), "genre": analysis.get("genre") or "news",
            "process_error": None,
            "clustered_at": None})  # its facts changed: cluster places it again


def save_process_error(db: sqlite_utils.Database, article_id: int, reason: str,
                       version: str) -> None:
    """An article this pipeline version cannot analyse: its reason is kept and it is not
    tried again until the version changes; its earlier analysis, if any, is dropped (#12)."""
    with write_transaction(db):
        for table in ("mentions", "metrics", "facts"):
            db.execute(f"delete from {table} where article_id = ?", [article_id])
        db.execute("update articles set processed_by = ?, process_error = ?, summary = null, "
                   "summary_sentences = '[]', kind = 'other', clustered_at = null where id = ?",
                   [version, reason[:500], article_id])


def prepare_for_serving(db: sqlite_utils.Database) -> None:
    """Merge FTS segments, refresh planner statistics and fold the WAL into the main file."""
    with write_transaction(db):
        db.table("articles").optimize()
        db.table("launches").optimize()
        db.execute("ANALYZE")
    # Waits for readers and writers up to the busy timeout; when they go on past it, the
    # checkpoint is partial and the WAL is folded in on a later one, nothing is lost.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

