"""A newsroom's corrections (#16) applied to stored rows: the write verbs `process` and
`cluster` call after their own work, on every run, so that a correction outlives a new model
and a re-placed article. Each verb changes only rows still wrong: a second run is a no-op.

`process` applies the corrections to every article when they changed since they were last
applied (their digest is kept in `launchwire_meta`), else to the articles it analysed: a
run's cost does not grow with the archive."""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

import sqlite_utils

from db.connection import write_transaction
from db.store import entity_id
from nlp.corrections import ARTICLE_KINDS, ENTITY_KINDS, STORY_KINDS, Correction
from nlp.vocabulary import STAGES

# Every column naming an entity in an article's analysis.
REFERENCES = (("mentions", "entity_id"), ("metrics", "entity_id"), ("facts", "company_id"),
              ("facts", "product_id"))
# The label of an entity a correction names before any article did.
LABELS = {"company": "COMPANY", "product": "PRODUCT"}


def _id(db: sqlite_utils.Database, name: str) -> int | None:
    found = db.execute("select id from entities where name = ? collate nocase order by "
                       "name = ? desc limit 1", [name, name]).fetchone()
    return found[0] if found else None


def _label(db: sqlite_utils.Database, entity: int | None, default: str = "COMPANY") -> str:
    found = entity and db.execute("select label from entities where id = ?", [entity]).fetchone()
    return found[0] if found else default


def _named(db: sqlite_utils.Database, name: str, like: int | None) -> int:
    """The entity with this name, created with the label of the one it is told from."""
    return _id(db, name) or entity_id(db, name, _label(db, like))


def _set_alias(db: sqlite_utils.Database, entity: int, alias: str, present: bool) -> None:
    row = db.execute("select aliases from entities where id = ?", [entity]).fetchone()
    aliases = [a for a in json.loads(row[0] or "[]") if a.lower() != alias.lower()]
    aliases += [alias] if present else []
    db.execute("update entities set aliases = ? where id = ?",
               [json.dumps(aliases, ensure_ascii=False), entity])


class _Rows:
    """Rows of one table that match a condition, within the articles in scope."""

    def __init__(self, db: sqlite_utils.Database, only: list[int] | None) -> None:
        self.db = db
        # One JSON parameter however many articles, rather than one `?` each.
        self.scope = "" if only is None else " and article_id in (select value from json_each(?))"
        self.params = [] if only is None else [json.dumps(only)]

    def update(self, table: str, assign: str, where: str, params: list[Any]) -> set[int]:
        """Set `assign` (its one `?` the first parameter) where `where`; RETURNS the articles
        whose rows changed."""
        touched = {row[0] for row in self.db.execute(
            f"select distinct article_id from {table} where {where}{self.scope}",
            [*params[1:], *self.params])}
        if touched:
            self.db.execute(f"update {table} set {assign} where {where}{self.scope}",
                            [*params, *self.params])
        return touched


def _repoint(rows: _Rows, gone: int, kept: int) -> set[int]:
    """Every reference to one entity made to another; RETURNS the articles changed."""
    touched: set[int] = set()
    for table, column in REFERENCES:
        touched |= rows.update(table, f"{column} = ?", f"{column} = ?", [kept, gone])
    return touched


def _tell_apart(rows: _Rows, name: str, whole: int) -> set[int]:
    """Mentions written `name` that were read as `whole` become their own entity, and so do
    figures and facts whose sentence names it and not `whole`."""
    db = rows.db
    own = _named(db, name, whole)
    whole_name = db.execute("select name from entities where id = ?", [whole]).fetchone()[0]
    touched = rows.update("mentions", "entity_id = ?", "entity_id = ? and text = ? collate nocase",
                          [own, whole, name])
    names_it = "instr(lower(sentence), lower(?)) > 0 and instr(lower(sentence), lower(?)) = 0"
    for table, column in REFERENCES[1:]:
        touched |= rows.update(table, f"{column} = ?", f"{column} = ? and {names_it}",
                               [own, whole, name, whole_name])
    return touched


