"""The site's reads: every query the launch and entity pages, the home page and the feeds run.

Each takes a Datasette database and returns plain rows, so the pages and feeds hold no SQL.
Sentences are read only through the *_public views, on a private site too, so what a page
quotes stays within each article's budget (#12).
"""

from __future__ import annotations

from typing import Any

# How many stories or articles a feed holds.
FEED_ENTRIES = 50
# A saved search matching this many stories is common enough to look for among the newest
# ones first (1.6% of them at 1M articles: a page is found within ~3,000) ...
COMMON_MATCHES = 5000
# ... among at most this many most recently updated stories.
RECENT_STORIES = 20000
# Each story looked up in the search index on its own: sub-millisecond for a word's story.
MATCHING = "exists (select 1 from launches_fts f where f.rowid = l.id and f.launches_fts match :q)"
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

# The companies and products an OPML list offers (every one has its feed all the same): the
# companies with the most stories, from the kept counts, and the products of the most covered
# stories. A year's archive has some 300k of each; listing them all took 2.4 s.
BUSIEST_SUBJECTS = {
    "company": """select e.name from facet_counts f join entities e on e.id = f.value
        where f.source_table = 'launches' and f.column_name = 'company_id'
        order by f.count desc, e.name limit :limit""",
    # Read backwards along the coverage index; a product's stories of other months repeat it.
    "product": """select p.name from launches l join entities p on p.id = l.product_id
        order by l.coverage desc, l.id desc limit :limit * 2""",
}


async def rows_of(db: Any, sql: str, params: list | dict) -> list[dict]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


async def _one(db: Any, sql: str, params: list) -> dict | None:
    rows = (await db.execute(sql, params)).rows
    return dict(rows[0]) if rows else None


async def story(db: Any, key: str) -> dict | None:
    """A launch story with its product's and company's names, by story key or id."""
    # `id = ?` with an integer, not `cast(id as text) = ?`: the cast scanned every story
    # (63 of 67 ms at 200k articles); this way each side of the `or` uses its index (#17).
    story_id = int(key) if key.isascii() and key.isdigit() and str(int(key)) == key else None
    return await _one(db, """
        select l.*, p.name as product, p.label as product_label, c.name as company
        from launches l left join entities p on p.id = l.product_id
        left join entities c on c.id = l.company_id
        where l.story_key = ? or l.id = ?""", [key, story_id])


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
    """(week_start, launches): stories first seen per week (weeks start on Sunday), over the
    26 weeks up to the newest, weeks without one left out; none for a database not yet
    clustered. Read from the weekly counts the database keeps (db/schema.py m017) (#17)."""
    if "launches" not in await db.table_names():
        return []
    return await rows_of(db, """
        with weeks as (select value, count from facet_counts
                       where source_table = 'launches' and column_name = 'first_seen_week')
        select value as week_start, count as launches from weeks
        where value >= (select date(max(value), '-175 days') from weeks)
        order by value""", [])


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
        params.update(q=match, recent=RECENT_STORIES)
        rows = await _matching_launch_rows(db, by, conditions, params)
    else:
        rows = await _launch_rows(db, conditions, params)
    for row in rows:
        row["articles"] = await rows_of(db, """
            select a.title, a.url, a.source from launch_articles la
            join articles a on a.id = la.article_id where la.launch_id = ?
            order by coalesce(a.published, a.fetched_at)""", [row["id"]])
    return rows


async def _matching_launch_rows(db: Any, by: str | None, conditions: list[str],
                                params: dict) -> list[dict]:
    """The newest stories that match a saved search, whichever way is cheap for it. Sorting
    all of a word's matches by update costs what the word is common: at 1M articles "AI"
    (78k of 314k stories) took 147 ms, 2.6 s read cold, past the time limit (#17).
    - A company's or product's own stories, each looked up in the index (2-6 ms).
    - A common word: the most recently updated stories, newest first, each looked up, until
      a page is full (1-18 ms); the newest of all only when the page fills among them.
    - A rare word (or no full page): all its matches, sorted (few: under COMMON_MATCHES)."""
    if by in ("company", "product"):
        return await _launch_rows(db, conditions + [MATCHING], params)
    if await matches_at_least(db, "launches_fts", ":q", params, COMMON_MATCHES):
        rows = await _launch_rows(db, conditions + [MATCHING, """l.updated >= (select min(updated)
            from (select updated from launches order by updated desc limit :recent))"""], params)
        if len(rows) == FEED_ENTRIES:
            return rows
    return await _launch_rows(db, conditions + [
        "l.id in (select rowid from launches_fts where launches_fts match :q)"], params)


