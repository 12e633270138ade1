"""Scoring against annotated sets: pure functions of a pipeline and records, for the
runners in `launchwire.evaluate` and its siblings (which read the sets and print).

Entities: labeled exact-span matches, per label and overall (micro-averaged), beside the
bare model read as a new user would (ORG as COMPANY, PRODUCT as PRODUCT; it has no APP).
Metrics: a figure matches when its passage, type and value (within 0.5%) agree; subject,
modality and claimant are then scored on the matched figures.
Launches: an article's launch is found or not; company, product, modality and the details the
gold launch states (date, platform, region, price) are then scored on the hits.
Summaries: ROUGE-1/2/L of what `process` writes beside Lead-3 against reference summaries.
Stories: pairwise clustering precision and recall.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from spacy.language import Language

from nlp.extract import analyze_doc
from nlp.launches import headline_text, worth_reading
from nlp.numbers import parse_value
from nlp.vocabulary import LABELS

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


def gold_mentions(passages: list[dict]) -> list[Mention]:
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


def entity_scores(pipeline: Language, bare: Language,
                  passages: list[dict]) -> dict[str, dict[str, Score]]:
    """launchwire's entities and the bare model's, each per label and overall."""
    gold = gold_mentions(passages)
    return {"launchwire": score(gold, pipeline_mentions(pipeline, passages)),
            "bare model": score(gold, bare_mentions(bare, passages))}


def entity_errors(pipeline: Language, passages: list[dict]) -> Counter:
    """Missed and spurious mentions, for looking at what goes wrong."""
    gold, found = set(gold_mentions(passages)), set(pipeline_mentions(pipeline, passages))
    described: Counter = Counter()
    for kind, mentions in (("missed", gold - found), ("spurious", found - gold)):
        for index, start, end, label in mentions:
            described[(kind, label, passages[index]["text"][start:end])] += 1
    return described


@dataclass
class MetricScores:
    figures: Score
    subject: float
    modality: float
    claimant: float
    matched: int

    def as_dict(self) -> dict[str, float | int]:
        return {**self.figures.as_dict(), "subject_accuracy": round(self.subject, 4),
                "modality_accuracy": round(self.modality, 4),
                "claimant_accuracy": round(self.claimant, 4), "matched": self.matched}


def same_value(gold: float, found: float) -> bool:
    return abs(gold - found) <= 0.005 * max(abs(gold), 1e-9)


def subject_names(figure) -> set[str]:
    if figure.subject is None:
        return {""}
    return {figure.subject.text.lower(), (figure.subject.kb_id_ or "").lower()}


def evaluate_metrics(pipeline: Language, passages: list[dict]) -> MetricScores:
    figures = Score()
    subject = modality = claimant = matched = 0
    for passage, doc in zip(passages, pipeline.pipe(p["text"] for p in passages)):
        gold = list(passage["metrics"])
        found = list(doc._.metrics)
        figures.gold += len(gold)
        figures.predicted += len(found)
        for figure in found:
            match = next((g for g in gold if g["metric"] == figure.metric
                          and same_value(g["value"], figure.value)), None)
            if match is None:
                continue
            gold.remove(match)
            figures.true_positives += 1
            matched += 1
            subject += (match["subject"] or "").lower() in subject_names(figure)
            modality += match["modality"] == figure.modality
            claimant += match.get("claimant") == figure.claimant
    share = (lambda n: n / matched if matched else 0.0)
    return MetricScores(figures, share(subject), share(modality), share(claimant), matched)


def pairwise(gold: dict[Any, str | None], predicted: dict[Any, str | None]) -> Score:
    """Pairwise clustering score: of the pairs of items put in one cluster, those the gold
    puts in one story (precision), and of the gold's pairs, those found (recall). An item
    in no cluster (None) pairs with nothing."""
    def pairs(labels: dict[Any, str | None]) -> set[frozenset]:
        groups: dict[str, list[Any]] = {}
        for item, label in labels.items():
            if label is not None:
                groups.setdefault(label, []).append(item)
        return {frozenset((a, b)) for members in groups.values()
                for i, a in enumerate(members) for b in members[i + 1:]}

    gold_pairs, found_pairs = pairs(gold), pairs(predicted)
    return Score(len(gold_pairs & found_pairs), len(found_pairs), len(gold_pairs))


@dataclass
class LaunchScores:
    detection: Score
    company: float
    product: float
    modality: float
    # Of the details the gold launch states, the share found (date exact; price by amount;
    # platform and region by their words).
    details: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, float | int]:
        return {**self.detection.as_dict(), "company_accuracy": round(self.company, 4),
                "product_accuracy": round(self.product, 4),
                "modality_accuracy": round(self.modality, 4),
                **{f"{name}_accuracy": round(value, 4) for name, value in self.details.items()}}


DETAILS = ("date", "platform", "region", "price")


def detail_matches(name: str, gold: str, found: str | None) -> bool:
    if not found:
        return False
    if name == "date":
        return gold == found
    if name == "price":
        return gold.lower() == found.lower() or (
            parse_value(gold) is not None and parse_value(gold) == parse_value(found))
    words = lambda text: set(re.findall(r"\w+", text.lower())) - {"the", "and", "or"}
    return len(words(gold) & words(found)) >= max(1, len(words(gold)) // 2)


def names_match(gold: str | None, span) -> bool:
    if gold is None or span is None:
        return gold is None and span is None
    return any(name_matches(gold, name) for name in {span.text, span.kb_id_} - {""})


def name_matches(gold: str | None, found: str | None) -> bool:
    if gold is None or found is None:
        return gold is None and found is None
    gold, found = gold.lower(), found.lower()
    return gold == found or gold in found or found in gold


def evaluate_launches(pipeline: Language, passages: list[dict]) -> LaunchScores:
    """Article-level launch detection (text and headline, as `process` reads them), then
    company, product and modality of the hits."""
    detection = Score()
    company = product = modality = 0
    stated: Counter = Counter()
    right: Counter = Counter()
    for passage, doc in zip(passages, pipeline.pipe(p["text"] for p in passages)):
        title = passage.get("title")
        headline = pipeline(headline_text(title)) if worth_reading(title) else None
        launches = analyze_doc(doc, passage.get("published"), headline).launches
        gold, found = passage["launch"], (launches[0] if launches else None)
        for name in DETAILS:
            if gold is not None and found is not None and gold.get(name):
                stated[name] += 1
                right[name] += detail_matches(name, gold[name], getattr(found, name))
        detection.gold += gold is not None
        detection.predicted += found is not None
        if gold is None or found is None:
            continue
        detection.true_positives += 1
        # The text's own launch, where it is the one stored: its spans carry the name as
        # written beside the canonical one ("RedNote", "Xiaohongshu").
        told = doc._.launch
        told = told if told is not None and name_matches(
            told.product.kb_id_ or told.product.text, found.product) else None
        company += name_matches(gold["company"], found.company) or (
            told is not None and names_match(gold["company"], told.company))
        product += name_matches(gold["product"], found.product) or (
            told is not None and names_match(gold["product"], told.product))
        modality += gold["modality"] == found.modality
    hits = detection.true_positives
    share = (lambda n: n / hits if hits else 0.0)
    return LaunchScores(detection, share(company), share(product), share(modality),
                        {name: right[name] / stated[name] for name in DETAILS if stated[name]})


@dataclass
class SummaryScores:
    """ROUGE F-measures (rouge-score, Porter stemming) against the team's reference
    summaries: launchwire's TextRank beside Lead-3 on the same articles."""
    articles: int
    textrank: dict[str, float]
    lead3: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return {"articles": self.articles,
                **{f"textrank_{k}": round(v, 4) for k, v in self.textrank.items()},
                **{f"lead3_{k}": round(v, 4) for k, v in self.lead3.items()}}


def evaluate_summaries(pipeline: Language, articles: list[dict]) -> SummaryScores:
    """ROUGE of each article's summary, as `process` writes it, against its reference."""
    from rouge_score import rouge_scorer

    from nlp.genre import COMMENTARY, genre
    from nlp.summarize import lead_sentences, textrank_sentences

    articles = [a for a in articles if a.get("summary")]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"textrank": Counter(), "lead3": Counter()}
    for article, doc in zip(articles, pipeline.pipe(a["text"] for a in articles)):
        # What `process` writes: a text it takes for commentary summarised by its argument.
        argues = genre(doc) == COMMENTARY
        for system, sentences in (("textrank", textrank_sentences(doc, argues=argues)),
                                  ("lead3", lead_sentences(doc, 3))):
            for name, score in scorer.score(article["summary"], " ".join(sentences)).items():
                totals[system][name] += score.fmeasure
    mean = (lambda counter: {name: counter[name] / max(1, len(articles))
                             for name in ("rouge1", "rouge2", "rougeL")})
    return SummaryScores(len(articles), mean(totals["textrank"]), mean(totals["lead3"]))
