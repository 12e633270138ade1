"""The facet counts the triggers keep (#17), of each counted column and of each among the rows
of one value of another, equal a live count after any inserts, updates, deletes and
replaces, and start from the rows a database already had."""

from __future__ import annotations

import random

import sqlite_utils

from db import connect
from db.schema import COUNTED_COLUMNS, LAUNCH_WEEK, counted_triples


def _grouped(db: sqlite_utils.Database, table: str, columns: list[str]) -> list[tuple]:
    """(each column's value, …, how many rows) of `table`'s rows holding all of `columns`."""
    names = ", ".join(f"[{column}]" for column in columns)
    present = " and ".join(f"[{column}] is not null" for column in columns)
    return db.execute(f"select {names}, count(*) from [{table}] where {present} "
                      f"group by {names}").fetchall()


def _live(db: sqlite_utils.Database) -> set[tuple]:
    counted = {(table, column, *row) for table, columns in COUNTED_COLUMNS.items()
               for column in columns for row in _grouped(db, table, [column])}
    week = "date(first_seen, '-' || strftime('%w', first_seen) || ' days')"
    counted |= {("launches", LAUNCH_WEEK, *row) for row in db.execute(
        f"select {week}, count(*) from launches where first_seen is not null "
        f"group by {week}").fetchall()}
    return counted


def _kept(db: sqlite_utils.Database) -> set[tuple]:
    return set(db.execute("select * from facet_counts").fetchall())


def _live_pairs(db: sqlite_utils.Database) -> set[tuple]:
    return {(table, narrowing, row[0], column, *row[1:])
            for table, columns in COUNTED_COLUMNS.items()
            for narrowing in columns for column in set(columns) - {narrowing}
            for row in _grouped(db, table, [narrowing, column])}


def _kept_pairs(db: sqlite_utils.Database) -> set[tuple]:
    return set(db.execute("select * from facet_pair_counts").fetchall())


def _live_triples(db: sqlite_utils.Database) -> set[tuple]:
    return {(table, first, row[0], second, row[1], column, *row[2:])
            for table in COUNTED_COLUMNS for first, second, column in counted_triples(table)
            for row in _grouped(db, table, [first, second, column])}


def _kept_triples(db: sqlite_utils.Database) -> set[tuple]:
    return set(db.execute("select * from facet_triple_counts").fetchall())


def _totals_kept_and_live(db: sqlite_utils.Database) -> tuple[dict, dict]:
    kept = dict(db.execute("select source_table, count from row_counts").fetchall())
    live = {table: db.execute(f"select count(*) from [{table}]").fetchone()[0]
            for table in COUNTED_COLUMNS}
    return kept, live


def test_counts_follow_every_kind_of_change(fresh_db: sqlite_utils.Database) -> None:
    rng = random.Random(5)
    db = fresh_db
    db["sources"].insert_all([{"name": name} for name in ("a", "b", "c")])
    labels = ["COMPANY", "APP", "PRODUCT"]
    for step in range(400):
        ids = [row[0] for row in db.execute("select id from entities").fetchall()]
        action = rng.random()
        if action < 0.5 or not ids:
            db["entities"].insert({"name": f"n{step}", "slug": f"n{step}",
                                   "label": rng.choice(labels)})
        elif action < 0.75:
            db.execute("update entities set label = ? where id = ?",
                       [rng.choice(labels), rng.choice(ids)])
        elif action < 0.9:
            db.execute("delete from entities where id = ?", [rng.choice(ids)])
        else:  # a REPLACE deletes the old row: its delete trigger must fire too
            db.execute("insert or replace into entities (id, name, slug, label) "
                       "values (?, ?, ?, ?)", [rng.choice(ids), f"r{step}", f"r{step}",
                                               rng.choice(labels)])
    for number in range(60):
        db["articles"].insert({"url": f"https://a/{number}", "source": rng.choice("abc"),
                               "title": "t", "text": "x", "fetched_at": "2026",
                               "month": rng.choice(["2026-01", "2026-02", None]),
                               "kind": rng.choice(["launch", "other", None])})
    db.execute("update articles set source = 'a' where id % 3 = 0")
    db.execute("update articles set kind = 'launch', month = null where id % 5 = 0")
    db.execute("delete from articles where id % 7 = 0")

    assert _kept(db) == _live(db)
    kept, live = _totals_kept_and_live(db)
    assert kept == live and live["entities"] > 0 and live["articles"] > 0
    assert ("entities", "label", "APP", db.execute(
        "select count(*) from entities where label = 'APP'").fetchone()[0]) in _kept(db)
    assert not any(row[3] <= 0 for row in _kept(db))  # no value left at zero
    pairs = _kept_pairs(db)
    assert pairs == _live_pairs(db)
    assert any(row[:2] == ("articles", "source") for row in pairs)
    assert not any(row[5] <= 0 for row in pairs)
    triples = _kept_triples(db)
    assert triples == _live_triples(db)
    assert any(row[:2] == ("articles", "kind") for row in triples)
    assert not any(row[7] <= 0 for row in triples)


def test_a_database_made_before_the_counts_gets_them_counted(tmp_path) -> None:
    path = tmp_path / "old.db"
    db = connect(path)
    db["sources"].insert({"name": "a"})
    db["articles"].insert({"url": "https://a/1", "source": "a", "title": "t", "text": "x",
                           "fetched_at": "2026", "month": "2026-05"})
    db.execute("drop table facet_counts")
    for (name,) in db.execute("select name from sqlite_master where type = 'trigger' "
                              "and name like 'facet_counts_%'").fetchall():
        db.execute(f"drop trigger {name}")
    db.execute("delete from _sqlite_migrations where name = 'm015_facet_counts'")
    db.conn.close()

    db = connect(path)

    assert ("articles", "month", "2026-05", 1) in _kept(db)
    assert _kept(db) == _live(db)


def test_counts_kept_through_a_real_run_equal_a_live_count(crawled_db) -> None:
    """The sample site crawled, processed and clustered by `launchwire run`: every write
    those stages make (stories merged and re-keyed included) kept the counts true."""
    db = sqlite_utils.Database(crawled_db)
    kept = _kept(db)
    assert kept == _live(db)
    assert any(row[:2] == ("launches", LAUNCH_WEEK) for row in kept)
    totals, live = _totals_kept_and_live(db)
    assert totals == live and live["launches"] > 0
    pairs = _kept_pairs(db)
    assert pairs == _live_pairs(db)
    assert {row[0] for row in pairs} >= {"articles", "launches", "mentions", "metrics"}
    triples = _kept_triples(db)
    assert triples == _live_triples(db)
    assert {row[0] for row in triples} == {"articles", "metrics"}