async def matches_at_least(db: Any, index: str, match: str, params: dict, count: int) -> bool:
    """Whether `count` rows of the search index `index` match (`match`, an SQL expression of
    `params`): FTS5 stops reading there, under a millisecond for the commonest word."""
    found = await db.execute(f"select count(*) from (select rowid from {index} "
                             f"where {index} match {match} limit {int(count)})", params)
    return found.rows[0][0] >= count


async def _launch_rows(db: Any, conditions: list[str], params: dict) -> list[dict]:
    where = f"where {' and '.join(conditions)}" if conditions else ""
    return await rows_of(db, f"""
        select l.id, l.story_key, l.headline, l.summary, l.modality, l.first_seen, l.updated,
               l.key_metrics, l.corrections, p.name as product, p.label as product_label,
               c.name as company
        from launches l left join entities p on p.id = l.product_id
        left join entities c on c.id = l.company_id
        {where} order by l.updated desc, l.id desc limit {FEED_ENTRIES}""", params)


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


async def busiest_feed_subjects(db: Any, by: str, limit: int) -> list[str]:
    """Up to `limit` names of `by` company or product feeds, the busiest first (see
    BUSIEST_SUBJECTS)."""
    names = [row[0] for row in (await db.execute(BUSIEST_SUBJECTS[by], {"limit": limit})).rows]
    return list(dict.fromkeys(names))[:limit]


async def feed_subjects_by_slug(db: Any, by: str, slugs: list[str], prefixes: list[str] = (),
                               unsafe: bool = False) -> list[str]:
    """The names a feed can be narrowed to `by` company or product whose stored entity slug
    is one of `slugs`, starts with one of `prefixes`, or (`unsafe`) starts with no Latin letter
    or digit: each read along the slug index."""
    column = {"company": "company_id", "product": "product_id"}[by]
    clauses = [f"e.slug in ({', '.join('?' for _ in slugs)})"] if slugs else []
    # Stored slugs of safe names are [a-z0-9-]: '{' sorts after every one of them.
    clauses += ["(e.slug >= ? and e.slug < ? || '{')"] * len(prefixes)
    if unsafe:
        clauses.append("(e.slug < '0' or (e.slug >= ':' and e.slug < 'a') or e.slug >= '{')")
    if not clauses:
        return []
    # Sorted here: `order by name` led SQLite to walk every entity along the name index.
    return sorted({row[0] for row in (await db.execute(
        f"select e.name from entities e where ({' or '.join(clauses)}) "
        f"and exists (select 1 from launches l where l.{column} = e.id)",
        [*slugs, *(bound for prefix in prefixes for bound in (prefix, prefix))])).rows})


async def feed_subject_named(db: Any, by: str, value: str) -> str | None:
    """The name a feed can be narrowed to `by` company, product or source that `value` names
    (for a company or product, in any case; the name itself first)."""
    rows = (await db.execute(f"""
        select name from ({FEED_SUBJECTS[by]}) where name = :value
        {"collate nocase" if by != "source" else ""}
        order by name = :value desc, name limit 1""", {"value": value})).rows
    return rows[0][0] if rows else None


# The home page (#16): what is new, for a reader rather than a developer.
HOME_STORIES = 12
HOME_SHORT_LISTS = 5


async def latest_stories(db: Any, limit: int = HOME_STORIES) -> list[dict]:
    """The newest launch stories with their stage, product, company and outlets (JSON)."""
    return await rows_of(db, """
        select l.id, l.story_key, l.headline, l.modality, l.first_seen, l.coverage, l.outlets,
               l.product_id, p.name as product, l.company_id, c.name as company
        from launches l left join entities p on p.id = l.product_id
        left join entities c on c.id = l.company_id
        order by l.first_seen desc, l.id desc limit ?""", [limit])


