"""Quality on the Chinese-ecosystem sets (#14): Chinese news, translated commentary and
bilingual passages, each read as `process` reads it (its language told from its text).

    launchwire evaluate chinese [--split dev|test] [--json]

`tests/data/chinese_dev.jsonl` is the team's own development set; `chinese_test.jsonl` was
written apart from the code, and is quoted, never tuned on. Entities are scored by exact
span and label; figures by type and value, then subject and modality; the passage's launch
by detection, then company, product and modality. Names compare through the gazetteer, so
"快手", "Fast Hand" and "Kuaishou" are one company where the gazetteer says so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from crawlers.language import text_language
from launchwire.evaluate_team import load_set
from nlp.scoring import Score, name_matches, same_value
from nlp.extract import Analysis, analyze_in_language
from nlp.gazetteer import load_gazetteer
from launchwire.settings import load_settings
from nlp.pipeline import load_nlp

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = {"dev": DATA / "chinese_dev.jsonl", "test": DATA / "chinese_test.jsonl"}
KINDS = ("zh_news", "commentary", "bilingual")


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    return {spelling.lower(): entry.name.lower() for entry in load_gazetteer()
            for spelling in entry.spellings}


def _canonical(name: str | None) -> str | None:
    return None if name is None else _spellings().get(name.lower(), name.lower())


def _same_name(gold: str | None, found: str | None) -> bool:
    return name_matches(_canonical(gold), _canonical(found))


class Tally:
    """Scores of one kind of passage (or all of them)."""

    def __init__(self) -> None:
        self.entities = Score()
        self.figures = Score()
        self.launches = Score()
        self.right: dict[str, int] = defaultdict(int)

    def add(self, passage: dict, analysis: Analysis) -> None:
        gold = {(s, e, label) for s, e, label, *_ in passage["entities"]}
        found = {(e.start, e.end, e.label) for e in analysis.entities
                 if e.label in ("COMPANY", "APP", "PRODUCT")}
        self.entities.gold += len(gold)
        self.entities.predicted += len(found)
        self.entities.true_positives += len(gold & found)
        figures = list(passage["metrics"])
        self.figures.gold += len(figures)
        self.figures.predicted += len(analysis.metrics)
        for metric in analysis.metrics:
            match = next((g for g in figures if g["metric"] == metric.metric
                          and same_value(g["value"], metric.value)), None)
            if match is None:
                continue
            figures.remove(match)
            self.figures.true_positives += 1
            self.right["subject"] += _same_name(match["subject"], metric.subject)
            self.right["modality"] += match["modality"] == metric.modality
        launch, told = passage["launch"], (analysis.launches or [None])[0]
        self.launches.gold += launch is not None
        self.launches.predicted += told is not None
        if launch is not None and told is not None:
            self.launches.true_positives += 1
            self.right["company"] += _same_name(launch["company"], told.company)
            self.right["product"] += _same_name(launch["product"], told.product)
            self.right["launch modality"] += launch["modality"] == told.modality

    def as_dict(self) -> dict[str, Any]:
        def share(key: str, of: Score) -> float:
            return round(self.right[key] / of.true_positives, 4) if of.true_positives else 0.0

        return {"entities": self.entities.as_dict(),
                "figures": {**self.figures.as_dict(), "subject": share("subject", self.figures),
                            "modality": share("modality", self.figures)},
                "launches": {**self.launches.as_dict(), "company": share("company", self.launches),
                             "product": share("product", self.launches),
                             "modality": share("launch modality", self.launches)}}


def chinese_scores(split: str = "dev") -> dict[str, dict[str, Any]]:
    passages = load_set(SETS[split])
    settings = load_settings()
    pipeline = load_nlp(settings.model_name, trained=settings.trained_entities)
    analyses = analyze_in_language(
        pipeline, [p["text"] for p in passages], [text_language(p["text"]) for p in passages],
        [p.get("published") for p in passages], titles=[p.get("title") for p in passages])
    tallies = {kind: Tally() for kind in (*KINDS, "all")}
    for passage, analysis in zip(passages, analyses):
        tallies[passage["kind"]].add(passage, analysis)
        tallies["all"].add(passage, analysis)
    return {kind: tally.as_dict() for kind, tally in tallies.items()
            if kind == "all" or tally.entities.gold or tally.launches.gold}


def _table(split: str, scores: dict[str, dict[str, Any]]) -> Table:
    table = Table("passages", "entity P / R / F1", "figure F1 (gold)", "subject", "modality",
                  "launch F1 (gold)", "company", "product", "launch modality",
                  title=f"Chinese-ecosystem {split} set")
    for kind, score in scores.items():
        entities, figures, launches = score["entities"], score["figures"], score["launches"]
        table.add_row(kind, f"{entities['precision']:.3f} / {entities['recall']:.3f} / "
                            f"{entities['f1']:.3f}", f"{figures['f1']:.3f} ({figures['gold']})",
                      f"{figures['subject']:.3f}", f"{figures['modality']:.3f}",
                      f"{launches['f1']:.3f} ({launches['gold']})", f"{launches['company']:.3f}",
                      f"{launches['product']:.3f}", f"{launches['modality']:.3f}")
    return table


def report(split: str = "dev", as_json: bool = False) -> None:
    """Score the Chinese-ecosystem set of one split and print the figures (a table or JSON)."""
    scores = chinese_scores(split)
    if as_json:
        print(json.dumps(scores, indent=2))
    else:
        Console(width=160).print(_table(split, scores))