def _entity_correction(rows: _Rows, correction: Correction) -> set[int]:
    db, f = rows.db, correction.fields
    if correction.kind == "merge":
        gone = _id(db, f["entity"])
        kept = _named(db, f["into"], gone)
        if gone is None or gone == kept:
            return set()
        _set_alias(db, kept, f["entity"], True)
        return _repoint(rows, gone, kept)
    if correction.kind == "alias-add":
        entity = _named(db, f["entity"], _id(db, f["alias"]))
        _set_alias(db, entity, f["alias"], True)
        other = _id(db, f["alias"])
        touched = _repoint(rows, other, entity) if other not in (None, entity) else set()
        # The model may have linked the alias to some other entity.
        return touched | rows.update("mentions", "entity_id = ?",
                                     "text = ? collate nocase and entity_id != ?",
                                     [entity, f["alias"], entity])
    # split: `entity` was read as `from`; alias-remove: `alias` is not a name of `entity`.
    name, whole = ((f["entity"], f["from"]) if correction.kind == "split"
                   else (f["alias"], f["entity"]))
    whole_id = _id(db, whole)
    if whole_id is None:
        return set()
    _set_alias(db, whole_id, name, False)
    return _tell_apart(rows, name, whole_id)


def _article_correction(db: sqlite_utils.Database, correction: Correction,
                        only: list[int] | None) -> set[int]:
    f = correction.fields
    found = db.execute("select id from articles where url = ?", [f["article"]]).fetchone()
    if found is None or (only is not None and found[0] not in only):
        return set()
    if correction.kind == "figure-wrong":
        sql, params = "delete from metrics where article_id = ? and metric = ?", [found[0],
                                                                                   f["metric"]]
        if f.get("value") is not None:
            sql, params = sql + " and value = ?", [*params, float(f["value"])]
    else:
        sql, params = "delete from facts where article_id = ?", [found[0]]
        if f.get("product"):
            sql += " and product_id in (select id from entities where name = ? collate nocase)"
            params.append(f["product"])
    return {found[0]} if db.execute(sql, params).rowcount else set()


# What must already be in the database for a correction to mean anything: kind → (field,
# what it names); a company or entity it sets may be new.
MUST_EXIST = {"company": ("story", "story"), "product": ("story", "story"),
              "modality": ("story", "story"), "merge": ("entity", "entity"),
              "split": ("from", "entity"), "alias-remove": ("entity", "entity"),
              "figure-wrong": ("article", "article"), "fact-wrong": ("article", "article")}


def unknown_subject(db: sqlite_utils.Database, correction: Correction) -> str | None:
    """What a correction names that this database has never seen, if anything (a story key
    mistyped, an article URL from elsewhere), said in a line."""
    if correction.kind not in MUST_EXIST:
        return None
    name, what = MUST_EXIST[correction.kind]
    value = correction.fields[name]
    sql = {"story": "select 1 from launches where story_key = :v union all "
                    "select 1 from launch_merges where story_key = :v",
           "entity": "select 1 from entities where name = :v collate nocase",
           "article": "select 1 from articles where url = :v"}[what]
    if db.execute(sql, {"v": value}).fetchone():
        return None
    return f"no {what} {value!r} in {db.conn.execute('pragma database_list').fetchone()[2]}"


def applied_digest(db: sqlite_utils.Database) -> str | None:
    """The digest of the corrections last applied to every article, if any."""
    found = db.execute("select value from launchwire_meta where key = 'corrections'").fetchone()
    return found[0] if found else None


def apply_to_analyses(db: sqlite_utils.Database, corrections: Iterable[Correction],
                      digest: str, only: Iterable[int] | None = None) -> int:
    """Apply entity merges, splits and aliases and wrong figures and facts, in file order, to
    stored analyses; an article changed is placed again by `cluster`.

    digest (str): the corrections' digest, kept when they were applied to every article.
    only (Iterable[int] | None): the articles to correct; None: every article.
    RETURNS (int): the number of articles changed.
    """
    scope = None if only is None else sorted(set(only))
    rows = _Rows(db, scope)
    touched: set[int] = set()
    with write_transaction(db):
        for correction in corrections:
            if correction.kind in ENTITY_KINDS:
                touched |= _entity_correction(rows, correction)
            elif correction.kind in ARTICLE_KINDS:
                touched |= _article_correction(db, correction, scope)
        for article in touched:
            db.execute("update articles set clustered_at = null where id = ?", [article])
        if scope is None:
            db.execute("insert or replace into launchwire_meta (key, value) "
                       "values ('corrections', ?)", [digest])
    return len(touched)


