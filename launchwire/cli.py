"""launchwire's command line: one click group, a command per stage."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawlers.sources import Source, SourcesFileError, load_sources
from db import DatabaseFileError
from db.connection import check_database
from db.snapshot import is_snapshot
from launchwire.errors import LaunchwireError
from launchwire.settings import SETTING_NAMED, Settings, load_settings, scrapy_overrides
from nlp.corrections import KINDS, CorrectionsFileError, make_correction
from nlp.errors import ModelLoadError
from nlp.vocabulary import STAGES

console = Console(stderr=True)
# Library errors a user can act on: shown as one line, exit status 1.
USER_ERRORS = (LaunchwireError, SourcesFileError, ModelLoadError, DatabaseFileError,
               CorrectionsFileError, sqlite3.DatabaseError, OSError)
DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def _stages() -> Any:
    """launchwire.stages, imported when a command runs a stage: it loads spaCy, SciPy and
    datasketch (1.5 s, 130 MB), which `--help`, `serve` and the light commands never need."""
    from launchwire import stages

    return stages


def friendly_errors(command: Callable) -> Callable:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except USER_ERRORS as error:
            if isinstance(error, OSError) and error.errno in DISK_FULL:
                # Any write may be the one that fails: say what to do, not only which call.
                raise click.ClickException(f"the disk is full (or a file size limit was "
                                           f"reached): {error}") from error
            raise click.ClickException(str(error)) from error
    return wrapper


def setting_option(name: str, *param_decls: str,
                   **attrs: Any) -> Callable[[Callable], Callable]:
    """A flag for one setting, its help, environment variable, type and default shown read from
    the Setting table (#15). It stays None unless given: load_settings applies the default."""
    setting = SETTING_NAMED[name]
    if setting.default is not None:
        attrs.setdefault("type", type(setting.default))
    return click.option(*param_decls, default=None, help=setting.help, envvar=setting.env_var,
                        show_envvar=True, show_default=_shown_default(setting.default), **attrs)


def _shown_default(default: Any) -> str | bool:
    """A computed default (None here) is told by the setting's help instead."""
    return False if default is None else str(default)


db_option = setting_option("db", "--db", "db_path", type=click.Path(dir_okay=False))
sources_option = setting_option("sources", "--sources", "sources_path",
                                type=click.Path(dir_okay=False))
model_option = setting_option("spacy_model", "--model")
port_option = setting_option("port", "--port")
cluster_option = setting_option("redis_url", "--cluster", "cluster")
corrections_option = setting_option("corrections", "--corrections", "corrections_path",
                                    type=click.Path(dir_okay=False))


def _settings(**overrides: Any) -> Settings:
    return load_settings(overrides)


def _crawl(settings: Settings, sources: list[Source], polite: bool = True,
           force: bool = False) -> None:
    with console.status(f"Crawling {len(sources)} source(s) into {settings.db} …"):
        report = _stages().crawl(settings, sources, polite=polite, force=force)
    pages = report.stats.get("launchwire/store_crawl/pages", 0)
    problems = report.extracted.failed + report.stats.get("launchwire/refused", 0)
    console.print(f"[green]crawl[/]: {pages} page(s) fetched, {report.new_articles} new "
                  f"article(s), {report.extracted.duplicates} duplicate(s), "
                  f"{report.articles_after} in all"
                  + (f"; {problems} refused or unusable, see `launchwire stats`" if problems else ""))


def _process(settings: Settings) -> None:
    with Progress(TextColumn("[bold]process"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task("process", total=None)
        report = _stages().process(settings,
                                on_start=lambda total: progress.update(task, total=total),
                                on_article=lambda: progress.advance(task))
    console.print(f"[green]process[/]: {report.analysed} article(s) analysed with "
                  f"{settings.model_name}" + (
                      f"; {report.corrected} changed by corrections" if report.corrected
                      else "") + (
                      f"; {len(report.failed)} could not be (articles.process_error), "
                      f"first: article {report.failed[0][0]}: {report.failed[0][1]}"
                      if report.failed else ""))


def _cluster(settings: Settings) -> None:
    console.print(f"[green]cluster[/]: {_stages().cluster(settings)} launch(es)")


def _publish(settings: Settings) -> None:
    counts = _stages().publish(settings)
    console.print("[green]publish[/]: " + ", ".join(f"{n} {t}" for t, n in counts.items()))


def _serve(settings: Settings, private: bool = False, immutable: bool = False) -> None:
    from publish.site import serve

    url = f"http://{settings.host}:{settings.port}"
    shown = "everything, full text included" if private else "titles, links, summaries and facts"
    click.echo(f"Serving launchwire at {url}, showing {shown}"
               + (", from an immutable snapshot" if immutable else "") + "  (Ctrl-C to stop)")
    # Feeds and OPML link to the configured URL, never to a request's Host header (#12).
    serve(settings.db, settings.host, settings.port, private, base_url=settings.site_url,
          immutable=immutable, page_cache_mb=settings.page_cache_mb,
          workers=settings.serve_workers or os.cpu_count() or 1)


@click.group()
@click.version_option(package_name="launchwire")
def cli() -> None:
    """Crawl tech news, extract launches, companies, apps and metrics, publish them."""


@cli.command()
@db_option
@sources_option
@click.option("--force", is_flag=True, help="check every feed now, whatever its schedule")
@cluster_option
@friendly_errors
def crawl(db_path: str | None, sources_path: str | None, force: bool,
          cluster: str | None) -> None:
    """Fetch the feeds and sitemaps that are due and store their new articles."""
    settings = _settings(db=db_path, sources=sources_path, redis_url=cluster)
    _crawl(settings, load_sources(settings.sources), force=force)


@cli.command()
@db_option
@friendly_errors
def reextract(db_path: str | None) -> None:
    """Extract every stored page again with the current extractor (no fetching)."""
    settings = _settings(db=db_path)
    with Progress(TextColumn("[bold]reextract"), BarColumn(), MofNCompleteColumn(),
                  console=console) as progress:
        task = progress.add_task("reextract", total=None)
        report = _stages().reextract(settings, on_page=lambda: progress.advance(task))
    console.print(f"[green]reextract[/]: {report.updated} updated, {report.stored} new, "
                  f"{report.duplicates} duplicate(s), {report.failed} without an article")


@cli.command(name="extract")
@click.argument("files", nargs=-1, required=True)
@click.option("--url", default="http://localhost/", show_default=True,
              help="the URL the page was fetched from (for relative links and metadata)")
@friendly_errors
def extract_command(files: tuple[str, ...], url: str) -> None:
    """Print each saved page's article as a JSON line, as the crawler would extract it.

    FILES are HTML files (gzipped or not), or - for standard input.
    """
    from crawlers.extract import read_page
    from launchwire.inputs import page_bytes

    limit = _settings().download_maxsize
    for name in files:
        extracted, encoding = read_page(page_bytes(name, limit), url)
        record = {"file": name, "encoding": encoding, "title": None, "author": None,
                  "published": None, "text": None, "language": None}
        if extracted is not None:
            record.update(title=extracted.title, author=extracted.author,
                          published=extracted.published, text=extracted.text,
                          language=extracted.lang)
        click.echo(json.dumps(record, ensure_ascii=False))


@cli.command()
@db_option
@model_option
@corrections_option
@setting_option("process_workers", "--workers", "workers")
@cluster_option
@friendly_errors
def process(db_path: str | None, model: str | None, corrections_path: str | None,
            workers: int | None, cluster: str | None) -> None:
    """Extract entities, metrics and launch facts from articles not yet processed."""
    _process(_settings(db=db_path, spacy_model=model, corrections=corrections_path,
                       process_workers=workers, redis_url=cluster))


@cli.command()
@db_option
@corrections_option
@friendly_errors
def cluster(db_path: str | None, corrections_path: str | None) -> None:
    """Group launch facts into launch stories across outlets."""
    _cluster(_settings(db=db_path, corrections=corrections_path))


@cli.command()
@db_option
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="also write every Atom/RSS feed and an OPML list of them as files here")
@setting_option("base_url", "--base-url")
@click.option("--snapshot", "snapshot_path", type=click.Path(dir_okay=False), default=None,
              help="instead, write a public-only, immutable copy of the database here for "
                   "`serve --immutable` (replaced atomically; the database is only read)")
@friendly_errors
def publish(db_path: str | None, out: str | None, base_url: str | None,
            snapshot_path: str | None) -> None:
    """Prepare the database for serving (search index, planner statistics), or write a
    snapshot of it for read-only replicas."""
    settings = _settings(db=db_path, base_url=base_url)
    if snapshot_path:
        # The copy gets its own index and statistics: no write lock to wait for while `run`
        # writes (#18).
        counts = _stages().snapshot(settings, snapshot_path)
        console.print(f"[green]publish[/]: snapshot {snapshot_path}: {counts['articles']} "
                      f"articles, {counts['launches']} launches, no full text")
    else:
        _publish(settings)
    if out:
        from publish.export import export_feeds

        written = export_feeds(settings.db, out, settings.site_url)
        console.print(f"[green]publish[/]: {written} feed file(s) in {out}")


@cli.command()
@db_option
@setting_option("host", "--host")
@port_option
@click.option("--private", is_flag=True,
              help="show everything, articles' full text and SQL included (a newsroom's own site)")
@click.option("--immutable", is_flag=True,
              help="serve a snapshot written by `publish --snapshot` as immutable: no locking, "
                   "table counts precomputed; any number of replicas may serve one file")
@setting_option("serve_workers", "--workers", "workers", type=click.IntRange(min=0))
@friendly_errors
def serve(db_path: str | None, host: str | None, port: int | None, private: bool,
          immutable: bool, workers: int | None) -> None:
    """Serve the database as a Datasette site (public: no full text, no arbitrary SQL)."""
    settings = _settings(db=db_path, host=host, port=port, serve_workers=workers)
    check_database(settings.db, current=True)
    if immutable and not is_snapshot(settings.db):
        # Read as immutable, a live database would be served without its write-ahead log.
        raise click.ClickException(f"{settings.db}: not a snapshot; write one with "
                                   "`launchwire publish --snapshot PATH` and serve that")
    _serve(settings, private, immutable)


local_cluster_option = click.option(
    "--local-cluster", "local_workers", type=click.IntRange(min=1), default=None,
    metavar="N", help="run distributed on this machine: a Redis of the run's own (Debian's "
                      "redis-server) and N crawl and N NLP worker processes, stopped after")


@contextlib.contextmanager
def _distributed(settings: Settings, local_workers: int | None,
                 worker_env: dict[str, str] | None = None) -> Iterator[Settings]:
    """The settings a run goes on with: as given, or pointed at a local cluster started for
    it (#18)."""
    if local_workers is None:
        yield settings
        return
    if settings.redis_url:
        raise click.UsageError("--local-cluster starts its own broker: leave out --cluster")
    from launchwire.local_cluster import LocalCluster

    with LocalCluster(local_workers, worker_env) as url:
        console.print(f"Local cluster: Redis at {url}, {local_workers} crawl and "
                      f"{local_workers} NLP worker(s)")
        yield dataclasses.replace(settings, redis_url=url)


@cli.command()
@db_option
@sources_option
@cluster_option
@local_cluster_option
@friendly_errors
def run(db_path: str | None, sources_path: str | None, cluster: str | None,
        local_workers: int | None) -> None:
    """Crawl, process, cluster and publish, one after another."""
    settings = _settings(db=db_path, sources=sources_path, redis_url=cluster)
    with _distributed(settings, local_workers) as settings:
        _crawl(settings, load_sources(settings.sources))
        _process(settings)
    _cluster(settings)
    _publish(settings)


@cli.command()
@db_option
@click.option("--serve/--no-serve", default=True, help="serve the site when done")
@port_option
@local_cluster_option
@friendly_errors
def demo(db_path: str | None, serve: bool, port: int | None, local_workers: int | None) -> None:
    """Run everything on the bundled sample site, served on 127.0.0.1, then serve the result."""
    from launchwire.sample_site import SampleServer

    settings = _settings(db=db_path, port=port)
    # The sample site is ours, on loopback: its crawl workers need not wait between requests.
    with SampleServer(port=settings.sample_port) as sample, _distributed(
            settings, local_workers, {"LAUNCHWIRE_DOWNLOAD_DELAY": "0"}) as settings:
        console.print(f"Sample site at {sample.base_url}")
        _crawl(settings, sample.site.sources(), polite=False)
        _process(settings)
    _cluster(settings)
    _publish(settings)
    if serve:
        _serve(settings)


@cli.group()
def worker() -> None:
    """Work for a distributed run (--cluster): start any number, on any machine that reaches
    the broker; each runs until stopped (Ctrl-C, SIGTERM)."""


@worker.command(name="crawl")
@cluster_option
@setting_option("worker_hosts", "--hosts", "hosts")
@friendly_errors
def worker_crawl(cluster: str | None, hosts: int | None) -> None:
    """Fetch for `launchwire crawl --cluster`: one host at a time per lease, politely."""
    settings = _settings(redis_url=cluster, worker_hosts=hosts)
    if not settings.redis_url:
        raise click.UsageError("a worker needs the broker: --cluster redis://host:port/db")
    from crawlers.cluster.worker import run_worker  # imports the Twisted reactor

    console.print(f"Crawl worker on {settings.redis_url}, {settings.worker_hosts} host(s) at "
                  "a time (Ctrl-C to stop)")
    stats = run_worker(settings.redis_url, scrapy_overrides(settings), settings.worker_hosts)
    console.print(f"[green]worker crawl[/]: {stats.get('launchwire/cluster/answers', 0)} "
                  "task(s) answered")


@cli.command()
@click.argument("file", type=click.File("rb"))
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json",
              show_default=True)
@model_option
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="the text's publication date, against which \"on Tuesday\" is read")
@friendly_errors
def analyze(file: Any, output_format: str, model: str | None, published: Any) -> None:
    """Analyse plain text (FILE, or - for stdin) and print entities, metrics and launches."""
    from crawlers.language import text_language
    from launchwire.inputs import plain_text
    from nlp.extract import analyze_in_language
    from nlp.pipeline import load_nlp

    text = plain_text(file)
    settings = _settings(spacy_model=model)
    day = published.date().isoformat() if published else None
    pipeline = load_nlp(settings.model_name, trained=settings.trained_entities)
    analysis = next(analyze_in_language(pipeline, [text], [text_language(text)], [day]))
    contract = analysis.to_contract()
    if output_format == "json":
        click.echo(json.dumps(contract, ensure_ascii=False, indent=2))
        return
    for entity in contract["entities"]:
        click.echo(f"{entity['label']:8} {entity['text']}")
    for metric in contract["metrics"]:
        click.echo(f"{metric['metric']:8} {metric['text']} ({metric['subject']}, {metric['modality']})")
    for launch in contract["launches"]:
        stated = ", ".join(f"{key} {launch[key]}" for key in ("date", "platform", "region", "price")
                           if launch[key])
        click.echo(f"launch   {launch['company']} → {launch['product']} ({launch['modality']})"
                   + (f": {stated}" if stated else ""))
    click.echo(f"summary  {contract['summary']}")


