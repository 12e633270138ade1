"""Schema as idempotent sqlite-utils migrations, applied by `db.connection.connect`."""

from __future__ import annotations

from itertools import combinations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("launchwire")


@migrations()
def m001_crawl_tables(db: sqlite_utils.Database) -> None:
    db.table("sources").create(
        {"name": str, "homepage": str, "language": str, "region": str}, pk="name")
    db.table("feeds").create(
        {"url": str, "source": str, "etag": str, "last_modified": str, "checked_at": str,
         "status": int, "items": int},
        pk="url", foreign_keys=[("source", "sources", "name")])
    db.table("fetches").create(
        {"id": int, "url": str, "source": str, "status": int, "bytes": int, "ms": int,
         "error": str, "fetched_at": str},
        pk="id", not_null={"url", "fetched_at"})
    db.table("fetches").create_index(["fetched_at"])


@migrations()
def m002_articles(db: sqlite_utils.Database) -> None:
    db.table("articles").create(
        {"id": int, "url": str, "source": str, "feed_url": str, "title": str, "author": str,
         "published": str, "month": str, "fetched_at": str, "lang": str, "text": str,
         "summary": str, "processed_by": str},
        pk="id", not_null={"url", "source", "title", "text", "fetched_at"},
        foreign_keys=[("source", "sources", "name")])
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["published"])
    db.table("articles").create_index(["source", "published"])
    db.table("articles").create_index(["month"])
    db.table("articles").create_index(["processed_by"])
    # Porter stemming so a search for "launch" also finds "launched" and "launches".
    db.table("articles").enable_fts(["title", "summary", "text"], create_triggers=True,
                                    tokenize="porter")


@migrations()
def m003_nlp_tables(db: sqlite_utils.Database) -> None:
    db.table("entities").create(
        {"id": int, "name": str, "label": str, "slug": str}, pk="id",
        not_null={"name", "label", "slug"})
    db.table("entities").create_index(["name", "label"], unique=True)
    db.table("entities").create_index(["slug"])
    db.table("mentions").create(
        {"article_id": int, "entity_id": int, "text": str, "sentence": str, "start": int,
         "end": int},
        pk=("article_id", "start"),
        foreign_keys=[("article_id", "articles", "id"), ("entity_id", "entities", "id")])
    db.table("mentions").create_index(["entity_id"])
    db.table("metrics").create(
        {"id": int, "article_id": int, "entity_id": int, "metric": str, "value": float,
         "unit": str, "qualifier": str, "modality": str, "as_of": str, "text": str,
         "sentence": str, "start": int, "end": int},
        pk="id", foreign_keys=[("article_id", "articles", "id"),
                               ("entity_id", "entities", "id")])
    db.table("metrics").create_index(["article_id"])
    db.table("metrics").create_index(["entity_id", "metric"])
    db.table("facts").create(
        {"id": int, "article_id": int, "company_id": int, "product_id": int, "modality": str,
         "date": str, "sentence": str, "start": int, "end": int},
        pk="id", foreign_keys=[("article_id", "articles", "id"), ("company_id", "entities", "id"),
                               ("product_id", "entities", "id")])
    db.table("facts").create_index(["article_id"])
    db.table("facts").create_index(["product_id"])


@migrations()
def m004_launches(db: sqlite_utils.Database) -> None:
    db.table("launches").create(
        {"id": int, "story_key": str, "product_id": int, "company_id": int, "modality": str,
         "first_seen": str, "date": str, "headline": str, "summary": str, "coverage": int},
        pk="id", not_null={"story_key"},
        foreign_keys=[("product_id", "entities", "id"), ("company_id", "entities", "id")])
    db.table("launches").create_index(["story_key"], unique=True)
    db.table("launches").create_index(["product_id"])
    db.table("launches").create_index(["first_seen"])
    db.table("launch_articles").create(
        {"launch_id": int, "article_id": int}, pk=("launch_id", "article_id"),
        foreign_keys=[("launch_id", "launches", "id"), ("article_id", "articles", "id")])
    db.table("launch_articles").create_index(["article_id"])


