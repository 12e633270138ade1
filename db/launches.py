"""Launch stories: one `launches` row per launched product, built from `facts`.

Thin first version (issue #2): a story is every fact about one product name (its slug,
whatever label each article gave it). Later issues add alias resolution, near-duplicate text
and time windows; a story's `story_key` keeps its id stable across runs.
"""

from __future__ import annotations

import sqlite_utils

# A story's modality is the furthest stage any of its facts reached.
MODALITY_RANK = {"rumored": 0, "planned": 1, "announced": 2, "launched": 3}


def _stories(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("""
        select e.slug as story_key, f.product_id, f.company_id, f.modality, f.date, f.article_id,
               a.title, a.summary, coalesce(a.published, a.fetched_at) as seen
        from facts f join articles a on a.id = f.article_id and f.about = 1
        join entities e on e.id = f.product_id
        order by e.slug, seen, a.id"""))


def cluster_launches(db: sqlite_utils.Database) -> int:
    """Create or refresh one launch per product name with facts; ids stay stable across runs.

    RETURNS (int): the number of launches after clustering.
    """
    stories: dict[str, list[dict]] = {}
    for row in _stories(db):
        stories.setdefault(row["story_key"], []).append(row)
    with db.atomic():
        for story_key, rows in stories.items():
            first = rows[0]
            products = [row["product_id"] for row in rows]
            companies = [row["company_id"] for row in rows if row["company_id"]]
            dates = sorted(row["date"] for row in rows if row["date"])
            article_ids = sorted({row["article_id"] for row in rows})
            record = {
                "story_key": story_key,
                "product_id": max(set(products), key=products.count),
                "company_id": max(set(companies), key=companies.count) if companies else None,
                "modality": max((row["modality"] for row in rows),
                                key=lambda modality: MODALITY_RANK.get(modality, -1)),
                "first_seen": first["seen"],
                "date": dates[0] if dates else first["seen"][:10],
                "headline": first["title"],
                "summary": first["summary"],
                "coverage": len(article_ids),
            }
            existing = db.execute("select id from launches where story_key = ?",
                                  [story_key]).fetchone()
            if existing:
                launch_id = existing[0]
                db.table("launches").update(launch_id, record)
            else:
                launch_id = db.table("launches").insert(record).last_pk
            db.execute("delete from launch_articles where launch_id = ?", [launch_id])
            db.table("launch_articles").insert_all(
                [{"launch_id": launch_id, "article_id": article_id} for article_id in article_ids])
    return db.execute("select count(*) from launches").fetchone()[0]
