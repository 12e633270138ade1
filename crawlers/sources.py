"""The declarative source registry: `[[source]]` tables in a TOML file, loaded as `Source`s."""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawlers.urls import RefusedLink, fetch_url, origin

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
    def private_origins(self) -> frozenset[tuple[str, int]]:
        """(host, port) pairs this source's requests may reach on a private network: those of
        its own homepage, feeds and sitemaps, if it allows private networks at all (#12)."""
        if not self.allow_private:
            return frozenset()
        return frozenset(origin(url) for url in (self.homepage, *self.feeds, *self.sitemaps))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Source":
        return cls(**{**data, "feeds": tuple(data.get("feeds", ())),
                      "sitemaps": tuple(data.get("sitemaps", ()))})


@dataclass(frozen=True)
class _Table:
    """Where a `[[source]]` table sits in its file, to name the line of a bad value."""

    filename: str
    lines: tuple[str, ...]  # the table's own lines
    first: int | None  # its header's line (or `source = [...]`'s), None if not found

    def line_of(self, key: str, value: Any = None) -> str:
        """"file:line" of `value` in this table when it is a string found there, else of
        `key`, else of the table's header."""
        if self.first is None:
            return f"{self.filename}:?"
        needles = [f'"{value}"', f"'{value}'"] if isinstance(value, str) else []
        for offset, line in enumerate(self.lines):
            if any(needle in line for needle in needles):
                return f"{self.filename}:{self.first + offset}"
        for offset, line in enumerate(self.lines if key else ()):
            if re.match(rf"\s*{re.escape(key)}\s*=", line):
                return f"{self.filename}:{self.first + offset}"
        return f"{self.filename}:{self.first}"

    def error(self, key: str, message: str, value: Any = None) -> SourcesFileError:
        return SourcesFileError(f"{self.line_of(key, value)}: {message}")


def _tables(text: str, filename: str, count: int) -> list[_Table]:
    """Where each of the file's `count` `[[source]]` tables sits, in order."""
    lines = text.splitlines()
    headers = [number for number, line in enumerate(lines, start=1)
               if re.match(r"\s*\[\[\s*source\s*\]\]", line)]
    if len(headers) != count:  # `source = [...]` inline: its line for every table
        first = next((number for number, line in enumerate(lines, start=1)
                      if re.match(r"\s*source\s*=", line)), None)
        return [_Table(filename, (), first) for _ in range(count)]
    ends = headers[1:] + [len(lines) + 1]
    return [_Table(filename, tuple(lines[start - 1:end - 1]), start)
            for start, end in zip(headers, ends)]


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_url(value: Any, table: _Table, key: str) -> str:
    """A usable http(s) URL, as the crawler will fetch it (`fetch_url`'s checks, #12)."""
    if not isinstance(value, str):
        raise table.error(key, f"{key} must be an http(s) URL, got {_shown(value)}")
    try:
        return fetch_url(value, "")
    except RefusedLink as error:
        raise table.error(key, f"{key} must be an http(s) URL, got {_shown(value)} ({error})",
                          value) from error


def _check_types(entry: dict[str, Any], table: _Table) -> None:
    """Each key's type: strings, lists of strings, a boolean."""
    for key in ("name", "language"):
        if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
            raise table.error(key, f"{key} must be a non-empty string, got {_shown(entry[key])}")
    if "region" in entry and not isinstance(entry["region"], str):
        raise table.error("region", f"region must be a string, got {_shown(entry['region'])}")
    for key in ("feeds", "sitemaps"):
        if not isinstance(entry.get(key, []), list):
            raise table.error(key, f"{key} must be a list of URLs, got {_shown(entry[key])}")
    if not isinstance(entry.get("allow_private", False), bool):
        raise table.error("allow_private", "allow_private must be true or false, got "
                          f"{_shown(entry['allow_private'])}")


def _source(entry: Any, table: _Table) -> Source:
    if not isinstance(entry, dict):
        raise table.error("", f"each source must be a table, got {_shown(entry)}")
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise table.error("", f"missing {', '.join(missing)}")
    unknown = sorted(set(entry) - KNOWN)
    if unknown:
        raise table.error(unknown[0], f"unknown key(s) {', '.join(unknown)}")
    _check_types(entry, table)
    homepage = _check_url(entry["homepage"], table, "homepage")
    feeds = tuple(_check_url(url, table, "feeds") for url in entry["feeds"])
    sitemaps = tuple(_check_url(url, table, "sitemaps") for url in entry.get("sitemaps", []))
    if not feeds and not sitemaps:
        raise table.error("", "give at least one feed or sitemap")
    return Source(name=entry["name"].strip(), homepage=homepage, feeds=feeds,
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
    sources: list[Source] = []
    seen_names: dict[str, str] = {}
    seen_feeds: dict[str, str] = {}
    for entry, table in zip(entries, _tables(text, filename, len(entries))):
        source = _source(entry, table)
        where = table.line_of("")
        if source.name in seen_names:
            raise SourcesFileError(f"{where}: duplicate source name {source.name!r} "
                                   f"(first at {seen_names[source.name]})")
        for url in source.feeds + source.sitemaps:
            if url in seen_feeds:
                raise SourcesFileError(f"{table.line_of('', url)}: duplicate feed {url} "
                                       f"(first at {seen_feeds[url]})")
            seen_feeds[url] = table.line_of("", url)
        seen_names[source.name] = where
        sources.append(source)
    return sources


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file (UTF-8, a byte-order mark allowed).

    RAISES (SourcesFileError): one line naming the file (and the line, where there is one).
    """
    path = Path(path)
    if not path.is_file():
        raise SourcesFileError(f"{path}: sources file not found")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourcesFileError(f"{path}: cannot read: {error.strerror}") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise SourcesFileError(f"{path}:{line}: not UTF-8 (byte {data[error.start]:#04x} at "
                               f"offset {error.start}); save the file as UTF-8") from error
    return parse_sources(text, str(path))