async def most_covered_week(db: Any, limit: int = HOME_SHORT_LISTS) -> list[dict]:
    """The stories most articles covered in the 7 days up to the newest article (a database
    crawled a while ago still shows its own last week). Read by publication time alone, so
    the published index finds the week: the home page must answer well within the public
    site's 1 s limit, and a coalesce with fetched_at read every article (0.3 s for 60k)."""
    return await rows_of(db, """
        with recent as (
          select la.launch_id, count(*) as articles, count(distinct a.source) as outlets
          -- cross join: the week's articles first, by the published index, then their stories
          from articles a cross join launch_articles la on la.article_id = a.id
          where a.published >= (select strftime('%Y-%m-%dT%H:%M:%S', max(published), '-7 days')
                                from articles)
          group by la.launch_id)
        select l.id, l.headline, l.modality, recent.articles, recent.outlets
        from recent join launches l on l.id = recent.launch_id
        order by recent.articles desc, recent.outlets desc, l.first_seen desc limit ?""",
                         [limit])


async def disagreeing_figures(db: Any, limit: int = HOME_SHORT_LISTS) -> list[dict]:
    """The same reported figure about the same entity in the same month, given as different
    values by different outlets, in the last three months of figures; newest months first
    (the `disagreeing_figures` query, short). Read from the groups the database keeps
    (figure_spreads): grouping three months of figures took 45 ms at 100k articles (#17)."""
    return await rows_of(db, """
        select s.entity_id, e.name, s.metric, s.month, s.lowest, s.highest, s.unit,
               s.outlets
        from figure_spreads s join entities e on e.id = s.entity_id
        where s.month >= (select substr(date(max(as_of), 'start of month', '-2 months'), 1, 7)
                          from metrics where modality = 'reported')
        order by s.month desc, s.outlets desc limit ?""", [limit])


# Search (#16): private-use characters mark the matched words, so the page can escape the
# text first and then turn only these markers into <mark> (publish.search.marked).
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
SNIPPET_TOKENS = 24
# A word matching more stories (or articles) than this is ranked among its newest this many:
# ranking every match of "AI" or "new" at 1M articles took 0.25-1 s, past the time limit for
# the commonest; so bounded, 19-41 ms (#17). The same bound is in metadata.yml's search.
RANKED_MATCHES = 5000


def newest_matches(index: str) -> str:
    """SQL for the lowest rowid among the newest RANKED_MATCHES rows of `index` matching
    :match (0 when fewer match): FTS5 walks a word's matches newest first and stops there."""
    return (f"coalesce((select rowid from {index} where {index} match :match "
            f"order by rowid desc limit 1 offset {RANKED_MATCHES - 1}), 0)")


async def search_results(db: Any, match: str, limit: int, offset: int) -> list[dict]:
    """Stories and articles matching an FTS5 query, best first by BM25, titles highlighted
    and a snippet of the summary; never of an article's text, which a public site withholds.

    match (str): the MATCH expression (publish.search.fts_query).
    limit (int): how many rows.
    offset (int): how many of the best to skip.
    """
    # Ranked first, decorated after: highlight() and snippet() read each row's text, so they
    # run for the page's rows only, not for every match of a common word. A common word is
    # ranked among its newest matches only: at 1M articles ranking all of "new" took 1 s.
    # CROSS JOIN keeps the page's rows outermost: else SQLite may walk every article matching
    # the word to find the page's few (40 ms for "new" at 1M).
    return await rows_of(db, f"""
        with best as (
          select kind, rid, score from (
            select 'story' as kind, rowid as rid,
                   bm25(launches_fts, 4.0, 1.0, 3.0, 1.0) as score
            from launches_fts where launches_fts match :match
              and rowid >= {newest_matches("launches_fts")}
            union all
            select 'article', rowid, bm25(articles_fts, 4.0, 2.0, 1.0)
            from articles_fts where articles_fts match :match
              and rowid >= {newest_matches("articles_fts")})
          order by score, kind desc, rid limit :limit offset :offset)
        select b.kind, l.id, l.story_key, l.first_source as source, l.first_seen as seen,
               null as url, b.score, highlight(launches_fts, 0, :open, :close) as title,
               snippet(launches_fts, 1, :open, :close, '…', {SNIPPET_TOKENS}) as snippet
        from best b cross join launches_fts on launches_fts.rowid = b.rid
        join launches l on l.rowid = b.rid
        where b.kind = 'story' and launches_fts match :match
        union all
        select b.kind, a.id, null, a.source, a.published, a.url, b.score,
               highlight(articles_fts, 0, :open, :close),
               snippet(articles_fts, 1, :open, :close, '…', {SNIPPET_TOKENS})
        from best b cross join articles_fts on articles_fts.rowid = b.rid
        join articles a on a.rowid = b.rid
        where b.kind = 'article' and articles_fts match :match
        order by score, kind desc, id""",
                         {"match": match, "open": MARK_OPEN, "close": MARK_CLOSE,
                          "limit": limit, "offset": offset})


