"""Commentary machine-translated from Chinese tech media, in the team's own sentences (#14):
names rendered word by word, rumours told as "word in the industry", figures posed."""

from __future__ import annotations

import json

import pytest

from nlp.extract import analyze_doc
from nlp.gazetteer import gazetteer_version, load_gazetteer
from nlp.glosses import gloss_index, gloss_patterns, read_gloss_table


def _entities(nlp, text: str) -> dict[str, str]:
    return {entity.text: entity.label for entity in analyze_doc(nlp(text)).entities}


@pytest.mark.parametrize("text, gloss", [
    ("Fast Hand opened a new e-commerce channel for rural sellers last week.", "Fast Hand"),
    ("Many merchants moved their shops from Spell More More to the new platform.",
     "Spell More More"),
    ("The clip was first posted on Watermelon Video before it spread.", "Watermelon Video"),
    ("Teachers in the county now set homework through Nail Nail.", "Nail Nail"),
    ("Millet Auto delivered 40,000 cars in October.", "Millet Auto"),
    ("Millet's new phone sold out in ten minutes.", "Millet"),
    ("The new phone from Millet sold out in ten minutes.", "Millet"),
])
def test_a_literal_translation_of_a_known_chinese_name_is_that_name(nlp, text: str,
                                                                     gloss: str) -> None:
    doc = nlp(text)
    matched = [entity for entity in doc.ents if entity.text == gloss]
    assert matched and matched[0].label_ in {"COMPANY", "APP"}
    assert matched[0].kb_id_ or matched[0].ent_id_


def test_the_shipped_gloss_table_is_what_the_gazetteer_gives_today() -> None:
    """Rebuild with `python -m launchwire.name_lists --glosses` when this fails."""
    version, table = read_gloss_table()
    assert version == gazetteer_version()
    assert table == {gloss: entry.name for gloss, entry in gloss_index(load_gazetteer()).items()}
    assert table["Fast Hand"] == "Kuaishou"


def test_a_gazetteer_newer_than_the_gloss_table_gets_its_glosses_from_the_dictionary(
        tmp_path) -> None:
    gazetteer = tmp_path / "gazetteer.jsonl"
    gazetteer.write_text(json.dumps({"name": "Xigua Video", "label": "APP",
                                     "aliases": ["西瓜视频"]}, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    patterns = {pattern["pattern"]: pattern["id"] for pattern in gloss_patterns(gazetteer)}
    assert patterns["Watermelon Video"] == "Xigua Video"
    assert "Fast Hand" not in patterns  # the shipped table's glosses are another gazetteer's


def test_a_one_word_gloss_opening_a_sentence_is_the_everyday_word(nlp) -> None:
    assert "Millet" not in _entities(nlp, "Millet is a grain grown across northern China.")


def test_a_gloss_written_in_lower_case_is_no_name(nlp) -> None:
    assert "fast hand" not in {entity.text.lower() for entity in nlp(
        "The robot arm moved with a fast hand over the conveyor belt.").ents}


def test_an_app_written_with_app_after_it_is_the_name_alone(nlp) -> None:
    assert "DingTalk" in _entities(nlp, "Teachers switched to the DingTalk APP in March.")


def test_word_in_the_industry_is_a_rumour_and_not_microsoft_word(nlp) -> None:
    result = analyze_doc(nlp("Word in the industry is that Kuaishou will raise $500 million "
                             "for its overseas arm."))
    assert "Word" not in {entity.text for entity in result.entities}
    assert [metric.modality for metric in result.metrics] == ["rumored"]


@pytest.mark.parametrize("text", [
    "Suppose it wins a fifth of Douyin's users: that is 150 million users in a year.",
    "If the app gets 1 million users in its first month, the team will celebrate.",
])
def test_a_posed_figure_is_hypothetical(nlp, text: str) -> None:
    modalities = {metric.modality for metric in analyze_doc(nlp(text)).metrics}
    assert modalities == {"hypothetical"}


def test_a_reported_figure_after_a_condition_clause_stays_reported(nlp) -> None:
    result = analyze_doc(nlp("If you ask the company, it says Kuaishou has 400 million daily "
                             "users."))
    assert [metric.modality for metric in result.metrics] == ["reported"]


@pytest.mark.parametrize("text, product, modality", [
    ("Kuaishou's new video editor Kelvo went online on Monday.", "Kelvo", "launched"),
    ("The orchard game of Pinduoduo was spun off as a standalone APP named Duoguo.", "Duoguo",
     "launched"),
    ("Kuaishou's new video editor Kelvo will go online next month.", "Kelvo", "planned"),
])
def test_translated_launch_phrases(nlp, text: str, product: str, modality: str) -> None:
    launches = analyze_doc(nlp(text)).launches
    assert [(launch.product, launch.modality) for launch in launches] == [(product, modality)]


def test_a_heading_pasted_into_commentary_names_nothing_new(nlp) -> None:
    text = ("The market was quiet for a month.\n\nThree, Super App Dreams\n\nEveryone wants "
            "to be WeChat, and nobody can afford it.\n\n02 What Really Protects Meituan\n\n"
            "Its riders, more than anything else.")
    found = _entities(nlp, text)
    assert "Dreams" not in found and "Super App Dreams" not in found
    assert found.get("WeChat") == "APP" and found.get("Meituan") == "COMPANY"


def _launch(nlp, text: str) -> tuple[str | None, str, str] | None:
    launches = analyze_doc(nlp(text)).launches
    return (launches[0].company, launches[0].product, launches[0].modality) if launches else None


@pytest.mark.parametrize("text, launch", [
    ("The team carved Roaming Notes out of Little Red Book and released it as a standalone "
     "APP in May.", ("Xingyin Information Technology", "Roaming Notes", "launched")),
    ("Tencent spun off its mini-game feature as a standalone APP called Quick Play.",
     ("Tencent", "Quick Play", "launched")),
    ("The feature was spun off from Alipay as a standalone app named Ant Fortune in 2015.",
     ("Ant Group", "Ant Fortune", "launched")),
    ("Ahead of its debut, Douyin's new shopping app Tide has signed up 5,000 merchants.",
     ("ByteDance", "Tide", "announced")),
])
def test_a_spin_off_is_launched_by_the_maker_of_the_app_it_came_out_of(nlp, text: str,
                                                                        launch: tuple) -> None:
    assert _launch(nlp, text) == launch


def test_a_spin_off_the_sentence_does_not_name_is_not_its_parent(nlp) -> None:
    # The spin-off is named in another sentence: DingTalk itself launched nothing.
    assert _launch(nlp, "It is the meeting minutes function carved out of the office APP "
                        "Nail Nail (DingTalk), and it will be spun off as a standalone APP.") is None


def test_a_company_spun_off_is_no_app_launch(nlp) -> None:
    assert _launch(nlp, "Siemens spun off Siemens Energy in 2020 and listed it in Frankfurt.") \
        is None


def test_according_to_reports_is_hearsay(nlp) -> None:
    result = analyze_doc(nlp("According to media reports, the app has 30 million daily "
                             "active users."))
    assert [metric.modality for metric in result.metrics] == ["rumored"]
    launch = _launch(nlp, "According to reports, Pinduoduo plans to launch a new app called "
                          "Duo Duo Mall next month.")
    assert launch is not None and launch[2] == "rumored"


def test_a_research_firm_named_reports_is_no_hearsay(nlp) -> None:
    result = analyze_doc(nlp("The market is anticipated to be worth $3.16 billion by 2027, "
                             "according to Reports Web."))
    assert [metric.modality for metric in result.metrics] == ["forecast"]