@migrations()
def m005_frontier_pages_health(db: sqlite_utils.Database) -> None:
    """Issue #3: a frontier of entries to fetch (resume), raw pages (re-extraction),
    feed schedules and health, and a content fingerprint so one story is one row."""
    db.table("entries").create(
        {"url": str, "source": str, "feed_url": str, "title": str, "author": str,
         "published": str, "discovered_at": str, "state": str, "attempts": int,
         "last_error": str, "page_id": int},
        pk="url", not_null={"source", "state", "discovered_at"}, defaults={"attempts": 0},
        foreign_keys=[("source", "sources", "name")])
    db.table("entries").create_index(["state"])
    db.table("pages").create(
        {"id": int, "url": str, "source": str, "feed_url": str, "status": int,
         "content_type": str, "fetched_at": str, "bytes": int, "body_gz": bytes, "hints": str,
         "article_id": int, "extract_error": str},
        pk="id", not_null={"url", "source", "fetched_at", "body_gz"},
        foreign_keys=[("source", "sources", "name"), ("article_id", "articles", "id")])
    db.table("pages").create_index(["url"], unique=True)
    db.table("pages").create_index(["article_id"])
    db.table("feeds").add_column("next_check_at", str)
    db.table("feeds").add_column("interval_s", int)
    db.table("feeds").add_column("consecutive_failures", int, not_null_default=0)
    db.table("feeds").add_column("last_success_at", str)
    db.table("feeds").add_column("newest_item_at", str)
    db.table("feeds").add_column("last_error", str)
    db.table("feeds").add_column("soft_block", str)
    db.table("feeds").add_column("kind", str)
    db.table("articles").add_column("fingerprint", str)
    db.table("articles").create_index(["fingerprint"], unique=True)
    # A feed that still validates but has published nothing for 30 days has gone stale.
    db.create_view("feed_health", """
        select source, url, kind, status, items, checked_at, last_success_at, newest_item_at,
               cast(julianday('now') - julianday(newest_item_at) as integer) as newest_item_age_days,
               consecutive_failures, soft_block, last_error, next_check_at,
               case when soft_block is not null then 'soft block'
                    when consecutive_failures > 0 then 'failing'
                    when julianday('now') - julianday(newest_item_at) > 30 then 'stale'
                    else 'ok' end as health
        from feeds""")


@migrations()
def m006_entity_linking(db: sqlite_utils.Database) -> None:
    """Issue #4: one `entities` row per entity, whatever label a mention gives it, with its
    aliases and parent company; each mention keeps the label it had in its sentence."""
    db.table("entities").add_column("aliases", str)
    db.table("entities").add_column("parent_id", int)
    db.table("mentions").add_column("label", str)
    db.execute("update mentions set label = (select label from entities e where e.id = entity_id)")
    duplicates = db.execute("select name, min(id) from entities group by name having count(*) > 1")
    for name, keep in duplicates.fetchall():
        for table, column in (("mentions", "entity_id"), ("metrics", "entity_id"),
                              ("facts", "company_id"), ("facts", "product_id"),
                              ("launches", "company_id"), ("launches", "product_id")):
            db.execute(f"update {table} set {column} = ? where {column} in "
                       "(select id from entities where name = ? and id != ?)", [keep, name, keep])
        db.execute("delete from entities where name = ? and id != ?", [name, keep])
    db.execute("drop index if exists idx_entities_name_label")
    db.table("entities").create_index(["name"], unique=True)
    db.table("entities").add_foreign_key("parent_id", "entities", "id")
    db.table("launchwire_meta").create({"key": str, "value": str}, pk="key")


@migrations()
def m007_metric_claimants(db: sqlite_utils.Database) -> None:
    """Issue #5: who each figure is attributed to."""
    db.table("metrics").add_column("claimant", str)
    db.table("metrics").create_index(["metric", "modality"])