@cli.command()
@db_option
@friendly_errors
def stats(db_path: str | None) -> None:
    """Print table sizes and each feed's health."""
    settings = _settings(db=db_path)
    report = _stages().stats(settings)
    out = _stdout_console()
    tables = Table("table", "rows", title="launchwire database")
    for name, count in report["tables"].items():
        tables.add_row(name, str(count))
    out.print(tables)
    feeds = Table("source", "feed", "health", "status", "items", "newest (days)", "failures",
                  "last success", "problem", title="feeds and sitemaps")
    for feed in report["feeds"]:
        feeds.add_row(feed["source"], feed["url"], feed["health"], _text(feed["status"]),
                      _text(feed["items"]), _text(feed["newest_item_age_days"]),
                      _text(feed["consecutive_failures"]), _text(feed["last_success_at"]),
                      feed["soft_block"] or feed["last_error"] or "")
    out.print(feeds)


def _stdout_console() -> Console:
    """Tables on stdout; piped or redirected, they get room rather than a 80-column squeeze."""
    return Console(file=sys.stdout, width=None if sys.stdout.isatty() else 200)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@cli.command(name="sources")
@sources_option
@friendly_errors
def list_sources(sources_path: str | None) -> None:
    """Validate the sources file and list its sources."""
    settings = _settings(sources=sources_path)
    table = Table("name", "language", "region", "feeds", "sitemaps", title=settings.sources)
    for source in load_sources(settings.sources):
        table.add_row(source.name, source.language, source.region or "",
                      "\n".join(source.feeds), "\n".join(source.sitemaps))
    _stdout_console().print(table)