def stories_concerned(db: sqlite_utils.Database,
                      corrections: list[Correction]) -> Iterator[dict[str, Any]]:
    """Stories a correction may concern, and those that showed one before (a correction taken
    out of the file is taken off its story): id, keys, names, urls.

    YIELDS (dict): id, keys (its key and those merged into it), names (product, company),
        urls (its articles').
    """
    keys = [c.fields["story"] for c in corrections if c.kind in STORY_KINDS]
    names = [str(v).lower() for c in corrections if c.kind in ENTITY_KINDS
             for v in c.fields.values()]
    urls = [c.fields["article"] for c in corrections if c.kind in ARTICLE_KINDS]

    def marks(values: list) -> str:
        return ", ".join("?" * len(values))
    rows = list(db.query(f"""
        select l.id, l.story_key, lower(p.name) as product, lower(c.name) as company
        from launches l left join entities p on p.id = l.product_id
        left join entities c on c.id = l.company_id
        where l.corrections is not null
           or l.story_key in ({marks(keys)})
           or l.id in (select launch_id from launch_merges where story_key in ({marks(keys)}))
           or lower(p.name) in ({marks(names)}) or lower(c.name) in ({marks(names)})
           or l.id in (select la.launch_id from launch_articles la join articles a
                       on a.id = la.article_id where a.url in ({marks(urls)}))""",
                         [*keys, *keys, *names, *names, *urls]))
    for row in rows:
        yield {"id": row["id"], "names": {row["product"], row["company"]} - {None},
               "keys": {row["story_key"]} | {r[0] for r in db.execute(
                   "select story_key from launch_merges where launch_id = ?", [row["id"]])},
               "urls": {r[0] for r in db.execute(
                   "select a.url from launch_articles la join articles a on a.id = la.article_id "
                   "where la.launch_id = ?", [row["id"]])}}


def correct_story(db: sqlite_utils.Database, launch_id: int, overrides: dict[str, str],
                  shown: list[Correction]) -> None:
    """Set what the newsroom set of a story, and record what it shows as corrected and when;
    its `updated` moves to the latest correction's date, so feed readers see the change."""
    with write_transaction(db):
        db.table("launches").update(launch_id, _corrected(db, launch_id, overrides, shown))


def _stage(db: sqlite_utils.Database, launch_id: int, modality: str) -> dict[str, Any]:
    """A story set back (or on) to a stage: the later stages' dates were read wrongly too, so
    its timeline and date end at that stage."""
    row = next(db.query("select * from launches where id = ?", [launch_id]))
    later = STAGES[STAGES.index(modality) + 1:]
    values: dict[str, Any] = {"modality": modality, **{f"{s}_on": None for s in later}}
    values["date"] = row[f"{modality}_on"] or next(
        (row[f"{s}_on"] for s in reversed(STAGES[:STAGES.index(modality)]) if row[f"{s}_on"]),
        (row["first_seen"] or "")[:10] or None)
    return values


def _corrected(db: sqlite_utils.Database, launch_id: int, overrides: dict[str, str],
               shown: list[Correction]) -> dict[str, Any]:
    values: dict[str, Any] = {"corrections": None, "corrected_on": None}
    for kind in ("company", "product"):
        if kind in overrides:
            values[f"{kind}_id"] = _id(db, overrides[kind]) or entity_id(
                db, overrides[kind], LABELS[kind])
    if "modality" in overrides:
        values.update(_stage(db, launch_id, overrides["modality"]))
    if shown:
        values["corrections"] = json.dumps(
            [{"kind": c.kind, "what": c.describe(), "note": c.note, "date": c.date.isoformat()}
             for c in shown], ensure_ascii=False)
        latest = max(c.date for c in shown).isoformat()
        values["corrected_on"] = latest
        updated = db.execute("select updated from launches where id = ?",
                             [launch_id]).fetchone()[0]
        # Stored times are ISO text in UTC, so text order is time order.
        values["updated"] = max(updated or "", f"{latest}T00:00:00+00:00")
    return values
