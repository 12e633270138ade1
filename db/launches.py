"""Launch stories in the database: one `launches` row per launch across outlets.

`cluster_launches` places each article not yet placed (new, or re-processed) with
`nlp.cluster.StoryIndex`, from the article's own launch fact (`facts.about = 1`), then
refreshes the fields of the stories it touched. Stories already built are read back, not
rebuilt; a story keeps its id and key for good, and one merged into another leaves its key
in `launch_merges`. Everything happens in one transaction: a killed run changes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Iterable

import sqlite_utils

from db.connection import write_transaction
from db.store import parse_time

from nlp.cluster import (
    COPY_WINDOW, SAME_STAGE_WINDOW, TEXT_WINDOW, Item, Story, StoryIndex, clearest_headline,
    normal_name, product_key, same_launch,
)
from nlp.summarize import Attributed, story_summary
from nlp.vocabulary import STAGES

KEY_METRICS = 6
SUMMARY_SENTENCES = 4


def _aliases(value: str | None) -> tuple[str, ...]:
    try:
        return tuple(json.loads(value or "[]"))
    except (TypeError, ValueError):
        return ()


PENDING = "select id from articles where clustered_at is null and processed_by is not null"


def _pending(db: sqlite_utils.Database) -> list[Item]:
    """Processed articles not yet placed in a story, oldest first, with their own launch
    and the products and companies they name most."""
    named: dict[int, list[dict]] = {}
    for row in db.query(f"""
            select m.article_id, e.name, e.aliases, m.label, count(*) as times, min(m.start) as first
            from mentions m join entities e on e.id = m.entity_id
            where m.article_id in ({PENDING}) group by m.article_id, e.id, m.label"""):
        named.setdefault(row["article_id"], []).append(row)
    items = []
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
        mentioned, makers = _prominent(named.get(row["id"], []), row["title"] or "")
        items.append(Item(
            row["id"], parse_time(row["seen"]), row["text"] or "", row["product"],
            row["company"], row["modality"], _aliases(row["product_aliases"]),
            _aliases(row["company_aliases"]), mentioned, makers, row["kind"] or "coverage"))
    return items


PROMINENT_PRODUCTS = 3


def _prominent(names: list[dict], title: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The products an article is about (named in its title, or more than once, most named
    first) and the companies it names most."""
    title_words = set(normal_name(title).split())
    products = []
    for row in names:
        if row["label"] not in {"APP", "PRODUCT"}:
            continue
        spellings = (row["name"], *_aliases(row["aliases"]))
        in_title = any(set(normal_name(name).split()) <= title_words for name in spellings
                       if normal_name(name))
        if in_title or row["times"] >= 2:
            products.append((not in_title, -row["times"], row["first"], spellings))
    companies = sorted((row for row in names if row["label"] == "COMPANY"),
                       key=lambda row: (-row["times"], row["first"]))
    return (tuple(spellings for *_, spellings in sorted(products)[:PROMINENT_PRODUCTS]),
            tuple(row["name"] for row in companies[:3]))


def _stored_stories(db: sqlite_utils.Database) -> list[Story]:
    members: dict[int, list[int]] = {}
    for row in db.query("select launch_id, article_id from launch_articles order by article_id"):
        members.setdefault(row["launch_id"], []).append(row["article_id"])
    stories = []
    for row in db.query("select id, story_key, product_keys, company_keys, first_seen, "
                        "last_seen, modality from launches"):
        stories.append(Story(
            row["story_key"], set(json.loads(row["product_keys"] or "[]")),
            set(json.loads(row["company_keys"] or "[]")),
            parse_time(row["first_seen"]) if row["first_seen"] else None,
            parse_time(row["last_seen"]) if row["last_seen"] else None,
            STAGES.index(row["modality"]) if row["modality"] in STAGES else -1,
            members.get(row["id"], [])))
    return stories


def _recent_texts(db: sqlite_utils.Database, since: datetime) -> dict[int, tuple[datetime, str]]:
    """Texts of placed articles young enough for a new article to be their copy."""
    rows = db.query("""
        select a.id, coalesce(a.published, a.fetched_at) as seen, a.text
        from launch_articles la join articles a on a.id = la.article_id
        where coalesce(a.published, a.fetched_at) >= ?""", [since.isoformat()])
    return {row["id"]: (parse_time(row["seen"]), row["text"] or "") for row in rows}


def cluster_launches(db: sqlite_utils.Database) -> int:
    """Place new and re-processed articles in launch stories and refresh those stories.

    RETURNS (int): the number of launches after clustering.
    """
    with write_transaction(db):
        pending = _pending(db)
        if pending:
            _place(db, pending)
        return db.execute("select count(*) from launches").fetchone()[0]