@migrations()
def m008_launch_fact_details(db: sqlite_utils.Database) -> None:
    """Issue #5: every sentence's launch facts, with what they state, and which one the
    article is about (`about = 1`: the fact stories are built from)."""
    facts = db.table("facts")
    for column in ("platform", "region", "price"):
        facts.add_column(column, str)
    facts.add_column("about", int, not_null_default=1)
    facts.create_index(["about", "product_id"])


@migrations()
def m009_launch_stories(db: sqlite_utils.Database) -> None:
    """Issue #6: stories across outlets, built incrementally, with stage dates, coverage,
    key metrics and a summary whose sentences name their articles."""
    articles = db.table("articles")
    articles.add_column("summary_sentences", str)  # JSON list, for the stories' summaries
    articles.add_column("clustered_at", str)  # null: not yet placed in a story (or re-processed)
    articles.create_index(["clustered_at"])
    articles.add_column("kind", str)  # launch, other (funding, earnings, deals…) or coverage
    # For an article in no story yet: the product and company names it would join one by.
    articles.add_column("match_keys", str)
    # An article's own launch fact, looked up once per article while clustering.
    db.table("facts").create_index(["article_id", "about", "start"])
    launches = db.table("launches")
    for column in ("rumored_on", "planned_on", "announced_on", "launched_on", "last_seen",
                   "first_source", "outlets", "key_metrics", "summary_sources", "product_keys",
                   "company_keys", "updated"):
        launches.add_column(column, str)
    launches.add_column("first_article_id", int, fk="articles", fk_col="id")
    launches.create_index(["updated"])
    launches.create_index(["coverage"])
    # What a public site shows of an article: never the publisher's full text.
    db.create_view("articles_public", """
        select id, url, source, title, author, published, month, lang, summary, kind
        from articles""")
    # Stories merged into another keep their key: old links find the story they joined.
    db.table("launch_merges").create({"story_key": str, "launch_id": int}, pk="story_key",
                                     foreign_keys=[("launch_id", "launches", "id")])


@migrations()
def m010_site_search(db: sqlite_utils.Database) -> None:
    """Issue #7: stories searchable beside articles, and entity names looked up in any case."""
    db.table("launches").enable_fts(["headline", "summary", "product_keys", "company_keys"],
                                    create_triggers=True, tokenize="porter")
    db.execute("create index if not exists idx_entities_name_nocase on entities (name collate nocase)")
    db.table("metrics").create_index(["metric", "modality", "entity_id"], if_not_exists=True)


@migrations()
def m011_site_speed(db: sqlite_utils.Database) -> None:
    """Issue #7: facets and canned queries answered from indexes on a 200k-article site."""
    for table, columns in (("articles", ["source"]), ("articles", ["month"]),
                           ("articles", ["kind"]), ("launches", ["modality"]),
                           ("launches", ["company_id"]), ("metrics", ["modality", "as_of"]),
                           ("facts", ["modality"])):
        db.table(table).create_index(columns, if_not_exists=True)


@migrations()
def m012_public_face_and_safety(db: sqlite_utils.Database) -> None:
    """Issue #12: the link fetched as the feed gave it (`entries.url` stays the canonical
    key), why an article could not be processed, and what a public site may quote of an
    article: the sentences of its metrics and facts within its budget (`quotable`), never
    the sentence around a mere mention."""
    db.table("entries").add_column("fetch_url", str)
    db.table("articles").add_column("process_error", str)
    db.table("metrics").add_column("quotable", int, not_null_default=0)
    db.table("facts").add_column("quotable", int, not_null_default=0)
    db.create_view("mentions_public", """
        select m.article_id, m.entity_id,
               (select name from entities e where e.id = m.entity_id) as entity,
               m.label, m.text, m.start, m."end"
        from mentions m""")
    db.create_view("metrics_public", """
        select m.id, m.article_id, m.entity_id,
               (select name from entities e where e.id = m.entity_id) as entity,
               m.metric, m.value, m.unit, m.qualifier, m.modality, m.claimant, m.as_of, m.text,
               case when m.quotable then m.sentence end as sentence, m.start, m."end"
        from metrics m""")
    db.create_view("facts_public", """
        select f.id, f.article_id, f.company_id,
               (select name from entities e where e.id = f.company_id) as company,
               f.product_id, (select name from entities e where e.id = f.product_id) as product,
               f.modality, f.date, f.platform, f.region, f.price, f.about,
               case when f.quotable then f.sentence end as sentence, f.start, f."end"
        from facts f""")


