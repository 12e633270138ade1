"""The site's reads: every query the launch and entity pages, the home page and the feeds run.

Each takes a Datasette database and returns plain rows, so the pages and feeds hold no SQL.
Sentences are read only through the *_public views, on a private site too, so what a page
quotes stays within each article's budget (#12).
"""

from __future__ import annotations

from typing import Any

# How many stories or articles a feed holds.
FEED_ENTRIES = 50
# What a launch feed can be narrowed to: the path's kind, and its SQL condition.
LAUNCH_FILTERS = {
    "company": "c.name = :value collate nocase",
    "product": "p.name = :value collate nocase",
    # Read per story in the feed's order, so the newest 50 are found without a sort.
    "label": "(select label from entities where id = l.product_id) = upper(:value)",
    "modality": "l.modality = lower(:value)",
}
# The names a feed can be narrowed to, by what it is narrowed by.
FEED_SUBJECTS = {
    "company": "select distinct c.name from launches l "
               "join entities c on c.id = l.company_id order by 1",
    "product": "select distinct p.name from launches l "
               "join entities p on p.id = l.product_id order by 1",
    "source": "select name from sources order by 1",
}


async def rows_of(db: Any, sql: str, params: list | dict) -> list[dict]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


async def _one(db: Any, sql: str, params: list) -> dict | None:
    rows = (await db.execute(sql, params)).rows
    return dict(rows[0]) if rows else None


async def story(db: Any, key: str) -> dict | None:
    """A launch story with its product's and company's names, by story key or id."""
    return await _one(db, """
        select l.*, p.name as product, p.label as product_label, c.name as company
        from launches l left join entities p on p.id = l.product_id
        left join entities c on c.id = l.company_id
        where l.story_key = ? or cast(l.id as text) = ?""", [key, key])


async def merged_into(db: Any, key: str) -> int | None:
    """The id of the story an old, merged story key joined; None for a key never merged."""
    merged = await _one(db, "select launch_id from launch_merges where story_key = ?", [key])
    return None if merged is None else merged["launch_id"]


async def story_coverage(db: Any, launch_id: int) -> list[dict]:
    """The articles telling a story, oldest first."""
    return await rows_of(db, """
        select a.id, a.title, a.source, a.url, coalesce(a.published, a.fetched_at) as seen,
               a.summary
        from launch_articles la join articles a on a.id = la.article_id
        where la.launch_id = ? order by seen, a.id""", [launch_id])


async def story_facts(db: Any, launch_id: int, product_id: Any) -> list[dict]:
    """The launch facts a story's articles state about its product, by date."""
    return await rows_of(db, """
        select f.modality, f.date, f.platform, f.region, f.price, f.sentence, a.source, a.url,
               a.title, f.product
        from facts_public f join launch_articles la on la.article_id = f.article_id
        join articles_public a on a.id = f.article_id
        where la.launch_id = ? and f.product_id is ? order by f.date, a.published""",
                         [launch_id, product_id])


async def story_metrics(db: Any, launch_id: int, product_id: Any,
                        company_id: Any) -> list[dict]:
    """The figures a story's articles report about its product or its company."""
    return await rows_of(db, """
        select m.metric, m.value, m.unit, m.qualifier, m.modality, m.claimant, m.text, m.as_of,
               m.sentence, a.source, a.url, m.entity as subject
        from metrics_public m join launch_articles la on la.article_id = m.article_id
        join articles_public a on a.id = m.article_id
        where la.launch_id = ? and m.entity_id in (?, ?) order by m.as_of, m.metric""",
                         [launch_id, product_id, company_id])


async def metric_history(db: Any, entity_id: int) -> list[dict]:
    """Every dated figure about an entity but the hypothetical, by kind of figure and date."""
    return await rows_of(db, """
        select metric, as_of, value, unit, modality from metrics_public
        where entity_id = ? and as_of is not null and modality != 'hypothetical'
        order by metric, as_of, id""", [entity_id])


