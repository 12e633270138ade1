"""A newsroom's corrections (#16): what each kind says, read from the text of corrections.toml,
checked entry by entry, and which of them concern a story.

Pure: the shell reads and writes the file, `db/corrections.py` applies them to stored rows.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from nlp.vocabulary import STAGES

# Each kind's fields: those it requires, then those it may have.
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "company": (("story", "company"), ()),
    "product": (("story", "product"), ()),
    "modality": (("story", "modality"), ()),
    "merge": (("entity", "into"), ()),
    "split": (("entity", "from"), ()),
    "alias-add": (("entity", "alias"), ()),
    "alias-remove": (("entity", "alias"), ()),
    "figure-wrong": (("article", "metric"), ("value",)),
    "fact-wrong": (("article",), ("product",)),
}
STORY_KINDS = ("company", "product", "modality")
ENTITY_KINDS = ("merge", "split", "alias-add", "alias-remove")
ARTICLE_KINDS = ("figure-wrong", "fact-wrong")
COMMON = ("kind", "note", "date")
TABLE = "correction"
_HEADER = re.compile(r"^\s*\[\[\s*" + TABLE + r"\s*\]\]")


class CorrectionsFileError(ValueError):
    """A corrections file that cannot be read, naming the file, line and entry at fault."""


@dataclass(frozen=True)
class Correction:
    """One correction: its kind, what it names (`fields`), why and when."""

    kind: str
    fields: dict[str, Any]
    note: str
    date: date
    # Where it starts in the file (0: not from a file), for error messages.
    line: int = field(default=0, compare=False)

    def describe(self) -> str:
        """One line saying what was corrected, for the launch page and the feed."""
        f = self.fields
        if self.kind in STORY_KINDS:
            return f"{self.kind} set to {f[self.kind]}"
        return {
            "merge": lambda: f"{f['entity']} merged into {f['into']}",
            "split": lambda: f"{f['entity']} told apart from {f['from']}",
            "alias-add": lambda: f"{f['alias']} added as a name of {f['entity']}",
            "alias-remove": lambda: f"{f['alias']} is not a name of {f['entity']}",
            "figure-wrong": lambda: f"{f['metric']} figure"
            + (f" {f['value']:g}" if f.get("value") is not None else "")
            + f" in {f['article']} marked wrong",
            "fact-wrong": lambda: "launch fact" + (f" about {f['product']}" if f.get("product")
                                                   else "") + f" in {f['article']} marked wrong",
        }[self.kind]()

    def entry(self) -> dict[str, Any]:
        """The TOML table this correction is written as."""
        return {"kind": self.kind, **self.fields, "note": self.note, "date": self.date}


def make_correction(kind: str, fields: dict[str, Any], note: str,
                    when: date | None = None, line: int = 0) -> Correction:
    """A checked correction.

    kind (str): one of KINDS.
    fields (dict): the kind's fields (None values are left out).
    note (str): why, in the newsroom's words; required.
    when (date | None): when it was made; today when None.
    RAISES (ValueError): a kind, field, modality or note that is wrong, saying which.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (one of: {', '.join(KINDS)})")
    required, optional = KINDS[kind]
    given = {name: value for name, value in fields.items() if value is not None}
    unknown = sorted(set(given) - set(required) - set(optional))
    if unknown:
        raise ValueError(f"{kind}: unexpected field(s) {', '.join(unknown)} "
                         f"(it takes {', '.join(required + optional)})")
    for name in required:
        if not isinstance(given.get(name), str) or not given[name].strip():
            raise ValueError(f"{kind}: {name!r} must be a non-empty string")
    for name in optional:
        if name == "value" and name in given and not isinstance(given[name], (int, float)):
            raise ValueError(f"{kind}: 'value' must be a number")
        if name == "product" and name in given and not isinstance(given[name], str):
            raise ValueError(f"{kind}: 'product' must be a string")
    if kind == "modality" and given["modality"] not in STAGES:
        raise ValueError(f"modality: {given['modality']!r} is not one of {', '.join(STAGES)}")
    if not isinstance(note, str) or not note.strip():
        raise ValueError(f"{kind}: a 'note' saying why is required")
    if when is not None and not isinstance(when, date):
        raise ValueError(f"{kind}: 'date' must be a date (YYYY-MM-DD)")
    return Correction(kind, {name: (value.strip() if isinstance(value, str) else value)
                             for name, value in given.items()},
                      note.strip(), when or date.today(), line)