@migrations()
def m013_article_genre(db: sqlite_utils.Database) -> None:
    """Issue #14: whether an article reports or argues (news or commentary), decided by
    `launchwire process`, on the public face beside its kind."""
    db.table("articles").add_column("genre", str)
    db.create_view("articles_public", """
        select id, url, source, title, author, published, month, lang, summary, kind, genre
        from articles""", replace=True)


@migrations()
def m014_story_corrections(db: sqlite_utils.Database) -> None:
    """Issue #16: what the newsroom corrected of a story and when, as `cluster` last applied
    corrections.toml (JSON list of kind, what, note, date), for its page and feed entry."""
    db.table("launches").add_column("corrections", str)
    db.table("launches").add_column("corrected_on", str)
    # An entity merge looks up every fact naming the company it takes away.
    db.table("facts").create_index(["company_id"], if_not_exists=True)


# What a site facets on, counted as rows change (#17): a table page at a million articles
# spent 150 ms of 164 on its default facets, each a scan of a whole index. The counts are
# kept by triggers, in the transaction that changes the row, so they are never stale and
# `publish` has nothing to refresh. (sqlite-utils turns recursive_triggers on, so the row an
# `insert or replace` deletes fires its delete trigger too.)
COUNTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("source", "month", "kind"),
    "launches": ("modality", "company_id"),
    "entities": ("label",),
    "mentions": ("entity_id", "label"),
    "metrics": ("metric", "modality", "claimant", "unit"),
    "facts": ("modality", "about"),
}


def _count_triggers(table: str, counted: str, column: str, value: str) -> list[str]:
    """Triggers keeping facet_counts' rows for `counted` of `table`: `value` (SQL with
    `{row}` for new or old) is what a row adds to, read from `column`."""
    new, old = value.format(row="new"), value.format(row="old")
    add = (f"insert into facet_counts (source_table, column_name, value, count) "
           f"select '{table}', '{counted}', {new}, 1 where {new} is not null "
           f"on conflict do update set count = count + 1;")
    remove = (f"update facet_counts set count = count - 1 where source_table = '{table}' "
              f"and column_name = '{counted}' and value = {old};"
              f"delete from facet_counts where source_table = '{table}' "
              f"and column_name = '{counted}' and value = {old} and count <= 0;")
    name = f"facet_counts_{table}_{counted}"
    return [f"create trigger {name}_insert after insert on [{table}] begin {add} end",
            f"create trigger {name}_delete after delete on [{table}] begin {remove} end",
            f"create trigger {name}_update after update of [{column}] on [{table}] "
            f"when old.[{column}] is not new.[{column}] begin {remove} {add} end"]


def _count(db: sqlite_utils.Database, table: str, counted: str, column: str,
           value: str) -> None:
    row_value = value.format(row=f"[{table}]")
    db.execute(f"""insert into facet_counts
        select '{table}', '{counted}', {row_value}, count(*) from [{table}]
        where {row_value} is not null group by {row_value}""")
    for trigger in _count_triggers(table, counted, column, value):
        db.execute(trigger)


@migrations()
def m015_facet_counts(db: sqlite_utils.Database) -> None:
    """Issue #17: each counted column's values and how many rows hold each, for the facets of
    an unfiltered table page (publish/facets.py). `value` has no type, so 7 stays an integer
    and "7" a string, as in the column counted."""
    db.execute("""create table facet_counts (
        source_table text not null, column_name text not null, value, count integer not null,
        primary key (source_table, column_name, value)) without rowid""")
    for table, columns in COUNTED_COLUMNS.items():
        for column in columns:
            _count(db, table, column, column, f"{{row}}.[{column}]")


