"""Wiring of the stages: each reads and writes the database; none calls the next."""

from __future__ import annotations

import contextlib
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import sqlite_utils

from crawlers.extensions.storage_guard import STAT as STORAGE_ERROR
from crawlers.extract import ExtractReport, extract_pages, extraction_alongside
from crawlers.sources import Source
from db import connect, crawl_state, shared_connection, launches, store, write_transaction
from db import corrections as corrected
from db.snapshot import write_snapshot
from launchwire.corrections_file import load_corrections
from launchwire.errors import CrawlError, LaunchwireError
from launchwire.settings import Settings, scrapy_overrides
from launchwire.workers import Analysers, Workers, outcomes, pipeline_loader
from nlp import corrections as correction_rules
from nlp import stories
from nlp.cluster import Item
from nlp.corrections import Correction


@dataclass
class CrawlReport:
    articles_before: int
    articles_after: int
    stats: dict[str, Any]
    extracted: ExtractReport

    @property
    def new_articles(self) -> int:
        return self.articles_after - self.articles_before


def _existing(settings: Settings) -> sqlite_utils.Database:
    """The settings' database, which must already be a launchwire database: only `crawl`,
    `run` and `demo` create one (#12)."""
    return connect(settings.db, create=False, busy_timeout=settings.db_busy_timeout)


def crawl(settings: Settings, sources: Iterable[Source], polite: bool = True,
          force: bool = False) -> CrawlReport:
    """Fetch due feeds, sitemaps and new entries, here or through crawl workers when
    `settings.redis_url` names a broker, and extract articles from the pages as they are
    stored (in processes of their own, beside the fetching).

    Scrapy's reactor allows one crawl per process.
    """
    # The crawl's spiders and pipelines use this same connection (#15).
    db = shared_connection(settings.db, busy_timeout=settings.db_busy_timeout)
    before = db.table("articles").count
    with extraction_alongside(settings.db, settings.db_busy_timeout,
                              settings.extract_workers) as extracted:
        stats = _fetch(settings, sources, polite, force)
    # What the extraction beside the fetching left, if it stopped early.
    extracted.add(extract_pages(db, workers=settings.extract_workers))
    return CrawlReport(before, db.table("articles").count, stats, extracted)


def _fetch(settings: Settings, sources: Iterable[Source], polite: bool,
           force: bool) -> dict[str, Any]:
    """Fetch and store raw pages, here or through crawl workers; RETURNS Scrapy's stats."""
    if settings.redis_url:
        # Workers fetch (`launchwire worker crawl`); this process writes (#18).
        from crawlers.cluster.writer import BROKER_ERROR, run_cluster_crawl

        stats = run_cluster_crawl(sources, settings.db, settings.db_busy_timeout,
                                  settings.redis_url, force=force)
        if stats.get(BROKER_ERROR):
            raise CrawlError(f"crawl stopped, the broker {settings.redis_url} is unreachable: "
                             f"{stats[BROKER_ERROR]} (what was not stored is fetched next time)")
    else:
        from crawlers.run import run_crawl  # imports the Twisted reactor: only when crawling

        stats = run_crawl(sources, scrapy_overrides(settings, polite), force=force)
    if stats.get(STORAGE_ERROR):
        raise CrawlError(f"crawl stopped, could not store into {settings.db}: "
                         f"{stats[STORAGE_ERROR]} (what was not stored is fetched next time)")
    return stats


def reextract(settings: Settings, on_page: Callable[[], None] | None = None) -> ExtractReport:
    """Extract every stored page again with the current extractor; no fetching."""
    return extract_pages(_existing(settings), everything=True,
                         workers=settings.extract_workers, on_page=on_page)


@dataclass
class ProcessReport:
    analysed_ids: list[int] = field(default_factory=list)
    corrected: int = 0  # articles a newsroom correction changed this run (#16)
    failed: list[tuple[int, str]] = field(default_factory=list)  # (article id, reason)

    @property
    def analysed(self) -> int:
        return len(self.analysed_ids)