# Entity pages (#16).

async def entity(db: Any, entity_id: int) -> dict | None:
    """An entity with its aliases (JSON) and its parent company's name."""
    return await _one(db, """
        select e.id, e.name, e.label, e.slug, e.aliases, e.parent_id, p.name as parent
        from entities e left join entities p on p.id = e.parent_id where e.id = ?""",
                      [entity_id])


async def entity_stories(db: Any, entity_id: int) -> list[dict]:
    """The launch stories of a company or about a product, newest first, with each stage's day."""
    return await rows_of(db, """
        select l.id, l.story_key, l.headline, l.modality, l.first_seen, l.coverage,
               l.rumored_on, l.planned_on, l.announced_on, l.launched_on,
               l.product_id, p.name as product, l.company_id, c.name as company
        from launches l left join entities p on p.id = l.product_id
        left join entities c on c.id = l.company_id
        where l.company_id = :id or l.product_id = :id
        order by l.first_seen desc limit 100""", {"id": entity_id})


# A company's apps and products: those the gazetteer gives it as parent (found through the
# partial index of the few entities that have one), and those its launch stories are about.
ENTITY_PRODUCTS = """
    select id, name, label from entities where parent_id = :id
    union
    select p.id, p.name, p.label from launches l join entities p on p.id = l.product_id
    where l.company_id = :id and p.id != :id
    order by name limit 200"""


async def entity_products(db: Any, entity_id: int) -> list[dict]:
    """A company's apps and products (ENTITY_PRODUCTS)."""
    return await rows_of(db, ENTITY_PRODUCTS, {"id": entity_id})


async def entity_makers(db: Any, entity_id: int) -> list[dict]:
    """Who makes an app or product: its parent company, and the companies its stories name."""
    return await rows_of(db, """
        select p.id, p.name from entities e join entities p on p.id = e.parent_id
        where e.id = :id
        union
        select c.id, c.name from launches l join entities c on c.id = l.company_id
        where l.product_id = :id and c.id != :id
        order by name""", {"id": entity_id})


async def entity_figures(db: Any, entity_id: int, limit: int = 50) -> list[dict]:
    """The newest figures reported about an entity, as written, with who claimed them."""
    return await rows_of(db, """
        select m.metric, m.text, m.value, m.unit, m.modality, m.claimant, m.as_of,
               a.source, a.url
        from metrics_public m join articles_public a on a.id = m.article_id
        where m.entity_id = ? order by m.as_of desc, m.id desc limit ?""", [entity_id, limit])


async def source_health(db: Any) -> list[dict]:
    """Every outlet with each of its feeds' health (the feed_health view), by outlet."""
    if "feed_health" not in await db.view_names():
        return []
    return await rows_of(db, """
        select s.name as source, s.homepage, h.url, h.kind, h.health, h.items,
               h.last_success_at, h.newest_item_at, h.newest_item_age_days,
               h.consecutive_failures
        from sources s left join feed_health h on h.source = s.name
        order by s.name collate nocase, h.kind, h.url""", [])