# A figure reported with different values by different outlets in one month (#17): the home
# page and the `disagreeing_figures` query read these few groups instead of grouping three
# months of figures at every request (45 ms at 100k articles). A trigger recomputes the one
# group a changed figure belongs to (a few rows, by the index on entity, metric and date),
# so the table is exact after every write, as facet_counts is.
_SPREAD_OF_GROUP = """
    delete from figure_spreads
    where entity_id = {row}.entity_id and metric = {row}.metric
      and month = substr({row}.as_of, 1, 7);
    insert into figure_spreads
    select m.entity_id, m.metric, substr(m.as_of, 1, 7), min(m.value), max(m.value),
           max(m.unit), count(distinct m.value), count(distinct a.source)
    from metrics m join articles a on a.id = m.article_id
    where m.entity_id = {row}.entity_id and m.metric = {row}.metric
      and m.as_of >= substr({row}.as_of, 1, 7) and m.as_of < substr({row}.as_of, 1, 7) || '~'
      and m.modality = 'reported'
    group by m.entity_id, m.metric, substr(m.as_of, 1, 7)
    having count(distinct m.value) > 1 and count(distinct a.source) > 1;"""
_REPORTED = "{row}.modality = 'reported' and {row}.as_of is not null"


@migrations()
def m016_figure_spreads(db: sqlite_utils.Database) -> None:
    """Issue #17: figures that disagree, kept per entity, metric and month by triggers."""
    db.execute("""create table figure_spreads (
        entity_id integer not null, metric text not null, month text not null, lowest real,
        highest real, unit text, values_given integer not null, outlets integer not null,
        primary key (entity_id, metric, month)) without rowid""")
    db.execute("create index idx_figure_spreads_month on figure_spreads (month, outlets)")
    # Seeks one group's month; serves every query the (entity_id, metric) index served.
    db.execute("create index idx_metrics_entity_metric_as_of "
               "on metrics (entity_id, metric, as_of)")
    db.execute("drop index if exists idx_metrics_entity_id_metric")
    db.execute("""insert into figure_spreads
        select m.entity_id, m.metric, substr(m.as_of, 1, 7), min(m.value), max(m.value),
               max(m.unit), count(distinct m.value), count(distinct a.source)
        from metrics m join articles a on a.id = m.article_id
        where m.modality = 'reported' and m.as_of is not null
        group by m.entity_id, m.metric, substr(m.as_of, 1, 7)
        having count(distinct m.value) > 1 and count(distinct a.source) > 1""")
    new, old = _SPREAD_OF_GROUP.format(row="new"), _SPREAD_OF_GROUP.format(row="old")
    db.execute(f"create trigger figure_spreads_insert after insert on metrics "
               f"when {_REPORTED.format(row='new')} begin {new} end")
    db.execute(f"create trigger figure_spreads_delete after delete on metrics "
               f"when {_REPORTED.format(row='old')} begin {old} end")
    # Both groups: a correction may move a figure to another entity, month or modality.
    db.execute(f"create trigger figure_spreads_update after update of entity_id, metric, "
               f"value, unit, modality, as_of, article_id on metrics begin {old} {new} end")


# The home page's chart: stories first seen per week (its Sunday), counted as stories are
# saved, so 26 weeks of a year's million articles are 26 rows, not 150k stories grouped.
LAUNCH_WEEK = "first_seen_week"


@migrations()
def m017_launches_per_week(db: sqlite_utils.Database) -> None:
    """Issue #17: facet_counts also keeps the stories first seen each week."""
    _count(db, "launches", LAUNCH_WEEK, "first_seen",
           "date({row}.first_seen, '-' || strftime('%w', {row}.first_seen) || ' days')")


