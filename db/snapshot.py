"""Snapshots for readers (#18): a consistent, immutable, public-only copy of the database that
any number of Datasette processes or machines can serve (`datasette -i`) while `run` writes on.

A snapshot holds what a public site shows and nothing else a public site closes: no raw page,
no publisher's full text (nor its words in the search index), no sentence beyond an article's
quotable budget, no crawl log. Its schema is the live one, so the same site serves it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

INSPECT_SUFFIX = ".inspect.json"
SQLITE_HEADER_SIZE = 100
# Byte 18 of the header is the write version: 2 while the file is in WAL mode (#18).
WAL_VERSION_OFFSET = 18
# What a public site closes, blanked or removed in the copy (see publish/access.py and the
# *_public views, which read none of it). `articles.text` is NOT NULL: it becomes ''.
PRIVATE_DATA = (
    "delete from pages",  # raw gzipped HTML
    "delete from entries",  # the crawl's frontier and its errors
    "delete from fetches",  # every request made
    "update feeds set last_error = null",  # /-/sources shows a feed's health, never its errors
    "update articles set text = '', summary_sentences = null, process_error = null",
    "update mentions set sentence = null",  # mentions_public has no sentence at all
    "update metrics set sentence = null where not quotable",
    "update facts set sentence = null where not quotable",
)


def snapshot_inspect_path(path: str | Path) -> Path:
    """Where the inspect data (table counts) of the snapshot at `path` is written."""
    return Path(str(path) + INSPECT_SUFFIX)


def write_snapshot(db: sqlite_utils.Database, path: str | Path) -> dict[str, int]:
    """Write a public-only, immutable copy of `db` to `path`, replacing it atomically, and its
    Datasette inspect data beside it (`path` + .inspect.json).

    The copy is taken with `VACUUM INTO`, which reads in one transaction: a consistent state
    even while another process writes. It is cleaned in a temporary file beside `path` and
    renamed over it, so a reader never sees half a snapshot.

    db (Database): the live launchwire database (not in a transaction).
    path (str | Path): the snapshot file to write.
    RETURNS (dict): row counts of every table in the snapshot.
    """
    target = Path(path)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    try:
        db.execute("VACUUM INTO ?", [str(temp)])
        _keep_public_only(temp)
        counts = _table_counts(temp)
        inspect_temp = Path(str(temp) + INSPECT_SUFFIX)
        inspect_temp.write_text(json.dumps(_inspect_data(temp, target, counts), indent=2),
                                encoding="utf-8")
        # Counts first: a server started between the two renames finds counts of another
        # file, which it ignores (their size differs, publish.site.snapshot_inspect_data).
        os.replace(inspect_temp, snapshot_inspect_path(target))
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
        Path(str(temp) + INSPECT_SUFFIX).unlink(missing_ok=True)
    return counts


def _keep_public_only(path: Path) -> None:
    """Drop the private data from the copy at `path`, rebuild its article search index without
    the full text, then leave it ready to serve immutably: planner statistics, rollback
    journal (an immutable reader ignores a write-ahead log), no free page left holding text."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # Zeroes what is deleted at once; the VACUUM at the end leaves no free page either.
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = OFF")  # a temporary file: a crash leaves it unused
        triggers = conn.execute("select name, sql from sqlite_master where type = 'trigger' "
                                "and tbl_name = 'articles'").fetchall()
        conn.execute("BEGIN")
        # Without the search index's triggers, which would index each blanked row twice over;
        # the index is rebuilt from the blanked rows once instead.
        for name, _ in triggers:
            conn.execute(f"drop trigger [{name}]")
        for statement in PRIVATE_DATA:
            conn.execute(statement)
        conn.execute("insert into articles_fts (articles_fts) values ('rebuild')")
        for _, sql in triggers:
            conn.execute(sql)
        for index in ("articles_fts", "launches_fts"):
            conn.execute(f"insert into {index} ({index}) values ('optimize')")
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("VACUUM")
    finally:
        conn.close()
    with path.open("rb+") as file:
        os.fsync(file.fileno())


def _table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        names = [row[0] for row in conn.execute(
            "select name from sqlite_master where type = 'table' order by name")]
        return {name: conn.execute(f"select count(*) from [{name}]").fetchone()[0]
                for name in names}
    finally:
        conn.close()


def _inspect_data(path: Path, target: Path, counts: dict[str, int]) -> dict[str, Any]:
    """What `datasette inspect` writes for the file, keyed by the name Datasette gives it."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return {target.stem: {"hash": digest.hexdigest(), "size": path.stat().st_size,
                          "file": target.name,
                          "tables": {name: {"count": count} for name, count in counts.items()}}}


def is_snapshot(path: str | Path) -> bool:
    """Whether the file is out of WAL mode, as every snapshot is and no live launchwire
    database: an immutable reader of a live one would miss what its write-ahead log holds."""
    with Path(path).open("rb") as file:
        header = file.read(SQLITE_HEADER_SIZE)
    return len(header) == SQLITE_HEADER_SIZE and header[WAL_VERSION_OFFSET] == 1
