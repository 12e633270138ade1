"""Opening a launchwire database, and the one way to write to it.

Every write transaction begins IMMEDIATE (#12). A deferred transaction (`BEGIN`, what
sqlite-utils' `atomic()` opens) that reads first and then writes cannot wait for the write
lock: when another process has written meanwhile, SQLite fails it at once with "database is
locked" whatever the busy timeout. Taking the write lock first makes a second stage wait its
turn (up to `BUSY_TIMEOUT_S`) instead of losing its write.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from db.schema import migrations

# How long a stage waits for another stage's write transaction before it gives up with an
# error (and a non-zero exit), unless the `db_busy_timeout` setting says otherwise.
# Transactions here are short, but `cluster` places every new article in one, and a first
# clustering of a large archive takes a while.
BUSY_TIMEOUT_S = 120
SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseFileError(Exception):
    """A file that is not a launchwire database this version can open (missing, foreign,
    corrupt, or written by a newer launchwire)."""


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block in one write transaction, begun IMMEDIATE (a savepoint when nested).

    db (Database): an open launchwire database.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    try:
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def _existing_tables(path: Path, busy_timeout: float) -> dict[str, list[str]]:
    """{"tables": [...], "applied": [launchwire migrations]} of a file, read-only."""
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseFileError(f"{path}: not a SQLite database")
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            tables = [row[0] for row in conn.execute(
                "select name from sqlite_master where type in ('table', 'view') order by name")]
            applied = [row[0] for row in conn.execute(
                "select name from _sqlite_migrations where migration_set = ? order by rowid",
                [migrations.name])] if "_sqlite_migrations" in tables else []
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseFileError(f"{path}: cannot be read as a database ({error})") from error
    return {"tables": tables, "applied": applied}


def check_database(path: str | Path, create: bool = False,
                   busy_timeout: float = BUSY_TIMEOUT_S, current: bool = False) -> None:
    """Refuse a file launchwire must not write to: missing (unless `create`), not SQLite,
    another application's database, or one a newer launchwire has migrated.

    path (str | Path): the database file.
    create (bool): whether a missing or empty file may become a new database.
    busy_timeout (float): seconds to wait for another process's write lock.
    current (bool): refuse one an older launchwire made, which a command that only reads
        (`serve`) cannot bring up to date.
    """
    path = Path(path)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        if create:
            return
        raise DatabaseFileError(
            f"{path}: no such database; run `launchwire run` or `launchwire demo` first")
    if not path.is_file():
        raise DatabaseFileError(f"{path}: not a file")
    found = _existing_tables(path, busy_timeout)
    if not found["tables"]:
        if create:
            return
        raise DatabaseFileError(f"{path}: an empty database; run `launchwire run` first")
    if not found["applied"]:
        shown = ", ".join(found["tables"][:5]) + (" …" if len(found["tables"]) > 5 else "")
        raise DatabaseFileError(f"{path}: not a launchwire database (it holds {shown})")
    known = {migration.name for migration in migrations._migrations}
    unknown = [name for name in found["applied"] if name not in known]
    if unknown:
        raise DatabaseFileError(f"{path}: written by a newer launchwire (schema step "
                                f"{unknown[0]}); upgrade launchwire to use it")
    missing = [name for name in known if name not in found["applied"]]
    if current and missing:
        raise DatabaseFileError(f"{path}: made by an older launchwire (without schema step "
                                f"{missing[0]}); run `launchwire publish --db {path}` once to "
                                "bring it up to date")


def connect(path: str | Path, create: bool = True,
            busy_timeout: float = BUSY_TIMEOUT_S) -> sqlite_utils.Database:
    """Open a launchwire database with WAL, foreign keys and the schema brought up to date.

    path (str | Path): the SQLite file.
    create (bool): whether a missing file becomes a new database (crawl, run, demo); other
        commands refuse it, as they refuse a foreign or newer database.
    busy_timeout (float): seconds a write waits for another process's write transaction
        before it fails.
    RETURNS (Database): the open, migrated database.
    """
    check_database(path, create=create, busy_timeout=busy_timeout)
    db = sqlite_utils.Database(path)
    # Set before anything that takes a lock, switching to WAL included.
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    db.enable_wal()
    # With WAL, NORMAL cannot corrupt the file; it only skips an fsync per tiny transaction.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    if migrations.pending(db):
        # Under the write lock, so two stages opening a new database migrate it once.
        with write_transaction(db):
            migrations.apply(db)
    return db


# A crawl's stage, spiders and item pipelines all run on one thread in one process; each used
# to open the file itself (five connections and five schema checks per crawl, #15).
_SHARED: dict[tuple[Path, bool], sqlite_utils.Database] = {}


def shared_connection(path: str | Path, create: bool = True,
                      busy_timeout: float = BUSY_TIMEOUT_S) -> sqlite_utils.Database:
    """The process's one open connection to a database, opened (and migrated) on first use.

    Only for callers on the thread that first opened it: SQLite connections are not shared
    across threads. Arguments as for `connect`; `busy_timeout` applies to the first opening.
    RETURNS (Database): the open, migrated database.
    """
    key = (Path(path).resolve(), create)
    db = _SHARED.get(key)
    if db is None:
        db = _SHARED[key] = connect(path, create=create, busy_timeout=busy_timeout)
    return db
