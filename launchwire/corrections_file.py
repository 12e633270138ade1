"""The corrections file on disk (#16): read with tomllib through nlp.corrections, appended to
with tomlkit so that a newsroom's own comments and layout in it survive."""

from __future__ import annotations

from pathlib import Path

import tomlkit

from nlp.corrections import TABLE, Correction, parse_corrections

HEADER = ("Corrections a newsroom made to launchwire's reading (issue #16).\n"
          "Written by `launchwire correct ...`; may be edited by hand. Each [[correction]]\n"
          "has a kind, what it names, a note saying why and the date it was made.\n"
          "Every stage it concerns applies it on each run: process, cluster, publish.")


def load_corrections(path: str | Path) -> list[Correction]:
    """The file's corrections; none when there is no file yet.

    RAISES (CorrectionsFileError): a malformed file, naming the line or entry.
    """
    path = Path(path)
    if not path.exists():
        return []
    return parse_corrections(path.read_text(encoding="utf-8"), str(path))


def add_correction(path: str | Path, correction: Correction) -> None:
    """Append a correction, after checking that the file as it stands reads."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    parse_corrections(text, str(path))  # never append to a file that is already wrong
    document = tomlkit.parse(text) if text else tomlkit.document()
    if not text:
        for line in HEADER.splitlines():
            document.add(tomlkit.comment(line))
    if TABLE not in document:
        document.append(TABLE, tomlkit.aot())
    document[TABLE].append(tomlkit.item(correction.entry()))
    written = tomlkit.dumps(document)
    parse_corrections(written, str(path))  # what is written must read back
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(written, encoding="utf-8")
    temporary.replace(path)  # a crash never leaves half a file
