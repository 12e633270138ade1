"""The assembled pipeline on short texts (the real statistical model, no downloads)."""

from __future__ import annotations

import spacy

from nlp.components import TechEntities
from nlp.extract import analyze


def _one(nlp, text: str, published: str | None = None):
    return next(analyze(nlp, [text], [published]))


def test_contract_for_a_simple_launch(nlp) -> None:
    contract = _one(nlp, "Meta launched Threads.", "2023-07-05T22:00:00+00:00").to_contract()
    assert set(contract) == {"entities", "metrics", "launches", "summary"}
    assert {(e["text"], e["label"]) for e in contract["entities"]} >= {("Meta", "COMPANY")}
    assert contract["launches"] == [{"company": "Meta", "product": "Threads",
                                     "modality": "launched", "date": "2023-07-05",
                                     "sentence": "Meta launched Threads."}]


def test_negated_launch_is_no_launch(nlp) -> None:
    assert _one(nlp, "Meta has not launched Threads in the European Union.").launches == []


def test_announcement_is_not_yet_a_launch(nlp) -> None:
    launch = _one(nlp, "Google announced the Pixel 8 Pro on Wednesday.").launches[0]
    assert (launch.company, launch.product, launch.modality) == ("Google", "Pixel 8 Pro", "announced")


def test_funding_figure(nlp) -> None:
    metric = _one(nlp, "Vantora raised $18 million in a Series A round led by Northgate.").metrics[0]
    assert (metric.subject, metric.metric, metric.value, metric.unit) == \
        ("Vantora", "funding", 18e6, "USD")
    assert metric.modality == "reported"


def test_hypothetical_figure_is_marked(nlp) -> None:
    analysis = _one(nlp, "If it won a tenth of Spotify's listeners, it would have 60 million users.")
    assert [m.modality for m in analysis.metrics] == ["hypothetical"]


def test_offsets_point_into_the_text(nlp) -> None:
    text = "Shares rose. Xiaomi and Tencent both said Meituan grew."
    for entity in _one(nlp, text).entities:
        assert text[entity.start:entity.end] == entity.text


def test_metric_acronyms_are_not_companies() -> None:
    blank = spacy.blank("en")
    doc = blank("Yesterday DAU rose while Acme Labs filed for an IPO")
    doc.ents = [doc.char_span(10, 13, label="ORG"), doc.char_span(25, 34, label="ORG"),
                doc.char_span(48, 51, label="ORG")]
    doc = TechEntities(stop_names=["dau", "ipo"])(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Acme Labs", "COMPANY")]


def test_summary_is_the_lead(nlp) -> None:
    text = ("Tallyworks launched Ledgerly on Tuesday, a bookkeeping app for freelancers. "
            "It costs $9 a month after a free trial of thirty days. Reviews were mixed.")
    assert _one(nlp, text).summary == ("Tallyworks launched Ledgerly on Tuesday, a bookkeeping "
                                       "app for freelancers. It costs $9 a month after a free "
                                       "trial of thirty days.")
