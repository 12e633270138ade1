"""The curated gazetteer of companies, apps and products (nlp/data/gazetteer.jsonl)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.util import registry

from nlp.vocabulary import LABELS

GAZETTEER = Path(__file__).parent / "data" / "gazetteer.jsonl"


@dataclass(frozen=True)
class KnownEntity:
    name: str
    label: str
    aliases: tuple[str, ...] = field(default_factory=tuple)
    parent: str | None = None
    # A company whose name is also its service's ("sellers on Etsy"): its sentence decides.
    service: bool = False
    # An outlet or a research firm: it reports and estimates figures, they are not its own.
    source: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@lru_cache(maxsize=4)
def load_gazetteer(path: Path | None = None) -> tuple[KnownEntity, ...]:
    """Every entry of the gazetteer file.

    RETURNS (tuple[KnownEntity, ...]): in file order.
    """
    path = path or GAZETTEER
    entries = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            if record["label"] not in LABELS:
                raise ValueError(f"{path}:{number}: unknown label {record['label']!r}")
            entries.append(KnownEntity(record["name"], record["label"],
                                       tuple(record.get("aliases") or ()), record.get("parent"),
                                       bool(record.get("service")), bool(record.get("source"))))
    return tuple(entries)


def gazetteer_version(path: Path | None = None) -> str:
    """Changes whenever the file does, so articles are processed again."""
    return hashlib.sha1((path or GAZETTEER).read_bytes()).hexdigest()[:8]


@lru_cache(maxsize=1)
def company_spellings() -> dict[str, str]:
    """Every spelling of a known company, to its canonical name ("Alibaba Group" -> "Alibaba")."""
    return {spelling: entry.name for entry in load_gazetteer() if entry.label == "COMPANY"
            for spelling in entry.spellings}


@lru_cache(maxsize=1)
def makers() -> dict[str, str]:
    """Each known app or product to the company that makes it ("WeChat" -> "Tencent")."""
    return {entry.name: entry.parent for entry in load_gazetteer()
            if entry.label != "COMPANY" and entry.parent}


@lru_cache(maxsize=1)
def source_spellings() -> frozenset[str]:
    """Every spelling of a known outlet or research firm ("The Verge", "Counterpoint")."""
    return frozenset(spelling for entry in load_gazetteer() if entry.source
                     for spelling in entry.spellings)


@lru_cache(maxsize=1)
def model_families() -> frozenset[str]:
    """Apps whose numbered names are models: "Gemini" is the assistant, "Gemini 2.5 Pro" and
    "Gemini 3" the models behind it ("Claude", "Grok"). Read off the gazetteer's products."""
    entries = load_gazetteer()
    products = [spelling for entry in entries if entry.label == "PRODUCT"
                for spelling in entry.spellings]
    return frozenset(spelling for entry in entries if entry.label == "APP"
                     for spelling in entry.spellings
                     if any(product.startswith(spelling + " ")
                            and product[len(spelling) + 1:][:1].isdigit()
                            for product in products))


@registry.misc("launchwire.gazetteer_patterns.v1")
def gazetteer_patterns(path: str | None = None) -> list[dict]:
    """Phrase patterns for spaCy's span ruler: every name and alias, its id the canonical name.

    "Weixin" -> {"label": "APP", "pattern": "Weixin", "id": "WeChat"}. A company that shares
    its name with its service is matched as the service (APP); a sentence where it acts as a
    business ("Etsy reported …") makes it the COMPANY again.
    """
    known = load_gazetteer(Path(path) if path else None)
    patterns = [{"label": "APP" if entry.service else entry.label, "pattern": spelling,
                 "id": entry.name}
                for entry in known for spelling in entry.spellings]
    spelled = {pattern["pattern"] for pattern in patterns}
    # Devices are counted in the plural ("all iPhones", "only on Macs"); apps and companies not.
    patterns += [{"label": "PRODUCT", "pattern": plural, "id": entry.name}
                 for entry in known if entry.label == "PRODUCT" for spelling in entry.spellings
                 for plural in [spelling + "s"]
                 if spelling[-1:].isalpha() and spelling[-1:].islower() and plural not in spelled]
    return patterns


@registry.misc("launchwire.service_names.v1")
def service_names(path: str | None = None) -> list[str]:
    """Canonical names of companies that share their name with their service (Etsy, Grab)."""
    return [entry.name for entry in load_gazetteer(Path(path) if path else None) if entry.service]