@migrations()
def m018_entities_with_aliases(db: sqlite_utils.Database) -> None:
    """Issue #17: the queries that look a name up among aliases read only the entities that
    have some (the curated ones), not all of them: 36 ms at a million articles, growing."""
    db.execute("create index idx_entities_with_aliases on entities (id) where aliases != '[]'")


@migrations()
def m019_entity_parent_index(db: sqlite_utils.Database) -> None:
    """Issue #17: a company's page lists the apps whose parent it is; without an index that
    read every entity (450 ms of its 700 at a million articles)."""
    db.table("entities").create_index(["parent_id"], if_not_exists=True)


@migrations()
def m020_entity_parent_index_partial(db: sqlite_utils.Database) -> None:
    """Issue #17: only the few entities with a parent in the index. Over all of them, where
    most parents are null, ANALYZE told the planner a parent matched every row, and a
    company's page read all entities again (22 of its 37 ms at 100k articles)."""
    db.execute("drop index if exists idx_entities_parent_id")
    db.execute("create index idx_entities_parent_id on entities (parent_id) "
               "where parent_id is not null")


@migrations()
def m021_row_counts(db: sqlite_utils.Database) -> None:
    """Issue #17: how many rows each counted table holds, kept by triggers in the writing
    transaction as facet_counts is. An unfiltered table page shows its total; Datasette
    counted it at every request (`select count(*) from articles_public`: 8.8 of an articles
    page's ~30 ms at a million articles, growing with the archive)."""
    db.execute("create table row_counts (source_table text primary key, "
               "count integer not null) without rowid")
    for table in COUNTED_COLUMNS:
        db.execute("insert into row_counts select ?, count(*) from [" + table + "]", [table])
        db.execute(f"""create trigger row_counts_{table}_insert after insert on [{table}]
            begin update row_counts set count = count + 1 where source_table = '{table}'; end""")
        db.execute(f"""create trigger row_counts_{table}_delete after delete on [{table}]
            begin update row_counts set count = count - 1 where source_table = '{table}'; end""")


def _pair_triggers(table: str, narrowing: str, counted: str) -> list[str]:
    """Triggers keeping facet_pair_counts' rows for `counted` of `table` among its rows of
    each value of `narrowing`."""
    both = "{row}.[%s] is not null and {row}.[%s] is not null" % (narrowing, counted)
    key = (f"source_table = '{table}' and narrowing_column = '{narrowing}' and narrowing_value "
           f"= {{row}}.[{narrowing}] and column_name = '{counted}' and value = {{row}}.[{counted}]")
    add = (f"insert into facet_pair_counts select '{table}', '{narrowing}', new.[{narrowing}], "
           f"'{counted}', new.[{counted}], 1 where {both.format(row='new')} "
           f"on conflict do update set count = count + 1;")
    remove = (f"update facet_pair_counts set count = count - 1 where {key.format(row='old')};"
              f"delete from facet_pair_counts where {key.format(row='old')} and count <= 0;")
    name = f"facet_pairs_{table}_{narrowing}_{counted}"
    return [f"create trigger {name}_insert after insert on [{table}] begin {add} end",
            f"create trigger {name}_delete after delete on [{table}] begin {remove} end",
            f"create trigger {name}_update after update of [{narrowing}], [{counted}] "
            f"on [{table}] when old.[{narrowing}] is not new.[{narrowing}] "
            f"or old.[{counted}] is not new.[{counted}] begin {remove} {add} end"]


