"""Every launchwire setting in one place: defaults < LAUNCHWIRE_* environment < CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Mapping


def default_spacy_model() -> str:
    """Prefer the official small English model; fall back to its pinned re-upload."""
    from nlp.pipeline import default_model_name  # spaCy loads only when asked

    return default_model_name()


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return "LAUNCHWIRE_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "launchwire.db", "SQLite database file"),
    Setting("sources", "sources.toml", "TOML file listing the sources to crawl"),
    Setting("spacy_model", None, "spaCy pipeline to load (default: en_core_web_sm, else its re-upload)"),
    Setting("trained_entities", True, "read entities with the trained recogniser in "
            "nlp/models/entities (0: with the stock model's own `ner`)"),
    Setting("batch_size", 32, "articles per nlp.pipe batch in `process`"),
    Setting("db_busy_timeout", 120.0, "seconds a stage waits for another stage's write to the "
            "database before it stops with an error"),
    Setting("user_agent", "launchwire/0.1 (+https://github.com/launchwire/launchwire)",
            "User-Agent the crawler identifies itself with"),
    Setting("download_timeout", 20, "seconds before a request is abandoned"),
    Setting("concurrent_per_domain", 2, "simultaneous requests to one domain"),
    Setting("download_delay", 0.5, "seconds between requests to one domain"),
    Setting("download_maxsize", 10 * 1024 * 1024, "bytes above which a response is abandoned"),
    Setting("retry_after_max", 30, "longest Retry-After (seconds) waited for within a crawl"),
    Setting("sitemap_max_age_days", 2.0, "sitemap entries older than this are not fetched"),
    Setting("http_cache", False, "keep responses in .scrapy/httpcache (development only)"),
    Setting("extract_workers", 2, "processes extracting articles from fetched pages"),
    Setting("host", "127.0.0.1", "address `serve` listens on"),
    Setting("port", 8001, "port `serve` listens on"),
    Setting("base_url", None, "public URL of the site, for links in feeds and OPML (default: "
            "http://<host>:<port>); never taken from a request's Host header"),
    Setting("sample_port", 8002, "port `demo` serves the bundled sample site on (fixed, so a "
            "second demo into the same database finds the same URLs)"),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings, passed down explicitly to each stage."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        values = object.__getattribute__(self, "values")
        if name in values:
            return values[name]
        raise AttributeError(name)

    @property
    def model_name(self) -> str:
        return self.values["spacy_model"] or default_spacy_model()

    @property
    def site_url(self) -> str:
        """Where the site is served, without a trailing slash."""
        return (self.values["base_url"] or f"http://{self.host}:{self.port}").rstrip("/")


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
    values = {setting.name: setting.default for setting in SETTINGS}
    for setting in SETTINGS:
        if setting.env_var in environ:
            values[setting.name] = _coerce(setting, environ[setting.env_var])
    for name, value in (overrides or {}).items():
        if name not in _BY_NAME:
            raise KeyError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = value
    return Settings(values)
