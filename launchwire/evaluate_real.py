"""Quality on real published text: the annotated real-text sets and the public NER sets (#13).

    launchwire evaluate real [--split dev|test|untrained] [--layers] [--public] [--stock]
        [--json]

Reads the corpora at run time (`../shared/corpora` or `$LAUNCHWIRE_CORPORA`) through the
offset-only annotations in `tests/data/real/`; says so and stops when they are absent.
Entities, figures and launches are scored exactly as `nlp.scoring` scores the team's sets.
The test split is quoted, never tuned on. `--layers` measures what each layer of entity
recognition adds (gazetteer, context rules, trained recogniser, stock model).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from contextlib import contextmanager
from typing import Any, Iterator

from rich.console import Console
from rich.table import Table
from spacy.language import Language

from launchwire import public_sets, real_sets
from launchwire.corpora import AnnotationMismatch, CorporaMissing
from launchwire.evaluate_team import as_json as scores_as_json
from nlp.pipeline import load_nlp
from nlp.scoring import Score, evaluate_launches, evaluate_metrics, pipeline_mentions, score
from nlp.resolve import TRAINED_LABELS
from nlp.vocabulary import LABELS


def _entity_scores(pipeline: Language, records: list[dict]) -> dict[str, Score]:
    gold = [(index, start, end, label) for index, record in enumerate(records)
            for start, end, label in record["entities"]]
    return score(gold, pipeline_mentions(pipeline, records))


def real_scores(pipeline: Language, split: str) -> dict[str, Any]:
    entities = real_sets.load_entities(split)
    figures = real_sets.load_figures(split)
    launches = real_sets.load_launches(split)
    return {"entities": _entity_scores(pipeline, entities),
            "figures": evaluate_metrics(pipeline, passages=figures),
            "launches": evaluate_launches(pipeline, passages=launches),
            "sizes": {"entity passages": len(entities),
                      "entities": sum(len(r["entities"]) for r in entities),
                      "figure passages": len(figures),
                      "figures": sum(len(r["metrics"]) for r in figures),
                      "articles": len(launches),
                      "launches": sum(r["launch"] is not None for r in launches)}}


def _public_score(pipeline: Language, texts: list[public_sets.TaggedText],
                  gold_map: dict[str, str], found_map: dict[str, str]) -> dict[str, Any]:
    """Exact-span scores per mapped label, and how many spans of each label came out."""
    gold, found = set(), set()
    produced: Counter = Counter()
    for index, (text, doc) in enumerate(zip(texts, pipeline.pipe(t.text for t in texts))):
        gold |= {(index, s, e, gold_map[label]) for s, e, label in text.spans if label in gold_map}
        for ent in doc.ents:
            if ent.label_ in LABELS:
                produced[ent.label_] += 1
            if ent.label_ in found_map:
                found.add((index, ent.start_char, ent.end_char, found_map[ent.label_]))
    scores = {label: Score() for label in set(gold_map.values())}
    for mention in found:
        scores[mention[3]].predicted += 1
        scores[mention[3]].true_positives += mention in gold
    for mention in gold:
        scores[mention[3]].gold += 1
    return {"scores": scores, "produced": dict(produced)}


def public_scores(pipeline: Language) -> dict[str, Any]:
    """WNUT-17 dev (product as APP or PRODUCT, corporation as COMPANY) and CoNLL-2003 dev
    (ORG as COMPANY, and how many APP or PRODUCT spans come out at all)."""
    wnut = public_sets.read(public_sets.WNUT_DEV, sentences_per_text=1)
    conll = public_sets.read(public_sets.CONLL_DEV)
    product_map = {"COMPANY": "corporation", "APP": "product", "PRODUCT": "product"}
    return {
        "wnut17 dev": _public_score(pipeline, wnut, {"product": "product",
                                                     "corporation": "corporation"}, product_map),
        "conll2003 dev": _public_score(pipeline, conll, {"ORG": "ORG"}, {"COMPANY": "ORG"}),
    }


@contextmanager
def _without(pipeline: Language, layer: str) -> Iterator[None]:
    """The pipeline with one layer of entity recognition switched off."""
    entities = pipeline.get_pipe("launchwire_entities")
    if layer == "gazetteer":
        with pipeline.select_pipes(disable=["launchwire_gazetteer"]):
            yield
    elif layer == "rules":
        families, entities.families = entities.families, ()
        try:
            yield
        finally:
            entities.families = families
    elif layer in ("trained", "stock model"):
        labels = entities.model_labels
        entities.model_labels = {name: label for name, label in labels.items()
                                 if (name in TRAINED_LABELS) != (layer == "trained")}
        try:
            yield
        finally:
            entities.model_labels = labels
    else:
        yield


LAYERS = ("everything", "gazetteer", "rules", "trained", "stock model")


def layer_scores(pipeline: Language, split: str) -> dict[str, dict[str, Score]]:
    records = real_sets.load_entities(split)
    results = {}
    for layer in LAYERS:
        with _without(pipeline, layer):
            results[layer] = _entity_scores(pipeline, records)
    return results


def _row(score: Score) -> list[str]:
    return [f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}", str(score.gold)]


def _print(split: str, results: dict[str, Any], console: Console) -> None:
    if "real" in results:
        real = results["real"]
        console.print(f"real-text {split} split, {results['pipeline']}: {real['sizes']}")
        table = Table("measure", "P", "R", "F1", "gold", "other")
        for label in (*LABELS, "overall"):
            table.add_row(f"entities {label}", *_row(real["entities"][label]), "")
        figures, launches = real["figures"], real["launches"]
        table.add_row("figures (value and type)", *_row(figures.figures),
                      f"subject {figures.subject:.3f}, modality {figures.modality:.3f}, "
                      f"claimant {figures.claimant:.3f}")
        table.add_row("launches (article's launch)", *_row(launches.detection),
                      f"company {launches.company:.3f}, product {launches.product:.3f}, "
                      f"modality {launches.modality:.3f}")
        console.print(table)
    if "layers" in results:
        table = Table("entities without", "P", "R", "F1", "gold")
        for layer, scores in results["layers"].items():
            table.add_row(layer if layer != "everything" else "(nothing: the whole pipeline)",
                          *_row(scores["overall"]))
        console.print(table)
    if "public" in results:
        table = Table("public dev set", "label", "P", "R", "F1", "gold", "APP/PRODUCT spans")
        for name, found in results["public"].items():
            spans = found["produced"].get("APP", 0) + found["produced"].get("PRODUCT", 0)
            for label, value in found["scores"].items():
                table.add_row(name, label, *_row(value), str(spans))
        console.print(table)


def report(model_name: str, split: str = "test", layers: bool = False, public: bool = False,
           real: bool = True, stock: bool = False, as_json: bool = False) -> None:
    """Score the pipeline on the real-text sets (and with `layers` what each entity layer
    adds, with `public` the WNUT-17 and CoNLL-2003 dev sets) and print the figures."""
    pipeline = load_nlp(model_name, trained=not stock)
    results: dict[str, Any] = {"pipeline": "stock model's recogniser" if stock
                               else "trained recogniser"}
    try:
        if real:
            results["real"] = real_scores(pipeline, split)
        if layers:
            results["layers"] = layer_scores(pipeline, split)
        if public:
            results["public"] = public_scores(pipeline)
    except CorporaMissing as error:
        print(f"real-text evaluation skipped: {error}", file=sys.stderr)
        return
    except AnnotationMismatch as error:
        sys.exit(f"error: {error}")
    if as_json:
        print(json.dumps(scores_as_json(results), indent=2))
    else:
        _print(split, results, Console())