@migrations()
def m022_filtered_facets_and_sorts(db: sqlite_utils.Database) -> None:
    """Issue #17: a table page narrowed to one value of a counted column (the link a facet
    gives) reads its other facets' counts from facet_pair_counts, kept by triggers as
    facet_counts is: grouping the rows of "source = one outlet" took 75 ms a facet at a
    million articles, and "modality = launched" 500 ms. Both count tables are read in count
    order by an index, not sorted (a facet of 317k entities took 100 ms). The figures and
    launch facts are listed newest first by an index (270 and 227 ms without)."""
    db.execute("""create table facet_pair_counts (
        source_table text not null, narrowing_column text not null, narrowing_value,
        column_name text not null, value, count integer not null,
        primary key (source_table, narrowing_column, narrowing_value, column_name, value))
        without rowid""")
    db.execute("""create index idx_facet_pair_counts_by_count on facet_pair_counts (
        source_table, narrowing_column, narrowing_value, column_name, count desc, value)""")
    db.execute("create index idx_facet_counts_by_count on facet_counts "
               "(source_table, column_name, count desc, value)")
    for table, columns in COUNTED_COLUMNS.items():
        # Read once: each pair grouped from the whole table would read 7 GB of articles.
        db.execute(f"create temp table counted_rows as select "
                   f"{', '.join(f'[{column}]' for column in columns)} from [{table}]")
        for narrowing in columns:
            for counted in columns:
                if counted == narrowing:
                    continue
                db.execute(f"""insert into facet_pair_counts
                    select '{table}', '{narrowing}', [{narrowing}], '{counted}', [{counted}],
                           count(*) from temp.counted_rows
                    where [{narrowing}] is not null and [{counted}] is not null
                    group by [{narrowing}], [{counted}]""")
                for trigger in _pair_triggers(table, narrowing, counted):
                    db.execute(trigger)
        db.execute("drop table temp.counted_rows")
    db.table("metrics").create_index(["as_of"], if_not_exists=True)
    db.table("facts").create_index(["date"], if_not_exists=True)


# Each column a table page facets on, with the order the page lists its rows in: a page
# narrowed to a rare value ("modality = rumored", an outlet new this week) read the whole
# table in that order looking for it (320 ms at a million articles); these read its rows
# in order, and only them. The single-column indexes they start with are dropped.
NARROWED_ORDERS = {
    "articles": (["month", "published"], ["kind", "published"]),
    "launches": (["modality", "first_seen"], ["company_id", "first_seen"]),
    "metrics": (["metric", "as_of"], ["claimant", "as_of"], ["unit", "as_of"]),
    "facts": (["modality", "date"], ["about", "date"]),
    "mentions": (["label"],),
    "entities": (["label"],),
}
REPLACED_INDEXES = ("idx_launches_modality", "idx_launches_company_id", "idx_facts_modality",
                    "idx_articles_kind", "idx_articles_month", "idx_articles_source")


@migrations()
def m023_narrowed_orders(db: sqlite_utils.Database) -> None:
    """Issue #17: a page narrowed to one value of a faceted column lists its rows by an index
    in the page's order (NARROWED_ORDERS)."""
    for table, indexes in NARROWED_ORDERS.items():
        for columns in indexes:
            db.table(table).create_index(columns, if_not_exists=True)
    for index in REPLACED_INDEXES:
        db.execute(f"drop index if exists {index}")


@migrations()
def m024_offered_sorts(db: sqlite_utils.Database) -> None:
    """Issue #17: the sorts a table page offers (metadata.yml's sortable_columns) each read
    an index; the figures by value and the stories by their last article or stated date had
    none (a sort of every row: 330-500 ms at a million articles)."""
    db.table("launches").create_index(["last_seen"], if_not_exists=True)
    db.table("launches").create_index(["date"], if_not_exists=True)
    db.table("metrics").create_index(["value"], if_not_exists=True)