def parse_corrections(text: str, source: str = "corrections.toml") -> list[Correction]:
    """Every correction in a corrections file's text, in file order.

    text (str): the file's TOML, `[[correction]]` tables.
    source (str): the file's name, for messages.
    RAISES (CorrectionsFileError): malformed TOML (with tomllib's line and column), or an
        entry that is not a correction (with its number and line).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CorrectionsFileError(f"{source}: not valid TOML: {error}") from error
    unknown = sorted(set(data) - {TABLE})
    if unknown:
        raise CorrectionsFileError(f"{source}: unexpected key(s) {', '.join(unknown)}: "
                                   f"each correction is a [[{TABLE}]] table")
    entries = data.get(TABLE, [])
    if not isinstance(entries, list):
        raise CorrectionsFileError(f"{source}: '{TABLE}' must be [[{TABLE}]] tables")
    lines = [number for number, line in enumerate(text.splitlines(), 1) if _HEADER.match(line)]
    corrections = []
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else 0
        corrections.append(_correction(entry, index + 1, line, source))
    return corrections


def _correction(entry: dict[str, Any], number: int, line: int, source: str) -> Correction:
    where = f"{source}: correction {number}" + (f" (line {line})" if line else "")
    if not isinstance(entry, dict) or "kind" not in entry:
        raise CorrectionsFileError(f"{where}: no 'kind'")
    fields = {name: value for name, value in entry.items() if name not in COMMON}
    when = entry.get("date")
    if isinstance(when, datetime):
        when = when.date()  # a correction is dated by its day
    if when is not None and not isinstance(when, date):
        # A TOML date is bare (2026-12-02); a quoted one is a string, told apart here.
        raise CorrectionsFileError(f"{where}: 'date' must be a TOML date such as 2026-12-02, "
                                   f"not {when!r}")
    try:
        return make_correction(entry["kind"], fields, entry.get("note", ""), when, line)
    except ValueError as error:
        raise CorrectionsFileError(f"{where}: {error}") from error


def digest(corrections: Iterable[Correction]) -> str:
    """A fingerprint of what these corrections say (not of their notes or lines): a stage
    that applied them to everything need not do so again until it changes."""
    said = [[c.kind, sorted(c.fields.items())] for c in corrections]
    return hashlib.sha1(json.dumps(said, sort_keys=True).encode()).hexdigest()


def of_kinds(corrections: Iterable[Correction], kinds: Iterable[str]) -> list[Correction]:
    wanted = set(kinds)
    return [correction for correction in corrections if correction.kind in wanted]


def story_overrides(corrections: Iterable[Correction], keys: set[str]) -> dict[str, str]:
    """What the newsroom set of a story known by any of `keys`: kind → name or stage; a later
    correction of the same kind wins."""
    return {c.kind: c.fields[c.kind] for c in corrections
            if c.kind in STORY_KINDS and c.fields["story"] in keys}


def concerning(corrections: Iterable[Correction], keys: set[str], names: set[str],
               article_urls: set[str]) -> list[Correction]:
    """The corrections a story shows: of its keys, of the entities it names (its product and
    company), and of its articles' figures and facts; oldest first."""
    lowered = {name.lower() for name in names if name}
    found = []
    for c in corrections:
        if c.kind in STORY_KINDS:
            hit = c.fields["story"] in keys
        elif c.kind in ENTITY_KINDS:
            hit = any(str(value).lower() in lowered for value in c.fields.values())
        else:
            hit = c.fields["article"] in article_urls
        if hit:
            found.append(c)
    return sorted(found, key=lambda c: c.date)