def process(settings: Settings, on_start: Callable[[int], None] | None = None,
            on_article: Callable[[], None] | None = None, pipeline: Any = None,
            workers: Analysers | None = None) -> ProcessReport:
    """Run the NLP pipeline over articles not yet processed by its current version, on
    `settings.process_workers` processes when there is work for them, or on the broker's NLP
    workers in distributed mode (`settings.redis_url`). An article that cannot be analysed is
    recorded (`articles.process_error`) and skipped.

    pipeline (Language | None): an already loaded pipeline, used in this process only (it
        cannot be sent to others; in distributed mode it gives only the version); else the
        settings' model is loaded.
    workers (Analysers | None): workers already started, used instead.
    RETURNS (ProcessReport): how many were analysed, and which failed and why.
    """
    from nlp.gazetteer import gazetteer_version, load_gazetteer
    from nlp.pipeline import load_nlp, pipeline_version

    db = _existing(settings)
    # Read first: a malformed corrections file stops the stage before any work (#16).
    corrections = load_corrections(settings.corrections_path)
    given = pipeline is not None
    # Loaded here even when workers analyse: the version says what is pending, and a model
    # that will not load stops the stage with its own error, not a broken worker.
    pipeline = pipeline or load_nlp(settings.model_name, trained=settings.trained_entities)
    version = pipeline_version(pipeline)
    store.save_known_entities(db, (asdict(entry) for entry in load_gazetteer()),
                              gazetteer_version())
    pending = store.count_to_process(db, version)
    if on_start:
        on_start(pending)
    count = 1 if given else _worker_count(settings, pending)
    with contextlib.ExitStack() as stack:
        if workers is None and settings.redis_url:
            workers = stack.enter_context(_cluster_workers(settings))
        elif workers is None and count > 1:
            workers = stack.enter_context(Workers(count, pipeline_loader(settings)))
        chunks = _chunks(db, version, settings.batch_size)
        analysed = (workers.analyse(chunks, settings.batch_size, version) if workers else
                    ((chunk, outcomes(pipeline, chunk, settings.batch_size))
                     for chunk in chunks))
        report = _save_outcomes(db, analysed, version, on_article)
    # A new model's reading is corrected as the old one was; changed corrections reach all.
    entity_fixes = correction_rules.of_kinds(
        corrections, correction_rules.ENTITY_KINDS + correction_rules.ARTICLE_KINDS)
    digest = correction_rules.digest(entity_fixes)
    report.corrected = corrected.apply_to_analyses(
        db, entity_fixes, digest,
        None if corrected.applied_digest(db) != digest else report.analysed_ids)
    return report


def _cluster_workers(settings: Settings) -> contextlib.AbstractContextManager[Analysers]:
    """The distributed mode's workers, behind the broker (#18): RQ is imported only then."""
    from launchwire.cluster_workers import ClusterWorkers

    return ClusterWorkers(settings.redis_url or "", settings.cluster_lease)


# A worker loads its own pipeline (~3 s of CPU, ~230 MB), about 45 articles' worth of work:
# it starts only with this many chunks to do, so a crawl's few new articles (or the sample's
# 42) are analysed here, by the pipeline already loaded, and an archive on every core (#17).
CHUNKS_PER_WORKER = 4