@cli.group()
def correct() -> None:
    """Record a newsroom's correction in the corrections file; every stage it concerns
    applies it on each run (process: entities, figures, facts; cluster: stories)."""


# What each kind of correction says, for its command's help (#16).
CORRECTION_HELP = {
    "company": "Set the company of the story STORY (its key, as in /-/launch/KEY).",
    "product": "Set the product of the story STORY.",
    "modality": "Set the stage a story's launch has reached.",
    "merge": "Read ENTITY as INTO wherever it is named (two names of one entity).",
    "split": "Tell ENTITY apart from FROM, which it was read as (two entities, not one).",
    "alias-add": "Make ALIAS a name of ENTITY.",
    "alias-remove": "ALIAS is not a name of ENTITY: its mentions become their own entity.",
    "figure-wrong": "Mark an article's METRIC figure wrong (all of them, or --value's).",
    "fact-wrong": "Mark an article's launch fact wrong (all of them, or --product's).",
}


def _correction_command(kind: str) -> click.Command:
    """The `correct KIND` command: the kind's required fields as arguments, its optional ones
    as options, and the note and date every correction has."""
    required, optional = KINDS[kind]

    @friendly_errors
    def command(db_path: str | None, corrections_path: str | None, note: str, when: Any,
                force: bool, **fields: Any) -> None:
        settings = _settings(db=db_path, corrections=corrections_path)
        try:
            correction = make_correction(kind, fields, note, when.date() if when else None)
        except ValueError as error:
            raise click.UsageError(str(error)) from error
        from launchwire.corrections_file import add_correction

        problem = _stages().unknown_subject(settings, correction)
        if problem and not force:
            raise click.ClickException(f"{problem} (--force records it all the same)")
        add_correction(settings.corrections_path, correction)
        click.echo(f"{settings.corrections_path}: {correction.describe()} "
                   f"({correction.date.isoformat()}); it holds from the next run of the "
                   "stages it concerns")

    params: list[click.Parameter] = [
        click.Argument([name], type=click.Choice(STAGES) if name == "modality" else str,
                       metavar=name.upper())
        for name in required]
    params += [click.Option([f"--{name}"], type=float if name == "value" else str,
                            default=None, help=f"only the one with this {name}")
               for name in optional]
    force_option = click.option("--force", is_flag=True,
                                help="record it even if the database has no such story, "
                                     "entity or article (yet)")
    date_option = click.option("--date", "when", type=click.DateTime(formats=["%Y-%m-%d"]),
                               default=None, help="when it was made (default: today)")
    note_option = click.option("--note", required=True, help="why, in the newsroom's words")
    for decorate in (force_option, date_option, note_option, corrections_option, db_option):
        command = decorate(command)
    return click.Command(kind, callback=command, params=params + command.__click_params__,
                         help=CORRECTION_HELP[kind])