async def launches_per_week(db: Any) -> list[dict]:
    """(week_start, launches): stories first seen per week, over the 26 weeks up to the
    newest, weeks without one left out; none for a database not yet clustered."""
    if "launches" not in await db.table_names():
        return []
    return await rows_of(db, """
        select date(first_seen, '-' || strftime('%w', first_seen) || ' days') as week_start,
               count(*) as launches
        from launches
        where first_seen >= (select datetime(max(first_seen), '-182 days') from launches)
        group by week_start order by week_start""", [])


async def launch_entries(db: Any, by: str | None, value: str,
                         match: str | None) -> list[dict]:
    """A launch feed's newest stories, each with its articles.

    by (str | None): what the feed is narrowed by, a key of LAUNCH_FILTERS (None: all).
    value (str): the name or word it is narrowed to.
    match (str | None): an FTS5 query the stories must match (None: any).
    """
    conditions, params = [], {}
    if by:
        conditions.append(LAUNCH_FILTERS[by])
        params["value"] = value
    if match is not None:
        conditions.append("l.id in (select rowid from launches_fts where launches_fts match :q)")
        params["q"] = match
    where = f"where {' and '.join(conditions)}" if conditions else ""
    rows = await rows_of(db, f"""
        select l.id, l.story_key, l.headline, l.summary, l.modality, l.first_seen, l.updated,
               l.key_metrics, p.name as product, p.label as product_label, c.name as company
        from launches l left join entities p on p.id = l.product_id
        left join entities c on c.id = l.company_id
        {where} order by l.updated desc limit {FEED_ENTRIES}""", params)
    for row in rows:
        row["articles"] = await rows_of(db, """
            select a.title, a.url, a.source from launch_articles la
            join articles a on a.id = la.article_id where la.launch_id = ?
            order by coalesce(a.published, a.fetched_at)""", [row["id"]])
    return rows


async def source_articles(db: Any, source: str) -> list[dict]:
    """An outlet's newest articles: id, url, title, author, summary, published and fetched."""
    return await rows_of(db, f"""
        select id, url, title, author, source, summary, published, fetched_at from articles
        where source = ? order by published desc limit {FEED_ENTRIES}""", [source])


async def latest_change(db: Any) -> str | None:
    """When the database last took in a story or an article: an empty feed's updated time."""
    tables = await db.table_names()
    parts = ["select max(fetched_at) as moment from articles"] if "articles" in tables else []
    parts += ["select max(updated) from launches"] if "launches" in tables else []
    if not parts:
        return None
    rows = (await db.execute(f"select max(moment) from ({' union all '.join(parts)})")).rows
    return rows[0][0]


async def feed_subjects(db: Any, by: str) -> list[str]:
    """Every name a feed can be narrowed to `by` company, product or source."""
    return [row[0] for row in (await db.execute(FEED_SUBJECTS[by])).rows]


async def feed_subjects_by_slug(db: Any, by: str, slugs: list[str]) -> list[str]:
    """The names a feed can be narrowed to `by` company or product whose stored entity slug
    is one of `slugs`."""
    column = {"company": "company_id", "product": "product_id"}[by]
    marks = ", ".join("?" for _ in slugs)
    return [row[0] for row in (await db.execute(
        f"select distinct e.name from entities e where e.slug in ({marks}) "
        f"and exists (select 1 from launches l where l.{column} = e.id) order by 1",
        slugs)).rows]


async def feed_subject_named(db: Any, by: str, value: str) -> str | None:
    """The name a feed can be narrowed to `by` company, product or source that `value` names
    (for a company or product, in any case; the name itself first)."""
    rows = (await db.execute(f"""
        select name from ({FEED_SUBJECTS[by]}) where name = :value
        {"collate nocase" if by != "source" else ""}
        order by name = :value desc, name limit 1""", {"value": value})).rows
    return rows[0][0] if rows else None
