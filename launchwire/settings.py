"""Every launchwire setting in one place: defaults < LAUNCHWIRE_* environment < CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from launchwire import __version__

# The crawler has always named the release line, not the patch level ("launchwire/0.1").
RELEASE_LINE = ".".join(__version__.split(".")[:2])
HOMEPAGE = "https://github.com/launchwire/launchwire"


@dataclass(frozen=True)
class Setting:
    """One setting as Datasette describes its own (`datasette/app.py`): the CLI's help and the
    docs test read these."""

    name: str
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return "LAUNCHWIRE_" + self.name.upper()


def _setting(default: Any, help: str) -> Any:
    """A Settings field: its default is the setting's only one, its help the CLI's (#15)."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Resolved settings, passed down explicitly to each stage."""

    db: str = _setting("launchwire.db", "SQLite database file")
    sources: str = _setting("sources.toml", "TOML file listing the sources to crawl")
    corrections: str | None = _setting(None, "TOML file of the newsroom's corrections, written "
                                             "by `correct` (default: corrections.toml beside "
                                             "the database)")
    spacy_model: str | None = _setting(None, "spaCy pipeline to load (default: en_core_web_sm, "
                                             "else its re-upload)")
    trained_entities: bool = _setting(True, "read entities with the trained recogniser in "
                                            "nlp/models/entities (0: with the stock model's own "
                                            "`ner`)")
    batch_size: int = _setting(32, "articles per nlp.pipe batch in `process`")
    # 1 until a speed-up is measured on cores of our own (only shared ones so far, #17); then
    # 0, all cores, so a new model re-processes the archive on all of them (#18). A run with
    # few new articles starts fewer workers or none (stages._worker_count).
    process_workers: int = _setting(0, "most processes analysing articles in `process`, each "
                                       "with its own pipeline (~230 MB), one per 4 batches "
                                       "pending; 0: one per core")
    db_busy_timeout: float = _setting(120.0, "seconds a stage waits for another stage's write to "
                                             "the database before it stops with an error")
    user_agent: str = _setting(f"launchwire/{RELEASE_LINE} (+{HOMEPAGE})",
                               "User-Agent the crawler identifies itself with")
    download_timeout: int = _setting(20, "seconds before a request is abandoned")
    concurrent_per_domain: int = _setting(2, "simultaneous requests to one domain")
    download_delay: float = _setting(0.5, "seconds between requests to one domain")
    download_maxsize: int = _setting(10 * 1024 * 1024, "bytes above which a response is abandoned")
    retry_after_max: int = _setting(30, "longest Retry-After (seconds) waited for within a crawl")
    sitemap_max_age_days: float = _setting(2.0, "sitemap entries older than this are not fetched")
    http_cache: bool = _setting(False, "keep responses in .scrapy/httpcache (development only)")
    worker_hosts: int = _setting(8, "hosts one crawl worker (`launchwire worker crawl`) crawls "
                                    "at a time, each with concurrent_per_domain requests in "
                                    "flight")
    extract_workers: int = _setting(2, "processes extracting articles from fetched pages")
    host: str = _setting("127.0.0.1", "address `serve` listens on")
    port: int = _setting(8001, "port `serve` listens on")
    serve_workers: int = _setting(0, "processes `serve` answers requests in, each with its own "
                                     "page cache (~80 MB and its pages); 0: one per core")
    page_cache_mb: int = _setting(64, "megabytes of rendered pages each `serve` process keeps "
                                        "to send again until the database changes (0: none)")
    base_url: str | None = _setting(None, "public URL of the site, for links in feeds and OPML "
                                          "(default: http://<host>:<port>); never taken from a "
                                          "request's Host header")
    sample_port: int = _setting(8002, "port `demo` serves the bundled sample site on (fixed, so "
                                      "a second demo into the same database finds the same URLs)")
    corpora: str | None = _setting(None, "folder of the shared corpora the evaluations read "
                                         "(default: ../shared/corpora beside the repository)")
    redis_url: str | None = _setting(None, "redis://host:port/db of the broker that switches "
                                           "`crawl` and `process` to distributed mode, with "
                                           "workers started by `launchwire worker` (default: "
                                           "none, everything in this process tree)")
    # Long enough for a batch of long articles on a busy worker: a lease that runs out only
    # costs the chunk's work twice, one too long delays a dead worker's chunk (#18).
    cluster_lease: float = _setting(120.0, "seconds an NLP worker has to analyse a batch in "
                                           "distributed mode before `process` hands the batch "
                                           "to another worker")

    @property
    def model_name(self) -> str:
        """The spaCy pipeline every stage, evaluation and benchmark loads (#15)."""
        from nlp.pipeline import default_model_name  # spaCy loads only when asked

        return self.spacy_model or default_model_name()

    @property
    def corrections_path(self) -> Path:
        """The corrections file: it belongs with the database it corrects (#16)."""
        if self.corrections:
            return Path(self.corrections)
        return Path(self.db).parent / "corrections.toml"

    @property
    def site_url(self) -> str:
        """Where the site is served, without a trailing slash."""
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(each.name, each.default, each.metadata["help"]) for each in fields(Settings))
SETTING_NAMED = {setting.name: setting for setting in SETTINGS}


def _coerce(setting: Setting, raw: str) -> Any:
    if isinstance(setting.default, bool):
        return raw.lower() in {"1", "true", "yes", "on"}
    if isinstance(setting.default, int):
        return int(raw)
    if isinstance(setting.default, float):
        return float(raw)
    return raw


def load_settings(overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Resolve every setting from defaults, then the environment, then explicit overrides.

    overrides (Mapping): values from CLI flags; None values are ignored.
    environ (Mapping): the environment to read, os.environ by default.
    RETURNS (Settings): the resolved settings.
    """
    environ = os.environ if environ is None else environ
    values = {setting.name: _coerce(setting, environ[setting.env_var])
              for setting in SETTINGS if setting.env_var in environ}
    for name, value in (overrides or {}).items():
        if name not in SETTING_NAMED:
            raise KeyError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = value
    return Settings(**values)


def scrapy_overrides(settings: Settings, polite: bool = True) -> dict[str, Any]:
    """The Scrapy settings a crawl takes from launchwire's: the only way they reach Scrapy, so
    crawlers/settings.py holds none of them (#15).

    settings (Settings): the resolved settings.
    polite (bool): False only for our own loopback site, fetched as fast as it serves.
    RETURNS (dict): Scrapy setting names and values, over crawlers/settings.py's.
    """
    overrides: dict[str, Any] = {
        "LAUNCHWIRE_DB": settings.db,
        "LAUNCHWIRE_DB_BUSY_TIMEOUT": settings.db_busy_timeout,
        "USER_AGENT": settings.user_agent,
        "DOWNLOAD_TIMEOUT": settings.download_timeout,
        "DOWNLOAD_MAXSIZE": settings.download_maxsize,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.concurrent_per_domain,
        "DOWNLOAD_DELAY": settings.download_delay,
        "HTTPCACHE_ENABLED": settings.http_cache,
        "LAUNCHWIRE_RETRY_AFTER_MAX": settings.retry_after_max,
        "LAUNCHWIRE_SITEMAP_MAX_AGE_DAYS": settings.sitemap_max_age_days,
    }
    if not polite:
        overrides.update({"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                          "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "WARNING"})
    return overrides