for _kind in KINDS:
    correct.add_command(_correction_command(_kind))


@correct.command(name="list")
@db_option
@corrections_option
@friendly_errors
def list_corrections(db_path: str | None, corrections_path: str | None) -> None:
    """Check the corrections file and list its corrections."""
    from launchwire.corrections_file import load_corrections

    settings = _settings(db=db_path, corrections=corrections_path)
    table = Table("line", "date", "kind", "what", "note", title=str(settings.corrections_path))
    for item in load_corrections(settings.corrections_path):
        table.add_row(str(item.line), item.date.isoformat(), item.kind, item.describe(),
                      item.note)
    _stdout_console().print(table)


# Quality figures (`make eval`): the runners read the sets, nlp.scoring scores them.
json_option = click.option("--json", "as_json", is_flag=True, help="print the scores as JSON")
split_option = click.option("--split", type=click.Choice(["dev", "test"]), default="dev",
                            show_default=True, help="the development set, or the held-out one")


@cli.group()
def evaluate() -> None:
    """Score the pipeline on the team's sets and on real published text."""


@evaluate.command(name="team")
@click.option("--task", type=click.Choice(["entities", "metrics", "launches", "summaries",
                                           "all"]), default="all", show_default=True)
@model_option
@json_option
@click.option("--errors", is_flag=True, help="list the entity names missed and spurious")
def evaluate_team(task: str, model: str | None, as_json: bool, errors: bool) -> None:
    """Entities, figures, launches and summaries on the team's dev sets (tests/data)."""
    from launchwire import evaluate_team as runner

    runner.report(_settings(spacy_model=model).model_name, task, as_json, errors)


