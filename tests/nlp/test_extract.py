"""The assembled pipeline on short texts (the real statistical model, no downloads)."""

from __future__ import annotations

import spacy

from nlp.components import TechEntities
from nlp.extract import analyze


def _one(nlp, text: str, published: str | None = None):
    return next(analyze(nlp, [text], [published]))


def test_contract_for_a_simple_launch(nlp) -> None:
    contract = _one(nlp, "Meta launched Threads.", "2023-07-05T22:00:00+00:00").to_contract()
    assert set(contract) == {"entities", "metrics", "launches", "launch_facts", "summary",
                             "genre"}
    assert contract["genre"] == "news"
    assert {(e["text"], e["label"]) for e in contract["entities"]} >= {("Meta", "COMPANY")}
    assert contract["launches"] == [{"company": "Meta", "product": "Threads",
                                     "modality": "launched", "date": "2023-07-05",
                                     "sentence": "Meta launched Threads.", "platform": None,
                                     "region": None, "price": None}]
    assert contract["launch_facts"] == contract["launches"]


def test_launch_details_from_the_sentences_about_it(nlp) -> None:
    text = ("Tarnwell announced the Tarnwell Go on Tuesday, a handheld gaming PC with an OLED "
            "screen. It will be available on November 20 for $599 in North America and Europe. "
            "The device runs Windows and reaches players through Steam.")
    launch = _one(nlp, text, "2025-10-16").launches[0]
    assert (launch.product, launch.modality) == ("Tarnwell Go", "announced")
    assert launch.date == "2025-10-14"  # the Tuesday before the Thursday it was published
    assert (launch.region, launch.price) == ("North America and Europe", "$599")


def test_every_sentence_launch_is_a_fact_but_one_is_the_story(nlp) -> None:
    text = ("Meta launched Threads on Wednesday, a text app tied to Instagram. It went live on "
            "iOS and Android in more than 100 countries and is free. Separately, Google "
            "released Gemini in March.")
    analysis = _one(nlp, text, "2023-07-06")
    assert [(f.product, f.about) for f in analysis.launch_facts] == [("Threads", True),
                                                                      ("Gemini", False)]
    threads = analysis.launches[0]
    assert (threads.date, threads.platform, threads.region, threads.price) == \
        ("2023-07-05", "iOS and Android", "more than 100 countries", "free")


def test_a_plan_without_a_day_has_no_date(nlp) -> None:
    launch = _one(nlp, "Pickwell plans to launch Pickwell Go in Spain next year.",
                  "2025-01-10").launches[0]
    assert (launch.modality, launch.date, launch.region) == ("planned", None, "Spain")


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


def test_summary_is_the_lead_within_the_quoting_budget(nlp) -> None:
    text = ("Tallyworks launched Ledgerly on Tuesday, a bookkeeping app for freelancers. "
            "It costs $9 a month after a free trial of thirty days. Reviews were mixed.")
    # Three sentences: a public site may quote one of them (#12).
    analysis = _one(nlp, text)
    assert analysis.summary == ("Tallyworks launched Ledgerly on Tuesday, a bookkeeping app "
                                "for freelancers.")
    assert [fact.quotable for fact in analysis.launch_facts] == [True]
    assert [(m.metric, m.quotable) for m in analysis.metrics] == [("price", False)]


def test_a_figure_is_as_of_the_day_its_sentence_gives(nlp) -> None:
    analysis = _one(nlp, "Hopwise said on Tuesday that it had 3 million monthly active users. "
                         "It raised $20 million last year.", "2025-06-12")
    assert [(m.metric, m.as_of) for m in analysis.metrics] == [("mau", "2025-06-10"),
                                                              ("funding", "2025-06-12")]