def _triple_triggers(table: str, first: str, second: str, counted: str) -> list[str]:
    """Triggers keeping facet_triple_counts' rows for `counted` of `table` among its rows of
    each value of `first` and of `second` together (`first` < `second`)."""
    columns = (first, second, counted)
    every = " and ".join(f"{{row}}.[{column}] is not null" for column in columns)
    key = (f"source_table = '{table}' and first_column = '{first}' and first_value = "
           f"{{row}}.[{first}] and second_column = '{second}' and second_value = "
           f"{{row}}.[{second}] and column_name = '{counted}' and value = {{row}}.[{counted}]")
    add = (f"insert into facet_triple_counts select '{table}', '{first}', new.[{first}], "
           f"'{second}', new.[{second}], '{counted}', new.[{counted}], 1 "
           f"where {every.format(row='new')} on conflict do update set count = count + 1;")
    remove = (f"update facet_triple_counts set count = count - 1 where {key.format(row='old')};"
              f"delete from facet_triple_counts where {key.format(row='old')} and count <= 0;")
    name = f"facet_triples_{table}_{first}_{second}_{counted}"
    changed = " or ".join(f"old.[{column}] is not new.[{column}]" for column in columns)
    return [f"create trigger {name}_insert after insert on [{table}] begin {add} end",
            f"create trigger {name}_delete after delete on [{table}] begin {remove} end",
            f"create trigger {name}_update after update of {', '.join(f'[{c}]' for c in columns)} "
            f"on [{table}] when {changed} begin {remove} {add} end"]


def counted_triples(table: str) -> list[tuple[str, str, str]]:
    """(first, second, counted) for each pair of `table`'s counted columns, in name order,
    and each other counted column: the counts a page narrowed to two values facets."""
    columns = COUNTED_COLUMNS.get(table, ())
    return [(first, second, counted) for first, second in combinations(sorted(columns), 2)
            for counted in columns if counted not in (first, second)]


@migrations()
def m025_two_value_facets(db: sqlite_utils.Database) -> None:
    """Issue #17: a table page narrowed to values of two counted columns (a facet value's
    link followed by another's) reads its count from facet_pair_counts and its other facets
    from facet_triple_counts, kept by triggers as those are: grouping one outlet's launch
    stories took 355 ms at a million articles, and the user counts reported in users 843."""
    db.execute("""create table facet_triple_counts (
        source_table text not null, first_column text not null, first_value,
        second_column text not null, second_value, column_name text not null, value,
        count integer not null,
        primary key (source_table, first_column, first_value, second_column, second_value,
                     column_name, value)) without rowid""")
    db.execute("""create index idx_facet_triple_counts_by_count on facet_triple_counts (
        source_table, first_column, first_value, second_column, second_value, column_name,
        count desc, value)""")
    for table in COUNTED_COLUMNS:
        triples = counted_triples(table)
        if not triples:
            continue
        columns = COUNTED_COLUMNS[table]
        # Read once, as m022 does: each triple grouped from the whole table would reread it.
        db.execute(f"create temp table counted_rows as select "
                   f"{', '.join(f'[{column}]' for column in columns)} from [{table}]")
        for first, second, counted in triples:
            every = " and ".join(f"[{column}] is not null" for column in (first, second, counted))
            db.execute(f"""insert into facet_triple_counts
                select '{table}', '{first}', [{first}], '{second}', [{second}], '{counted}',
                       [{counted}], count(*) from temp.counted_rows where {every}
                group by [{first}], [{second}], [{counted}]""")
            for trigger in _triple_triggers(table, first, second, counted):
                db.execute(trigger)
        db.execute("drop table temp.counted_rows")


# The order each large table's pages list their rows in, for the indexes of pages narrowed to
# two values whose columns each hold many rows a value (an entity's or a company's own rows
# are few, and read by their one-column index).
PAGE_ORDERS = {"articles": "published", "metrics": "as_of", "facts": "date"}


def twice_narrowed_orders(table: str) -> list[list[str]]:
    """The (first, second, page order) index of each pair of `table`'s counted columns."""
    order = PAGE_ORDERS.get(table)
    if order is None:
        return []
    return [[first, second, order]
            for first, second in combinations(sorted(COUNTED_COLUMNS[table]), 2)]


@migrations()
def m026_twice_narrowed_orders(db: sqlite_utils.Database) -> None:
    """Issue #17: a page narrowed to values of two counted columns lists its rows by an index
    of both in the page's order: by one of them, SQLite walked that value's rows for the
    other's, through most of a table when the two are rare together."""
    for table in PAGE_ORDERS:
        for columns in twice_narrowed_orders(table):
            db.table(table).create_index(columns, if_not_exists=True)