def _place(db: sqlite_utils.Database, pending: list[Item]) -> None:
    # A re-processed article leaves its story and is placed again from its new facts.
    touched = {row[0] for row in db.execute(
        f"select launch_id from launch_articles where article_id in ({PENDING})")}
    db.execute(f"delete from launch_articles where article_id in ({PENDING})")

    index = StoryIndex()
    earliest = min(item.published for item in pending)
    recent = _recent_texts(db, earliest - COPY_WINDOW)
    for story in _stored_stories(db):
        index.restore(story, {i: recent[i] for i in story.members if i in recent})
    index.reserved = {row[0] for row in db.execute("select story_key from launch_merges")}
    for row in db.query(f"""
            select id, coalesce(published, fetched_at) as seen, match_keys from articles
            where match_keys is not null and id not in ({PENDING})
              and coalesce(published, fetched_at) >= ?""",
                        [(earliest - SAME_STAGE_WINDOW).isoformat()]):
        keys = json.loads(row["match_keys"])
        index.restore_orphan(row["id"], parse_time(row["seen"]), set(keys["products"]),
                             set(keys["companies"]))

    for row in db.query(f"""
            select id, coalesce(published, fetched_at) as seen, text from articles
            where clustered_at is not null and kind is not 'other' and id not in ({PENDING})
              and id not in (select article_id from launch_articles)
              and coalesce(published, fetched_at) >= ?""",
                        [(earliest - TEXT_WINDOW).isoformat()]):
        index.restore_unplaced(row["id"], parse_time(row["seen"]), row["text"] or "")

    placed: dict[str, list[int]] = {}
    orphans = []
    for item in pending:
        key = index.add(item)
        if key is not None:
            placed.setdefault(key, []).append(item.id)
        elif item.kind != "other" and item.mentioned:
            orphans.append(item)
    for article_id, key in index.adopted:
        placed.setdefault(key, []).append(article_id)

    launch_ids = _save_stories(db, index, placed)
    touched |= set(launch_ids.values())
    touched = _merge_same_products(db, touched)
    for launch_id in touched:
        _refresh(db, launch_id)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    db.execute(f"update articles set clustered_at = ?, match_keys = null where id in ({PENDING})",
               [now])
    for item in orphans:
        if item.id not in index.story_of:
            db.execute("update articles set match_keys = ? where id = ?", [json.dumps({
                "products": sorted(index.orphan_keys(item)),
                "companies": sorted({normal_name(name) for name in item.makers})},
                ensure_ascii=False), item.id])
    db.execute("update articles set match_keys = null where id in "
               "(select article_id from launch_articles)")
    # A story whose every article left it (re-processed into another) is gone.
    db.execute("delete from launch_merges where launch_id in (select id from launches where "
               "id not in (select launch_id from launch_articles))")
    db.execute("delete from launches where id not in (select launch_id from launch_articles)")


def _save_stories(db: sqlite_utils.Database, index: StoryIndex,
                  placed: dict[str, list[int]]) -> dict[str, int]:
    launch_ids = {}
    for key, article_ids in placed.items():
        story = index.stories[key]
        state = {"product_keys": json.dumps(sorted(story.products), ensure_ascii=False),
                 "company_keys": json.dumps(sorted(story.companies), ensure_ascii=False)}
        found = db.execute("select id from launches where story_key = ?", [key]).fetchone()
        if found:
            launch_id = found[0]
            db.table("launches").update(launch_id, state)
        else:
            launch_id = db.table("launches").insert({"story_key": key, **state}).last_pk
        db.table("launch_articles").insert_all(
            [{"launch_id": launch_id, "article_id": article_id} for article_id in article_ids],
            ignore=True)
        launch_ids[key] = launch_id
    return launch_ids


def _merge_same_products(db: sqlite_utils.Database, touched: set[int]) -> set[int]:
    """Stories whose products turn out to be one entity (an alias learnt since, or one name
    under another) become one: the older story keeps its id and takes the other's articles."""
    stories = []
    for row in db.query("""
            select l.id, l.story_key, l.first_seen, l.last_seen, l.modality, l.company_keys,
                   p.name, p.aliases, c.name as company, c.aliases as company_aliases
            from launches l left join entities p on p.id = l.product_id
            left join entities c on c.id = l.company_id order by l.id"""):
        if not row["name"]:
            continue
        makers = [name for name in (row["company"], *_aliases(row["company_aliases"])) if name]
        keys = {product_key(name, makers) for name in (row["name"], *_aliases(row["aliases"]))}
        story = Story(row["story_key"], keys, set(json.loads(row["company_keys"] or "[]")),
                      parse_time(row["first_seen"]), parse_time(row["last_seen"]),
                      STAGES.index(row["modality"]) if row["modality"] in STAGES else -1)
        stories.append((row["id"], story))
    by_key: dict[str, list[tuple[int, Story]]] = {}
    for launch_id, story in stories:
        for key in story.products:
            by_key.setdefault(key, []).append((launch_id, story))
    merged_into: dict[int, int] = {}
    for group in by_key.values():
        for (first_id, first), (other_id, other) in zip(group, group[1:]):
            first_id = merged_into.get(first_id, first_id)
            if first_id == other_id or other_id in merged_into:
                continue
            earlier, later = sorted((first, other), key=lambda s: s.first or datetime.max)
            if same_launch(earlier, later):
                _merge(db, keep=first_id, gone=other_id, gone_key=other.key)
                merged_into[other_id] = first_id
                touched.add(first_id)
    return {merged_into.get(launch_id, launch_id) for launch_id in touched} - set(merged_into)


