"""Figures and launch facts on the real model. Sentences are written for these tests."""

from __future__ import annotations

import pytest

from launchwire.evaluate_team import LAUNCHES_SET, METRICS_SET, load_set
from nlp.scoring import evaluate_launches, evaluate_metrics


def _figures(nlp, text: str) -> list[tuple]:
    return [(f.metric, f.value, f.unit, f.qualifier, f.subject.text if f.subject else None,
             f.modality) for f in nlp(text)._.metrics]


@pytest.mark.parametrize("text, expected", [
    ("Pondlark says it has more than 40 million monthly active users.",
     ("mau", 40e6, "users", "more_than", "Pondlark", "reported")),
    ("Quorvane raised $18M in a Series A round.", ("funding", 18e6, "USD", "exact", "Quorvane", "reported")),
    ("The Brindle app costs $7 a month after a free trial.", ("price", 7, "USD", "exact", None, "reported")),
    ("Halden is reportedly valued at about $2.5 billion.",
     ("valuation", 2.5e9, "USD", "about", "Halden", "rumored")),
    ("If Tessaro won a fifth of the market, its revenue would reach 3 billion yuan.",
     ("revenue", 3e9, "CNY", "exact", "Tessaro", "hypothetical")),
    ("Varnel expects to ship 2 million phones next year.",
     ("units", 2e6, "units", "exact", "Varnel", "forecast")),
])
def test_figures_are_typed_owned_and_hedged(nlp, text: str, expected: tuple) -> None:
    found = _figures(nlp, text)
    assert any(f[:4] == expected[:4] and f[5] == expected[5] and
               (expected[4] is None or f[4] == expected[4]) for f in found), found


@pytest.mark.parametrize("text", [
    "The company was founded in 2019 and has offices in 14 cities.",
    "The update arrives with iOS 17 and needs 128GB of storage.",
    "Call 555-123-4567 for the third time this week.",
])
def test_numbers_that_are_not_metrics(nlp, text: str) -> None:
    assert _figures(nlp, text) == []


def test_comparison_inherits_the_figure_type(nlp) -> None:
    found = _figures(nlp, "Pondlark now has 12 million subscribers, up from 7 million a year earlier.")
    assert [(f[0], f[1]) for f in found] == [("subscribers", 12e6), ("subscribers", 7e6)]


@pytest.mark.parametrize("text, product, modality", [
    ("Skelmor launched the Brio headset on Tuesday. The Brio costs $299.", "Brio", "launched"),
    ("Skelmor unveiled the Brio headset, which will be available in March.", "Brio", "announced"),
    ("Skelmor plans to launch the Brio headset next year, its chief executive said.", "Brio", "planned"),
    ("Skelmor will reportedly launch the Brio headset next month, people familiar said.",
     "Brio", "rumored"),
])
def test_article_launch_and_its_modality(nlp, text: str, product: str, modality: str) -> None:
    launch = nlp(text)._.launch
    assert launch is not None and product in launch.product.text and launch.modality == modality


@pytest.mark.parametrize("text", [
    "Skelmor has not launched the Brio headset in Europe and gave no date.",
    "Skelmor raised $40 million in a Series B round. Its Brio headset launched last year.",
    "If Skelmor launched a cheaper Brio, it would sell far more of them.",
])
def test_not_a_launch_story(nlp, text: str) -> None:
    assert nlp(text)._.launch is None


@pytest.mark.slow
def test_metric_and_launch_figures_do_not_regress(nlp) -> None:
    # Measured when issue #5 closed: metric F1 0.908, subject accuracy 0.916, modality 0.916;
    # launch detection F1 0.940, product accuracy 0.968, date accuracy 0.93. The guards sit
    # just under, so a real regression fails and noise from a model re-release does not.
    metrics = evaluate_metrics(nlp, load_set(METRICS_SET))
    assert metrics.figures.f1 >= 0.90 and metrics.subject >= 0.90 and metrics.modality >= 0.90
    launches = evaluate_launches(nlp, load_set(LAUNCHES_SET))
    assert launches.detection.f1 >= 0.92 and launches.product >= 0.94
    assert launches.details["date"] >= 0.88 and launches.details["price"] >= 0.72


def test_a_range_told_as_two_numbers_is_one_figure(nlp) -> None:
    from spacy.tokens import Span

    from nlp.metrics import find_metrics

    doc = nlp("Umberly expects revenue to grow between 25% and 30% next year.")
    # A recogniser may give the range's ends as two entities (the trained one does).
    between = next(token.i for token in doc if token.text == "between")
    split = [Span(doc, between, between + 3, label="PERCENT"),
             Span(doc, between + 4, between + 6, label="PERCENT")]
    assert [span.text for span in split] == ["between 25%", "30%"]
    doc.ents = [ent for ent in doc.ents if ent.label_ != "PERCENT"] + split
    found = [(f.metric, f.value, f.span.text) for f in find_metrics(doc)]
    assert found == [("growth", 25, "between 25% and 30%")], found


@pytest.mark.parametrize("text, pieces, found", [
    ("Tallowick's ferry app reached half a million riders within a year.",
     [("half", "CARDINAL")], [("users", 500_000)]),
    ("Cinderpath says its maps could one day reach hundreds of millions of drivers.",
     [("hundreds", "CARDINAL"), ("millions", "CARDINAL")], [("users", 100_000_000)]),
    ("Larkspur Plus costs £49.99 a year. Students aged 13 to 17 get 40% off with a school code.",
     [("13", "CARDINAL"), ("17", "CARDINAL")], [("price", 49.99)]),
])
def test_a_figure_told_in_pieces_is_read_whole(nlp, text: str, pieces: list[tuple[str, str]],
                                                found: list[tuple[str, float]]) -> None:
    from spacy.tokens import Span

    from nlp.metrics import find_metrics

    doc = nlp(text)
    # The recogniser may stop at "half" or split a count in two (the trained one does).
    spans = []
    for words, label in pieces:
        start = next(token.i for token in doc if token.text == words
                     and not any(span.start == token.i for span in spans))
        spans.append(Span(doc, start, start + 1, label=label))
    doc.ents = [ent for ent in doc.ents if not any(
        span.start < ent.end and ent.start < span.end for span in spans)] + spans
    assert [(f.metric, f.value) for f in find_metrics(doc)] == found