def _worker_count(settings: Settings, pending: int) -> int:
    """Processes worth starting for this many pending articles; 1: none, this one does it."""
    wanted = settings.process_workers or os.cpu_count() or 1
    return max(1, min(wanted, pending // (settings.batch_size * CHUNKS_PER_WORKER)))


def _chunks(db: sqlite_utils.Database, version: str, size: int) -> Iterator[list[dict]]:
    """The pending articles, a chunk (one `nlp.pipe` batch) at a time, read past the last
    chunk's id: chunks still being analysed are not written yet, so they are still pending.
    Each chunk is read whole, so no read cursor stays open across the writes."""
    after = 0
    while chunk := list(store.articles_to_process(db, version, limit=size, after=after)):
        yield chunk
        after = chunk[-1]["id"]


def _save_outcomes(db: sqlite_utils.Database, analysed: Iterable[tuple[list[dict], list]],
                   version: str, on_article: Callable[[], None] | None) -> ProcessReport:
    """Store each chunk's analyses and failures, in the order read, a chunk per transaction."""
    report = ProcessReport()
    for chunk, results in analysed:
        with write_transaction(db):
            for row, result in zip(chunk, results):
                if isinstance(result, str):
                    store.save_process_error(db, row["id"], result, version)
                    report.failed.append((row["id"], result))
                else:
                    store.save_analysis(db, row["id"], result, version)
                    report.analysed_ids.append(row["id"])
        if on_article:
            for _ in chunk:
                on_article()
    return report


def cluster_launches(db: sqlite_utils.Database,
                     corrections: list[Correction] | None = None) -> int:
    """Place new and re-processed articles in launch stories and refresh those stories, then
    apply the newsroom's corrections to the stories they concern (None: leave them as they
    are, for callers that do not read a corrections file, such as the evaluations).

    Everything happens in one write transaction: a killed run changes nothing, and the next
    run finds the same articles pending.
    RETURNS (int): the number of launches after clustering.
    """
    with write_transaction(db):
        pending = [stories.article_item(article) for article in launches.pending_articles(db)]
        if pending:
            _place(db, pending)
        if corrections is not None:
            _correct_stories(db, corrections)
        return launches.count_stories(db)


def _place(db: sqlite_utils.Database, items: list[Item]) -> None:
    """Place the pending articles, oldest first, among the stories stored; merge stories that
    turn out to be one launch; refresh every story that changed."""
    # A re-processed article leaves its story and is placed again from its new facts.
    touched = launches.release_pending(db)
    reach = stories.look_back(items)
    index = stories.restored_index(
        launches.stored_stories(db), launches.placed_texts(db, since=reach.copies),
        launches.merged_keys(db), launches.waiting_articles(db, since=reach.waiting),
        launches.unplaced_texts(db, since=reach.unplaced))
    placement = stories.place(index, items)
    for story, article_ids in placement.joined:
        launch_id = launches.save_story(db, story)
        launches.add_articles(db, launch_id, article_ids)
        touched.add(launch_id)
    merges = stories.same_product_merges(launches.stories_with_products(db))
    for merge in merges:
        launches.merge_stories(db, merge)
    for launch_id in stories.after_merges(touched, merges):
        _refresh(db, launch_id)
    launches.mark_clustered(db, placement.waiting)
    launches.drop_empty_stories(db)


def _refresh(db: sqlite_utils.Database, launch_id: int) -> None:
    """Recompute a story's fields from its articles, their launch facts and their figures."""
    articles = launches.story_articles(db, launch_id)
    if not articles:
        return
    entity_ids = stories.main_entities(articles)
    figures = launches.figures_about(db, [row["id"] for row in articles], entity_ids,
                                     except_modality=stories.UNCITED_MODALITY)
    launches.update_story(db, launch_id, stories.story_fields(
        articles, launches.entity_names(db, entity_ids), figures))


def _correct_stories(db: sqlite_utils.Database, corrections: list[Correction]) -> None:
    """Each story a correction concerns is refreshed from its articles (so a correction taken
    out of the file is undone), then given what the newsroom set and shown what it corrected."""
    for story in list(corrected.stories_concerned(db, corrections)):
        _refresh(db, story["id"])
        corrected.correct_story(
            db, story["id"], correction_rules.story_overrides(corrections, story["keys"]),
            correction_rules.concerning(corrections, story["keys"], story["names"],
                                        story["urls"]))


def unknown_subject(settings: Settings, correction: Correction) -> str | None:
    """What a new correction names that the settings' database has not seen (None when it
    has, or when there is no database yet to check against)."""
    if not Path(settings.db).exists():
        return None
    return corrected.unknown_subject(_existing(settings), correction)


def cluster(settings: Settings) -> int:
    return cluster_launches(_existing(settings), load_corrections(settings.corrections_path))


def publish(settings: Settings) -> dict[str, int]:
    """Make the database ready to serve; RETURNS row counts of the published tables."""
    db = _existing(settings)
    store.prepare_for_serving(db)
    return {table: db.table(table).count for table in
            ("articles", "entities", "mentions", "metrics", "facts", "launches")}


def snapshot(settings: Settings, path: str | Path) -> dict[str, int]:
    """Write a public-only, immutable copy of the database for `serve --immutable` (#18).

    path (str | Path): the snapshot file, replaced atomically when it exists.
    RETURNS (dict): row counts of every table in the snapshot.
    """
    if Path(path).resolve() == Path(settings.db).resolve():
        raise LaunchwireError(f"{path}: a snapshot cannot replace the database it copies")
    if not Path(path).resolve().parent.is_dir():
        raise LaunchwireError(f"{path}: no such folder to write the snapshot in")
    return write_snapshot(_existing(settings), path)


def stats(settings: Settings) -> dict[str, Any]:
    """Row counts and per-feed health, from the database."""
    db = _existing(settings)
    tables = {name: db.table(name).count for name in
              ("sources", "feeds", "fetches", "articles", "entities", "mentions", "metrics",
               "facts", "launches")}
    return {"tables": tables, "feeds": crawl_state.feed_health(db)}
