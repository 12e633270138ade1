"""Entity quality on the annotated development set: launchwire's pipeline beside the bare model.

    python -m nlp.evaluate [--data tests/data/entities_dev.jsonl] [--model NAME] [--json]

Scores are labeled exact-span matches, per label and overall (micro-averaged). The bare
model is read as a new user would: ORG as COMPANY, PRODUCT as PRODUCT; it has no APP label.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language

from nlp.pipeline import default_model_name, load_nlp

LABELS = ("COMPANY", "APP", "PRODUCT")
DEV_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "entities_dev.jsonl"
BARE_LABELS = {"ORG": "COMPANY", "PRODUCT": "PRODUCT"}

Mention = tuple[int, int, int, str]  # passage index, start, end, label


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "gold": self.gold, "predicted": self.predicted}


def load_dev_set(path: Path = DEV_SET) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def score(gold: Iterable[Mention], predicted: Iterable[Mention]) -> dict[str, Score]:
    """Per-label and overall scores of predicted against gold mentions."""
    gold, predicted = set(gold), set(predicted)
    scores = {label: Score() for label in (*LABELS, "overall")}
    for mention in predicted:
        for key in (mention[3], "overall"):
            scores[key].predicted += 1
            scores[key].true_positives += mention in gold
    for mention in gold:
        for key in (mention[3], "overall"):
            scores[key].gold += 1
    return scores


def _gold(passages: list[dict]) -> list[Mention]:
    return [(index, start, end, label) for index, passage in enumerate(passages)
            for start, end, label in passage["entities"]]


def pipeline_mentions(pipeline: Language, passages: list[dict]) -> list[Mention]:
    docs = pipeline.pipe(passage["text"] for passage in passages)
    return [(index, ent.start_char, ent.end_char, ent.label_) for index, doc in enumerate(docs)
            for ent in doc.ents if ent.label_ in LABELS]


def bare_mentions(model: Language, passages: list[dict]) -> list[Mention]:
    docs = model.pipe(passage["text"] for passage in passages)
    return [(index, ent.start_char, ent.end_char, BARE_LABELS[ent.label_])
            for index, doc in enumerate(docs) for ent in doc.ents if ent.label_ in BARE_LABELS]


def evaluate(model_name: str, path: Path = DEV_SET) -> dict[str, dict[str, Score]]:
    passages = load_dev_set(path)
    gold = _gold(passages)
    return {"launchwire": score(gold, pipeline_mentions(load_nlp(model_name), passages)),
            "bare model": score(gold, bare_mentions(spacy.load(model_name), passages))}


def errors(model_name: str, path: Path = DEV_SET) -> Counter:
    """Missed and spurious mentions, for looking at what goes wrong."""
    passages = load_dev_set(path)
    gold, found = set(_gold(passages)), set(pipeline_mentions(load_nlp(model_name), passages))
    described = Counter()
    for kind, mentions in (("missed", gold - found), ("spurious", found - gold)):
        for index, start, end, label in mentions:
            described[(kind, label, passages[index]["text"][start:end])] += 1
    return described


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEV_SET)
    parser.add_argument("--model", default=os.environ.get("LAUNCHWIRE_SPACY_MODEL") or default_model_name())
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--errors", action="store_true", help="list missed and spurious names")
    options = parser.parse_args()
    if options.errors:
        for (kind, label, text), count in sorted(errors(options.model, options.data).items()):
            print(f"{kind:9} {label:8} {text!r} x{count}")
        return
    results = evaluate(options.model, options.data)
    if options.json:
        print(json.dumps({system: {label: s.as_dict() for label, s in scores.items()}
                          for system, scores in results.items()}, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"entities on {options.data.name} ({options.model})")
    for column in ("label", "gold", "launchwire P", "R", "F1", "bare model P", "R", "F1"):
        table.add_column(column, justify="right" if column != "label" else "left")
    ours, bare = results["launchwire"], results["bare model"]
    for label in (*LABELS, "overall"):
        table.add_row(label, str(ours[label].gold),
                      *(f"{value:.3f}" for value in (ours[label].precision, ours[label].recall, ours[label].f1)),
                      *(f"{value:.3f}" for value in (bare[label].precision, bare[label].recall, bare[label].f1)))
    Console().print(table)


if __name__ == "__main__":
    main()
