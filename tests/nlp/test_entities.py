"""Tech entities: the gazetteer, context rules and their guards, on the real model.

Sentences here are written for these tests; none is copied from the development set.
"""

from __future__ import annotations

import json

import pytest
import spacy

from launchwire.evaluate_team import ENTITIES_SET, load_set
from launchwire.settings import load_settings
from nlp.gazetteer import load_gazetteer, service_names
from nlp.pipeline import load_nlp
from nlp.scoring import entity_scores, score


def _ents(nlp, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.kb_id_) for e in nlp(text).ents
            if e.label_ in {"COMPANY", "APP", "PRODUCT"}]


def test_gazetteer_is_big_consistent_and_holds_the_chinese_ecosystem() -> None:
    known = load_gazetteer()
    names = {entry.name for entry in known}
    assert len(known) >= 1500
    assert all(entry.parent is None or entry.parent in names for entry in known)
    by_name = {entry.name: entry for entry in known}
    assert by_name["Douyin"].parent == by_name["TikTok"].parent == "ByteDance"
    assert "RedNote" in by_name["Xiaohongshu"].aliases
    assert "Weixin" in by_name["WeChat"].aliases
    spellings = [s for entry in known for s in entry.spellings]
    assert len(spellings) == len(set(spellings))
    assert "Etsy" in service_names()


@pytest.mark.parametrize("text, expected", [
    ("Users moved to RedNote this week.", [("RedNote", "APP", "Xiaohongshu")]),
    ("Weixin now lets merchants open shops.", [("Weixin", "APP", "WeChat")]),
    ("Meta said Threads passed 150 million users.",
     [("Meta", "COMPANY", "Meta"), ("Threads", "APP", "Threads")]),
])
def test_aliases_link_to_canonical_names(nlp, text: str, expected: list) -> None:
    assert _ents(nlp, text) == expected


@pytest.mark.parametrize("text, name, label", [
    ("Brindlewick, a note-taking app for nurses, reached 40,000 users.", "Brindlewick", "APP"),
    ("The company launched an app called Pondweave in Jakarta.", "Pondweave", "APP"),
    ("Lisbon-based startup Quorvane raised $6 million.", "Quorvane", "COMPANY"),
    ("Tessaro Robotics will ship the arms next year.", "Tessaro Robotics", "COMPANY"),
    ("Halden Dynamics Inc. filed for an IPO on Monday.", "Halden Dynamics", "COMPANY"),
    ("Orlix's new budgeting app, Pennywise Pro, is free.", "Pennywise Pro", "APP"),
    ("Reviewers liked the Varnel V3 smartphone.", "Varnel V3", "PRODUCT"),
    ("Skelmor, the maker of the Brio headset, cut prices.", "Skelmor", "COMPANY"),
])
def test_context_rules_find_names_no_dictionary_holds(nlp, text: str, name: str, label: str) -> None:
    assert (name, label) in [(text_, label_) for text_, label_, _ in _ents(nlp, text)]


def test_acronyms_and_spam_are_not_entities(nlp) -> None:
    found = _ents(nlp, "DAU and MAU rose 9% before the IPO, while GMV grew Buy Cheap Viagra "
                       "Online Now 4% on Taobao.")
    assert [name for name, _, _ in found] == ["Taobao"]


def test_a_company_named_like_its_service_takes_its_role(nlp) -> None:
    assert ("Etsy", "APP") in [(n, l) for n, l, _ in _ents(nlp, "Potters sell mugs on Etsy.")]
    assert ("Etsy", "COMPANY") in [(n, l) for n, l, _ in _ents(nlp, "Etsy said revenue rose.")]


def test_a_maker_in_front_of_its_model_is_part_of_its_name(nlp) -> None:
    found = _ents(nlp, "Buyers compared the Tesla Model Y with the Xiaomi 14 Ultra and Apple's "
                       "iPhone 15.")
    assert ("Tesla Model Y", "PRODUCT", "Tesla Model Y") in found
    assert ("Xiaomi 14 Ultra", "PRODUCT", "Xiaomi 14 Ultra") in found
    assert ("Apple", "COMPANY", "Apple") in found  # a possessive keeps the maker apart
    assert ("iPhone 15", "PRODUCT", "iPhone 15") in found
    assert ("Visual Studio Code 1.0", "APP") in [
        (n, l) for n, l, _ in _ents(nlp, "Microsoft released Visual Studio Code 1.0 today.")]


def test_names_repeat_across_the_document(nlp) -> None:
    text = "Cindral, a grocery app, expanded to Lyon. Cindral now delivers in 20 minutes."
    assert [(n, l) for n, l, _ in _ents(nlp, text)] == [("Cindral", "APP"), ("Cindral", "APP")]


def test_lowercase_text_still_finds_known_names(nlp) -> None:
    found = _ents(nlp, "switched from whatsapp to telegram last week. telegram is faster. "
                       "also tried wechat.")
    assert {(n, c) for n, _, c in found} >= {("whatsapp", "WhatsApp"), ("wechat", "WeChat")}


def test_score_counts_exact_labeled_spans() -> None:
    scores = score(gold=[(0, 0, 4, "APP"), (0, 5, 9, "COMPANY")],
                   predicted=[(0, 0, 4, "APP"), (0, 5, 9, "APP")])
    assert (scores["overall"].precision, scores["overall"].recall) == (0.5, 0.5)
    assert scores["APP"].f1 == pytest.approx(2 / 3)


def test_development_set_is_what_the_issue_asks_for() -> None:
    passages = [json.loads(line) for line in ENTITIES_SET.read_text(encoding="utf-8").splitlines()]
    kinds = {passage["kind"] for passage in passages}
    assert len(passages) >= 80 and sum(len(p["entities"]) for p in passages) >= 400
    assert {"commentary_mt", "lowercase", "common_words", "numbered_products", "no_entity"} <= kinds
    for passage in passages:
        for start, end, _ in passage["entities"]:
            assert passage["text"][start:end].strip() == passage["text"][start:end]


@pytest.mark.slow
def test_f1_does_not_regress() -> None:
    model = load_settings().model_name
    results = entity_scores(load_nlp(model), spacy.load(model), load_set(ENTITIES_SET))
    ours, bare = results["launchwire"]["overall"], results["bare model"]["overall"]
    # Measured 0.904 when this guard was set (issue #4); the bare model scores 0.21.
    assert ours.f1 >= 0.89
    assert ours.f1 > bare.f1 + 0.5
