"""Quality on the team's annotated development sets (tests/data/*_dev.jsonl).

    launchwire evaluate team [--task entities|metrics|launches|summaries|all] [--json]
                             [--errors]

The sets are read here and scored by `nlp.scoring`: entities beside the bare model,
figures, the articles' launches and their summaries beside Lead-3.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import spacy
from rich.console import Console
from rich.table import Table

from nlp.scoring import (LaunchScores, MetricScores, Score, SummaryScores, entity_errors,
                         entity_scores, evaluate_launches, evaluate_metrics, evaluate_summaries)
from nlp.vocabulary import LABELS

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
ENTITIES_SET = DATA / "entities_dev.jsonl"
METRICS_SET = DATA / "metrics_dev.jsonl"
LAUNCHES_SET = DATA / "launches_dev.jsonl"
STORIES_SET = DATA / "stories_dev.jsonl"  # clustering: launchwire.evaluate; summaries: here
TASKS = ("entities", "metrics", "launches", "summaries")


def load_set(path: Path) -> list[dict]:
    """One annotated set: a JSON object per line."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def report(model_name: str, task: str = "all", as_json: bool = False,
           errors: bool = False) -> None:
    """Score the pipeline on the team's sets and print the figures (a table or JSON)."""
    from nlp.pipeline import load_nlp

    pipeline = load_nlp(model_name)  # loaded once for every task
    if errors:
        for (kind, label, text), count in sorted(
                entity_errors(pipeline, load_set(ENTITIES_SET)).items()):
            print(f"{kind:9} {label:8} {text!r} x{count}")
        return
    runs = (("metrics", METRICS_SET, evaluate_metrics, _print_metrics),
            ("launches", LAUNCHES_SET, evaluate_launches, _print_launches),
            ("summaries", STORIES_SET, evaluate_summaries, _print_summaries))
    for name, path, run, show in runs:
        if task not in {name, "all"}:
            continue
        scores = run(pipeline, load_set(path))
        if task == name or as_json:
            print(json.dumps({name: scores.as_dict()}, indent=2))
        else:
            show(scores)
    if task not in {"entities", "all"}:
        return
    results = entity_scores(pipeline, spacy.load(model_name), load_set(ENTITIES_SET))
    if as_json:
        print(json.dumps({system: {label: s.as_dict() for label, s in scores.items()}
                          for system, scores in results.items()}, indent=2))
        return
    table = Table(title=f"entities on {ENTITIES_SET.name} ({model_name})")
    for column in ("label", "gold", "launchwire P", "R", "F1", "bare model P", "R", "F1"):
        table.add_column(column, justify="right" if column != "label" else "left")
    ours, bare = results["launchwire"], results["bare model"]
    for label in (*LABELS, "overall"):
        table.add_row(label, str(ours[label].gold), *_three(ours[label]), *_three(bare[label]))
    Console().print(table)


def _three(score: Score) -> list[str]:
    return [f"{value:.3f}" for value in (score.precision, score.recall, score.f1)]


def _print_scores(title: str, score: Score, accuracies: dict[str, float]) -> None:
    """One table row: counts, precision, recall, F1, then accuracies of the matched items."""
    table = Table(title=title)
    for column in ("gold", "found", "P", "R", "F1", *accuracies):
        table.add_column(column, justify="right")
    table.add_row(str(score.gold), str(score.predicted), *_three(score),
                  *(f"{value:.3f}" for value in accuracies.values()))
    Console().print(table)


def _print_metrics(scores: MetricScores) -> None:
    _print_scores(f"metrics on {METRICS_SET.name}", scores.figures, {
        "subject": scores.subject, "modality": scores.modality, "claimant": scores.claimant})


def _print_launches(scores: LaunchScores) -> None:
    _print_scores(f"launch detection on {LAUNCHES_SET.name}", scores.detection, {
        "company": scores.company, "product": scores.product, "modality": scores.modality,
        **scores.details})


def _print_summaries(scores: SummaryScores) -> None:
    table = Table(title=f"article summaries on {STORIES_SET.name} "
                        f"({scores.articles} reference summaries, ROUGE F)")
    for column in ("system", "ROUGE-1", "ROUGE-2", "ROUGE-L"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for system, values in (("launchwire TextRank", scores.textrank), ("Lead-3", scores.lead3)):
        table.add_row(system, *(f"{values[n]:.3f}" for n in ("rouge1", "rouge2", "rougeL")))
    Console().print(table)


def as_json(value: Any) -> Any:
    """Scores (anything with `as_dict`) inside plain data, as JSON would carry them."""
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    return value