@evaluate.command(name="stories")
@model_option
@json_option
@click.option("--errors", is_flag=True, help="list the stories split or joined")
def evaluate_stories(model: str | None, as_json: bool, errors: bool) -> None:
    """Launch stories through the real stages, a day at a time, scored pairwise."""
    from launchwire import evaluate as runner

    runner.report(_settings(spacy_model=model).model_name, as_json, errors)


@evaluate.command(name="real")
@click.option("--split", type=click.Choice(["dev", "test", "untrained"]), default="test",
              show_default=True,
              help="untrained: the dev passages the recogniser never learns from")
@model_option
@click.option("--layers", is_flag=True, help="what each entity layer adds")
@click.option("--public", is_flag=True, help="WNUT-17 and CoNLL-2003 dev")
@click.option("--real/--no-real", default=True, help="the real-text sets (or skip them)")
@click.option("--stock", is_flag=True,
              help="with the stock model's recogniser in place of the trained one")
@json_option
def evaluate_real(split: str, model: str | None, layers: bool, public: bool, real: bool,
                  stock: bool, as_json: bool) -> None:
    """Entities, figures and launches on the real-text sets in ../shared/corpora."""
    from launchwire import evaluate_real as runner

    runner.report(_settings(spacy_model=model).model_name, split, layers, public, real, stock,
                  as_json)


