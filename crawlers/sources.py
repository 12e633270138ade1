"""The declarative source registry: `[[source]]` tables in a TOML file, loaded as `Source`s."""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

REQUIRED = ("name", "homepage", "feeds")
KNOWN = {"name", "homepage", "feeds", "sitemaps", "language", "region", "allow_private"}


class SourcesFileError(ValueError):
    """A sources file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Source:
    name: str
    homepage: str
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...] = field(default_factory=tuple)
    language: str = "en"
    region: str | None = None
    # Loopback and private networks are refused unless a source opts in (the sample site does).
    allow_private: bool = False

    @property
    def private_hosts(self) -> tuple[str, ...]:
        """Hosts the crawler may reach on a private network: the source's own, if allowed."""
        if not self.allow_private:
            return ()
        return tuple(sorted({urlparse(url).hostname or "" for url in
                             (self.homepage, *self.feeds, *self.sitemaps)} - {""}))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Source":
        return cls(**{**data, "feeds": tuple(data.get("feeds", ())),
                      "sitemaps": tuple(data.get("sitemaps", ()))})


def _table_lines(text: str) -> list[int]:
    """Line number of each `[[source]]` header, in order."""
    return [number for number, line in enumerate(text.splitlines(), start=1)
            if re.match(r"\s*\[\[\s*source\s*\]\]", line)]


def _check_url(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or urlparse(value).scheme not in {"http", "https"} \
            or not urlparse(value).netloc:
        raise SourcesFileError(f"{where}: {key} must be an http(s) URL, got {value!r}")
    return value


def _source(entry: dict[str, Any], where: str) -> Source:
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise SourcesFileError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(set(entry) - KNOWN)
    if unknown:
        raise SourcesFileError(f"{where}: unknown key(s) {', '.join(unknown)}")
    if not isinstance(entry["name"], str) or not entry["name"].strip():
        raise SourcesFileError(f"{where}: name must be a non-empty string")
    for key in ("feeds", "sitemaps"):
        if not isinstance(entry.get(key, []), list):
            raise SourcesFileError(f"{where}: {key} must be a list of URLs")
    if not isinstance(entry.get("allow_private", False), bool):
        raise SourcesFileError(f"{where}: allow_private must be true or false")
    _check_url(entry["homepage"], where, "homepage")
    feeds = tuple(_check_url(url, where, "feeds") for url in entry["feeds"])
    sitemaps = tuple(_check_url(url, where, "sitemaps") for url in entry.get("sitemaps", []))
    if not feeds and not sitemaps:
        raise SourcesFileError(f"{where}: give at least one feed or sitemap")
    return Source(name=entry["name"].strip(), homepage=entry["homepage"], feeds=feeds,
                  sitemaps=sitemaps, language=entry.get("language", "en"),
                  region=entry.get("region"), allow_private=entry.get("allow_private", False))


def parse_sources(text: str, filename: str = "<sources>") -> list[Source]:
    """Parse and validate a sources file's text.

    text (str): TOML with `[[source]]` tables.
    filename (str): named in error messages.
    RETURNS (list[Source]): the sources, in file order.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SourcesFileError(f"{filename}: {error}") from error
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise SourcesFileError(f"{filename}: no [[source]] tables")
    lines = _table_lines(text)
    sources: list[Source] = []
    seen_names: dict[str, str] = {}
    seen_feeds: dict[str, str] = {}
    for index, entry in enumerate(entries):
        where = f"{filename}:{lines[index] if index < len(lines) else '?'}"
        source = _source(entry, where)
        if source.name in seen_names:
            raise SourcesFileError(f"{where}: duplicate source name {source.name!r} "
                                   f"(first at {seen_names[source.name]})")
        for url in source.feeds + source.sitemaps:
            if url in seen_feeds:
                raise SourcesFileError(f"{where}: duplicate feed {url} (first at {seen_feeds[url]})")
            seen_feeds[url] = where
        seen_names[source.name] = where
        sources.append(source)
    return sources


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file."""
    path = Path(path)
    if not path.is_file():
        raise SourcesFileError(f"{path}: sources file not found")
    return parse_sources(path.read_text(encoding="utf-8"), str(path))
