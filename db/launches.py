"""Launch stories in the database: the storage verbs of the `cluster` stage.

Reads return plain records (JSON columns decoded, times as stored ISO text) for the story
rules of `nlp/stories.py`, the long ones one at a time (read each to its end before the
next write: its cursor stays open until then); writes take the rules' results. Stories
already built are read back, not rebuilt; a story keeps its id and key for good, and one
merged into another leaves its key in `launch_merges`. Each write is its own transaction, a
savepoint inside the stage's one transaction (`launchwire.stages.cluster_launches`), so
that a killed run changes nothing (#12).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

import sqlite_utils

from db.connection import write_transaction
from nlp.cluster import Story
from nlp.stories import Merge

Record = dict[str, Any]

# Processed articles not yet placed in a story: new ones, and re-processed ones.
PENDING = "select id from articles where clustered_at is null and processed_by is not null"


def _aliases(value: str | None) -> tuple[str, ...]:
    try:
        return tuple(json.loads(value or "[]"))
    except (TypeError, ValueError):
        return ()


def _json(value: Any) -> str:
    # Names stay as written (not \u-escaped), so that the stored text reads and searches.
    return json.dumps(value, ensure_ascii=False)


def pending_articles(db: sqlite_utils.Database) -> Iterator[Record]:
    """Articles not yet placed in a story, oldest first, with their own launch fact
    (`facts.about = 1`) and the entities they mention.

    YIELDS (dict): id, title, text, kind, seen, modality, product, product_aliases,
        company, company_aliases, and names (name, aliases, label, times, first offset).
    """
    named: dict[int, list[Record]] = {}
    for row in db.query(f"""
            select m.article_id, e.name, e.aliases, m.label, count(*) as times,
                   min(m.start) as first
            from mentions m join entities e on e.id = m.entity_id
            where m.article_id in ({PENDING}) group by m.article_id, e.id, m.label"""):
        named.setdefault(row["article_id"], []).append(
            {**row, "aliases": _aliases(row["aliases"])})
    for row in db.query(f"""
            select a.id, a.title, a.text, a.kind, coalesce(a.published, a.fetched_at) as seen,
                   f.modality, p.name as product, p.aliases as product_aliases,
                   c.name as company, c.aliases as company_aliases
            from articles a
            left join facts f on f.id = (select id from facts where article_id = a.id
                                         and about = 1 order by start limit 1)
            left join entities p on p.id = f.product_id
            left join entities c on c.id = f.company_id
            where a.id in ({PENDING}) order by seen, a.id"""):
        yield {**row, "product_aliases": _aliases(row["product_aliases"]),
               "company_aliases": _aliases(row["company_aliases"]),
               "names": named.pop(row["id"], [])}


def release_pending(db: sqlite_utils.Database) -> set[int]:
    """Take the pending articles out of the stories they were in (a re-processed article is
    placed again from its new facts).

    RETURNS (set[int]): the stories they left.
    """
    with write_transaction(db):
        left = {row[0] for row in db.execute(
            f"select launch_id from launch_articles where article_id in ({PENDING})")}
        db.execute(f"delete from launch_articles where article_id in ({PENDING})")
    return left


def stored_stories(db: sqlite_utils.Database) -> Iterator[Record]:
    """Every story: id, story_key, product_keys, company_keys, first_seen, last_seen,
    modality, and members (its article ids)."""
    members: dict[int, list[int]] = {}
    for row in db.query("select launch_id, article_id from launch_articles order by article_id"):
        members.setdefault(row["launch_id"], []).append(row["article_id"])
    for row in db.query("select id, story_key, product_keys, company_keys, first_seen, "
                        "last_seen, modality from launches"):
        yield {**row, "product_keys": json.loads(row["product_keys"] or "[]"),
               "company_keys": json.loads(row["company_keys"] or "[]"),
               "members": members.get(row["id"], [])}


def placed_texts(db: sqlite_utils.Database, since: datetime) -> Iterator[Record]:
    """Articles in a story seen since `since`: id, seen, text."""
    return db.query("""
        select a.id, coalesce(a.published, a.fetched_at) as seen, a.text
        from launch_articles la join articles a on a.id = la.article_id
        where coalesce(a.published, a.fetched_at) >= ?""", [since.isoformat()])


def merged_keys(db: sqlite_utils.Database) -> set[str]:
    """The keys of stories merged into others."""
    return {row[0] for row in db.execute("select story_key from launch_merges")}


def waiting_articles(db: sqlite_utils.Database, since: datetime) -> Iterator[Record]:
    """Articles in no story, seen since `since`, that wait for a story of a product they
    named: id, seen, products and companies (the keys they wait under)."""
    for row in db.query(f"""
            select id, coalesce(published, fetched_at) as seen, match_keys from articles
            where match_keys is not null and id not in ({PENDING})
              and coalesce(published, fetched_at) >= ?""", [since.isoformat()]):
        keys = json.loads(row["match_keys"])
        yield {"id": row["id"], "seen": row["seen"], "products": keys["products"],
               "companies": keys["companies"]}


def unplaced_texts(db: sqlite_utils.Database, since: datetime) -> Iterator[Record]:
    """Clustered coverage in no story seen since `since` (not 'other' news): id, seen, text."""
    return db.query(f"""
        select id, coalesce(published, fetched_at) as seen, text from articles
        where clustered_at is not null and kind is not 'other' and id not in ({PENDING})
          and id not in (select article_id from launch_articles)
          and coalesce(published, fetched_at) >= ?""", [since.isoformat()])


def save_story(db: sqlite_utils.Database, story: Story) -> int:
    """Store a story's product and company keys, as a new story if its key is new.

    RETURNS (int): its id.
    """
    keys = {"product_keys": _json(sorted(story.products)),
            "company_keys": _json(sorted(story.companies))}
    with write_transaction(db):
        found = db.execute("select id from launches where story_key = ?", [story.key]).fetchone()
        if found:
            db.table("launches").update(found[0], keys)
            return found[0]
        return db.table("launches").insert({"story_key": story.key, **keys}).last_pk


def add_articles(db: sqlite_utils.Database, launch_id: int, article_ids: Iterable[int]) -> None:
    with write_transaction(db):
        db.table("launch_articles").insert_all(
            [{"launch_id": launch_id, "article_id": article_id} for article_id in article_ids],
            ignore=True)


def stories_with_products(db: sqlite_utils.Database) -> list[Record]:
    """Every story, oldest first, with its product's and company's names: id, story_key,
    first_seen, last_seen, modality, company_keys, name, aliases, company, company_aliases."""
    return [{**row, "company_keys": json.loads(row["company_keys"] or "[]"),
             "aliases": _aliases(row["aliases"]),
             "company_aliases": _aliases(row["company_aliases"])}
            for row in db.query("""
            select l.id, l.story_key, l.first_seen, l.last_seen, l.modality, l.company_keys,
                   p.name, p.aliases, c.name as company, c.aliases as company_aliases
            from launches l left join entities p on p.id = l.product_id
            left join entities c on c.id = l.company_id order by l.id""")]


def merge_stories(db: sqlite_utils.Database, merge: Merge) -> None:
    """Move the articles of one story to another; its key leads there from now on."""
    with write_transaction(db):
        db.execute("insert or ignore into launch_articles (launch_id, article_id) "
                   "select ?, article_id from launch_articles where launch_id = ?",
                   [merge.keep, merge.gone])
        db.execute("delete from launch_articles where launch_id = ?", [merge.gone])
        db.execute("update launch_merges set launch_id = ? where launch_id = ?",
                   [merge.keep, merge.gone])
        db.execute("insert or replace into launch_merges (story_key, launch_id) values (?, ?)",
                   [merge.gone_key, merge.keep])
        db.execute("delete from launches where id = ?", [merge.gone])


def story_articles(db: sqlite_utils.Database, launch_id: int) -> list[Record]:
    """A story's articles, oldest first, each with its own launch fact: id, title, source,
    seen, summary_sentences, product_id, company_id, modality, date, sentence."""
    return [{**row, "summary_sentences": json.loads(row["summary_sentences"] or "[]")}
            for row in db.query("""
            select a.id, a.title, a.source, coalesce(a.published, a.fetched_at) as seen,
                   a.summary_sentences, f.product_id, f.company_id, f.modality, f.date,
                   f.sentence
            from launch_articles la join articles a on a.id = la.article_id
            left join facts f on f.id = (select id from facts where article_id = a.id
                                         and about = 1 order by start limit 1)
            where la.launch_id = ? order by seen, a.id""", [launch_id])]


def entity_names(db: sqlite_utils.Database, entity_ids: Iterable[int | None]) -> dict[int, str]:
    ids = list(entity_ids)
    return {row["id"]: row["name"] for row in db.query(
        f"select id, name from entities where id in ({', '.join('?' * len(ids))})", ids)}


def figures_about(db: sqlite_utils.Database, article_ids: list[int],
                  entity_ids: Iterable[int | None], except_modality: str) -> list[Record]:
    """The figures these articles give about these entities, but for those of one modality,
    by article and position: metric, value, unit, qualifier, modality, text, article_id."""
    entities = [i for i in entity_ids if i is not None]
    if not entities:
        return []
    return list(db.query(f"""
        select metric, value, unit, qualifier, modality, text, article_id from metrics
        where article_id in ({",".join("?" * len(article_ids))})
          and entity_id in ({",".join("?" * len(entities))}) and modality != ?
        order by article_id, start""", [*article_ids, *entities, except_modality]))


def update_story(db: sqlite_utils.Database, launch_id: int, fields: Record) -> None:
    """Store a story's derived fields (lists and mappings as JSON)."""
    with write_transaction(db):
        db.table("launches").update(launch_id, {
            name: _json(value) if isinstance(value, (list, dict)) else value
            for name, value in fields.items()})


def mark_clustered(db: sqlite_utils.Database, waiting: dict[int, dict[str, list[str]]]) -> None:
    """The pending articles are placed: those in no story keep the keys they wait under."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with write_transaction(db):
        db.execute(f"update articles set clustered_at = ?, match_keys = null "
                   f"where id in ({PENDING})", [now])
        for article_id, keys in waiting.items():
            db.execute("update articles set match_keys = ? where id = ?",
                       [_json(keys), article_id])
        db.execute("update articles set match_keys = null where id in "
                   "(select article_id from launch_articles)")


def drop_empty_stories(db: sqlite_utils.Database) -> None:
    """A story whose every article left it (re-processed into another) is gone."""
    with write_transaction(db):
        db.execute("delete from launch_merges where launch_id in (select id from launches "
                   "where id not in (select launch_id from launch_articles))")
        db.execute("delete from launches where id not in (select launch_id from launch_articles)")


def count_stories(db: sqlite_utils.Database) -> int:
    return db.execute("select count(*) from launches").fetchone()[0]