@evaluate.command(name="chinese")
@split_option
@json_option
def evaluate_chinese(split: str, as_json: bool) -> None:
    """Chinese news, translated commentary and bilingual passages (the team's sets)."""
    from launchwire import evaluate_chinese as runner

    runner.report(split, as_json)


@evaluate.command(name="commentary")
@split_option
@json_option
def evaluate_commentary(split: str, as_json: bool) -> None:
    """Commentary told from news, and its summaries beside TextRank and Lead-3."""
    from launchwire import evaluate_commentary as runner

    runner.report(split, as_json)


@evaluate.command(name="text")
@model_option
@click.option("--articles", type=int, default=300, show_default=True,
              help="articles for the quoting budget")
@click.option("--long", "long_articles", type=int, default=40, show_default=True,
              help="long articles for pieces against whole")
@click.option("--max-chars", type=int, default=60_000, show_default=True,
              help="longest article analysed whole (the metric rules are quadratic)")
@json_option
def evaluate_text(model: str | None, articles: int, long_articles: int, max_chars: int,
                  as_json: bool) -> None:
    """How `process` handles real articles: the quoting budget, long texts in pieces."""
    from launchwire import real_text as runner

    runner.report(_settings(spacy_model=model).model_name, articles, long_articles, max_chars,
                  as_json)


@worker.command(name="nlp")
@cluster_option
@model_option
@click.option("--burst", is_flag=True, help="stop once the queue is empty")
@friendly_errors
def worker_nlp(cluster: str | None, model: str | None, burst: bool) -> None:
    """Analyse the batches `process --cluster` enqueues, with a pipeline loaded once."""
    _nlp_worker(_settings(redis_url=cluster, spacy_model=model), burst)


def _nlp_worker(settings: Settings, burst: bool) -> None:
    from launchwire.cluster_workers import QUEUE, run_worker  # RQ only in distributed mode

    if not settings.redis_url:
        raise click.UsageError("name the broker: --cluster redis://host:port/db "
                               "(or LAUNCHWIRE_REDIS_URL)")
    run_worker(settings, burst, on_ready=lambda version: console.print(
        f"[green]worker nlp[/]: pipeline {version} loaded, taking batches from "
        f"{QUEUE} on {settings.redis_url}"))