def _merge(db: sqlite_utils.Database, keep: int, gone: int, gone_key: str) -> None:
    db.execute("insert or ignore into launch_articles (launch_id, article_id) "
               "select ?, article_id from launch_articles where launch_id = ?", [keep, gone])
    db.execute("delete from launch_articles where launch_id = ?", [gone])
    db.execute("update launch_merges set launch_id = ? where launch_id = ?", [keep, gone])
    db.execute("insert or replace into launch_merges (story_key, launch_id) values (?, ?)",
               [gone_key, keep])
    db.execute("delete from launches where id = ?", [gone])


def _mode(values: Iterable[Any]) -> Any:
    counts = Counter(value for value in values if value is not None)
    return counts.most_common(1)[0][0] if counts else None


def _refresh(db: sqlite_utils.Database, launch_id: int) -> None:
    """Recompute a story's fields from its articles, their launch facts and their figures."""
    rows = list(db.query("""
        select a.id, a.title, a.source, coalesce(a.published, a.fetched_at) as seen,
               a.summary_sentences, f.product_id, f.company_id, f.modality, f.date, f.sentence
        from launch_articles la join articles a on a.id = la.article_id
        left join facts f on f.id = (select id from facts where article_id = a.id and about = 1
                                     order by start limit 1)
        where la.launch_id = ? order by seen, a.id""", [launch_id]))
    if not rows:
        return
    product_id = _mode(row["product_id"] for row in rows)
    company_id = _mode(row["company_id"] for row in rows)
    names = {row["id"]: row["name"] for row in db.query(
        "select id, name from entities where id in (?, ?)", [product_id, company_id])}
    stage_dates = {}
    for stage in STAGES:
        days = [row["date"] or row["seen"][:10] for row in rows if row["modality"] == stage]
        stage_dates[f"{stage}_on"] = min(days) if days else None
    reached = [stage for stage in STAGES if stage_dates[f"{stage}_on"]]
    first, last = rows[0], rows[-1]
    stated = next((row for row in rows if row["sentence"]), None)
    summary = story_summary(
        [(row["id"], row["source"], json.loads(row["summary_sentences"] or "[]")) for row in rows],
        SUMMARY_SENTENCES,
        Attributed(stated["sentence"].strip(), stated["id"], stated["source"]) if stated else None)
    record = {
        "product_id": product_id, "company_id": company_id,
        "modality": reached[-1] if reached else None, **stage_dates,
        "first_seen": first["seen"], "first_article_id": first["id"],
        "first_source": first["source"], "last_seen": last["seen"], "updated": last["seen"],
        "date": next((stage_dates[f"{s}_on"] for s in reversed(STAGES) if stage_dates[f"{s}_on"]),
                     first["seen"][:10]),
        "headline": clearest_headline([row["title"] for row in rows], names.get(product_id),
                                      names.get(company_id)),
        "coverage": len(rows),
        "outlets": json.dumps(sorted({row["source"] for row in rows}), ensure_ascii=False),
        "key_metrics": json.dumps(_key_metrics(db, [row["id"] for row in rows],
                                               [product_id, company_id]), ensure_ascii=False),
        "summary": " ".join(f"{item.sentence} ({item.source})" for item in summary),
        "summary_sources": json.dumps([{"sentence": item.sentence, "article_id": item.article_id,
                                        "source": item.source} for item in summary],
                                      ensure_ascii=False),
    }
    db.table("launches").update(launch_id, record)


MODALITY_TRUST = {"reported": 0, "forecast": 1, "rumored": 2, "hypothetical": 3}


def _key_metrics(db: sqlite_utils.Database, article_ids: list[int],
                 entity_ids: list[int | None]) -> list[dict[str, Any]]:
    """The story's figures about its product or company, one per kind: the value most of its
    articles give (then the most firmly stated), never a hypothetical."""
    entities = [i for i in entity_ids if i is not None]
    if not entities:
        return []
    rows = list(db.query(f"""
        select metric, value, unit, qualifier, modality, text, article_id from metrics
        where article_id in ({",".join("?" * len(article_ids))})
          and entity_id in ({",".join("?" * len(entities))}) and modality != 'hypothetical'
        order by article_id, start""", [*article_ids, *entities]))
    chosen = []
    for metric in dict.fromkeys(row["metric"] for row in rows):
        same = [row for row in rows if row["metric"] == metric]
        counts = Counter((row["value"], row["unit"]) for row in same)
        best = min(same, key=lambda row: (-counts[(row["value"], row["unit"])],
                                          MODALITY_TRUST.get(row["modality"], 9)))
        chosen.append({**best, "articles": counts[(best["value"], best["unit"])]})
    return sorted(chosen, key=lambda row: -row["articles"])[:KEY_METRICS]

