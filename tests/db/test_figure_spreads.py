"""The figures that disagree, kept by triggers (#17), equal grouping every reported figure,
after inserts, corrections (updates) and re-processing (deletes)."""

from __future__ import annotations

import random

import sqlite_utils

GROUPED = """
    select m.entity_id, m.metric, substr(m.as_of, 1, 7), min(m.value), max(m.value),
           max(m.unit), count(distinct m.value), count(distinct a.source)
    from metrics m join articles a on a.id = m.article_id
    where m.modality = 'reported' and m.as_of is not null
    group by m.entity_id, m.metric, substr(m.as_of, 1, 7)
    having count(distinct m.value) > 1 and count(distinct a.source) > 1"""


def test_kept_spreads_equal_grouping_every_figure(fresh_db: sqlite_utils.Database) -> None:
    rng = random.Random(3)
    db = fresh_db
    db["sources"].insert_all([{"name": name} for name in ("a", "b", "c")])
    db["entities"].insert_all([{"id": n, "name": f"e{n}", "slug": f"e{n}", "label": "APP"}
                               for n in (1, 2, 3)])
    db["articles"].insert_all([{"id": n, "url": f"https://x/{n}", "source": rng.choice("abc"),
                                "title": "t", "text": "x", "fetched_at": "2026"}
                               for n in range(1, 13)])
    def figure() -> dict:
        return {"article_id": rng.randint(1, 12), "entity_id": rng.randint(1, 3),
                "metric": rng.choice(["mau", "funding"]), "value": rng.choice([1.0, 2.0, 3.0]),
                "unit": "users", "modality": rng.choice(["reported"] * 3 + ["rumored"]),
                "as_of": rng.choice(["2026-01-03", "2026-01-30", "2026-02-01", None]),
                "text": "x", "start": 0, "end": 1}
    db["metrics"].insert_all([figure() for _ in range(80)])
    for step in range(150):
        ids = [row[0] for row in db.execute("select id from metrics").fetchall()]
        choice = rng.random()
        if choice < 0.4:
            db["metrics"].insert(figure())
        elif choice < 0.8:
            column, value = rng.choice(list(figure().items())[:6] + [("as_of", "2026-02-11")])
            db.execute(f"update metrics set [{column}] = ? where id = ?", [value, rng.choice(ids)])
        else:
            db.execute("delete from metrics where id = ?", [rng.choice(ids)])

    kept = set(db.execute("select * from figure_spreads").fetchall())
    assert kept == set(db.execute(GROUPED).fetchall())
    assert len(kept) >= 3  # enough disagreement to compare
