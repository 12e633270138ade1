"""Analyse texts with the pipeline into plain dataclasses (DESIGN's `analyze` contract)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.names import TECH_LABELS
from nlp.summarize import lead_summary

@dataclass
class Entity:
    text: str
    label: str
    start: int
    end: int
    canonical: str
    sentence: str = field(default="", repr=False)


@dataclass
class Metric:
    subject: str | None
    metric: str
    value: float
    unit: str | None
    qualifier: str
    modality: str
    text: str
    start: int
    end: int
    claimant: str = "outlet"
    as_of: str | None = None
    subject_label: str | None = None
    sentence: str = field(default="", repr=False)


@dataclass
class Launch:
    company: str | None
    product: str
    modality: str
    date: str | None
    sentence: str
    start: int = 0
    end: int = 0
    product_label: str = "PRODUCT"


@dataclass
class Analysis:
    entities: list[Entity]
    metrics: list[Metric]
    launches: list[Launch]
    summary: str

    def to_contract(self) -> dict:
        """The JSON shape DESIGN.md promises for `launchwire analyze`."""
        def public(item: object, hidden: set[str]) -> dict:
            return {k: v for k, v in asdict(item).items() if k not in hidden}

        return {
            "entities": [public(e, {"sentence"}) for e in self.entities],
            "metrics": [public(m, {"sentence", "subject_label"}) for m in self.metrics],
            "launches": [public(launch, {"subject_label", "product_label", "as_of", "start", "end"})
                         for launch in self.launches],
            "summary": self.summary,
        }

    def to_record(self) -> dict:
        """Everything, as plain data for storage."""
        return asdict(self)


def canonical_name(span: Span) -> str:
    text = span.text.strip(" \"'“”‘’")
    return re.sub(r"(?:'s|’s)$", "", text)


def _entities(doc: Doc) -> list[Entity]:
    return [Entity(ent.text, ent.label_, ent.start_char, ent.end_char,
                   ent.kb_id_ or canonical_name(ent), ent.sent.text.strip())
            for ent in doc.ents if ent.label_ in TECH_LABELS]


def _metrics(doc: Doc, published: str | None) -> list[Metric]:
    found = []
    for figure in doc._.metrics:
        subject = figure.subject
        found.append(Metric(
            subject=(subject.kb_id_ or canonical_name(subject)) if subject is not None else None,
            metric=figure.metric, value=figure.value, unit=figure.unit,
            qualifier=figure.qualifier, modality=figure.modality, text=figure.span.text,
            start=figure.span.start_char, end=figure.span.end_char, claimant=figure.claimant,
            as_of=(published or "")[:10] or None,
            subject_label=subject.label_ if subject is not None else None,
            sentence=figure.span.sent.text.strip()))
    return found


def _launches(doc: Doc, published: str | None) -> list[Launch]:
    """The launch the text is about (at most one), with the sentence that states it."""
    fact = doc._.launch
    if fact is None:
        return []
    sent = fact.sentence
    return [Launch(
        company=(fact.company.kb_id_ or canonical_name(fact.company)) if fact.company is not None else None,
        product=fact.product.kb_id_ or canonical_name(fact.product),
        product_label=fact.product.label_, modality=fact.modality,
        date=(published or "")[:10] or None, sentence=sent.text.strip(),
        start=sent.start_char, end=sent.end_char)]


def analyze_doc(doc: Doc, published: str | None = None) -> Analysis:
    """Turn one processed Doc into an Analysis."""
    return Analysis(_entities(doc), _metrics(doc, published), _launches(doc, published),
                    lead_summary(doc))


def analyze(pipeline: Language, texts: Iterable[str], published: Iterable[str | None] | None = None,
            batch_size: int = 32) -> Iterator[Analysis]:
    """Analyse many texts with `nlp.pipe`, in order.

    texts (Iterable[str]): article texts.
    published (Iterable[str | None]): each text's publication date, for as-of and launch dates.
    batch_size (int): texts per batch.
    YIELDS (Analysis): one per text.
    """
    pairs = ((text, date) for text, date in zip(texts, published)) if published is not None \
        else ((text, None) for text in texts)
    for doc, date in pipeline.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield analyze_doc(doc, date)
