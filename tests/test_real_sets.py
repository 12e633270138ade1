"""The real-text sets (#13): offsets into the shared corpora, checked span by span."""

from __future__ import annotations

import json

import pytest

from launchwire import corpora, public_sets, real_sets
from launchwire.corpora import AnnotationMismatch, span_check
from launchwire.settings import load_settings
from nlp import components
from nlp.pipeline import load_nlp

needs_corpora = pytest.mark.skipif(
    not (corpora.corpora_folder() / corpora.FILES[corpora.LOSTFLUX]).exists(),
    reason=f"the shared corpora are not in {corpora.corpora_folder()}: set "
           f"{corpora.CORPORA_ENV} to run the real-text checks")


def test_the_split_depends_on_the_document_alone() -> None:
    ids = [f"doc-{n}" for n in range(2000)]
    test_share = sum(corpora.split_of(doc_id) == "test" for doc_id in ids) / len(ids)
    assert 0.35 < test_share < 0.45
    assert [corpora.split_of(doc_id) for doc_id in ids] == [corpora.split_of(d) for d in ids]


def test_the_annotation_files_hold_offsets_and_labels_only() -> None:
    allowed = {"start", "end", "check", *real_sets.KEPT_FIELDS}
    for path in (real_sets.ENTITIES, real_sets.FIGURES):
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            for span in row.get("entities", row.get("metrics", [])):
                assert set(span) <= allowed, (path.name, row["id"], set(span) - allowed)
    for path in (real_sets.PASSAGES, real_sets.ARTICLES):
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            assert set(row) == {"id", "corpus", "doc_id", "start", "end", "check"}


def test_surfaces_resolve_longest_first_and_by_occurrence() -> None:
    text = "Google Maps beat Apple Maps; Google said Google Maps grew."
    spans = real_sets.resolve_surfaces(text, [
        {"text": "Google", "label": "COMPANY"}, {"text": "Google Maps", "label": "APP"},
        {"text": "Apple Maps", "label": "APP", "nth": 0}], "example")
    found = [(text[start:end], item["label"]) for start, end, item in spans]
    assert found == [("Google Maps", "APP"), ("Apple Maps", "APP"), ("Google", "COMPANY"),
                     ("Google Maps", "APP")]
    with pytest.raises(AnnotationMismatch):
        real_sets.resolve_surfaces(text, [{"text": "Bing", "label": "APP"}], "example")
    with pytest.raises(AnnotationMismatch):
        real_sets.resolve_surfaces(text, [{"text": "Apple Maps", "nth": 1}], "example")


def test_a_misaligned_span_is_an_error_not_a_wrong_score() -> None:
    text = "Acme Robotics raised $5 million."
    assert corpora.checked_span(text, 0, 13, span_check("Acme Robotics"), "x") == "Acme Robotics"
    with pytest.raises(AnnotationMismatch):
        corpora.checked_span(text, 1, 13, span_check("Acme Robotics"), "x")


@needs_corpora
def test_every_annotated_span_matches_the_corpus_text() -> None:
    sizes = {}
    for split in ("dev", "test"):
        entities = real_sets.load_entities(split)
        figures = real_sets.load_figures(split)
        launches = real_sets.load_launches(split)
        sizes[split] = (len(entities), sum(len(r["entities"]) for r in entities),
                        sum(len(r["metrics"]) for r in figures), len(launches))
    passages = sum(size[0] for size in sizes.values())
    assert passages >= 300
    assert sum(size[1] for size in sizes.values()) >= 1500
    assert sum(size[2] for size in sizes.values()) >= 300
    assert sum(size[3] for size in sizes.values()) >= 150
    assert all(size[0] > 100 for size in sizes.values())


@needs_corpora
def test_the_untrained_split_is_dev_text_the_recogniser_never_learns_from() -> None:
    regions = real_sets.regions_by_id()
    untrained = real_sets.load_entities("untrained")
    fourth_draw = [r for r in real_sets.load_entities("dev")
                   if r["id"] >= real_sets.UNTRAINED_FROM]
    assert len(fourth_draw) >= 200
    assert {r["id"] for r in fourth_draw} <= {r["id"] for r in untrained}
    assert all(regions[r["id"]].split == "dev" for r in untrained)
    assert not {r["id"] for r in untrained} & {r["id"] for r in real_sets.load_entities("test")}
    kept = [r for r in real_sets.load_entities("dev")
            if not real_sets.held_out_of_training(regions[r["id"]])]
    assert kept and not {r["id"] for r in kept} & {r["id"] for r in untrained}


@needs_corpora
def test_a_work_file_without_its_list_is_refused_not_read_as_empty(tmp_path) -> None:
    work = tmp_path / "work.jsonl"
    work.write_text(json.dumps({"id": "rp0001", "entities": []}) + "\n")
    with pytest.raises(AnnotationMismatch, match="no 'figures' list"):
        real_sets.import_work("figures", [work], write=False)
    work.write_text(json.dumps({"id": "rp0001", "metrics": []}) + "\n")
    assert real_sets.import_work("figures", [work], write=False) == 1


@needs_corpora
def test_public_sets_read_with_their_published_counts() -> None:
    conll = public_sets.read(public_sets.CONLL_DEV)
    wnut = public_sets.read(public_sets.WNUT_DEV, sentences_per_text=1)
    assert len(conll) == 216
    assert sum(label == "ORG" for text in conll for *_, label in text.spans) == 1341
    assert sum(label == "product" for text in wnut for *_, label in text.spans) == 114
    first = conll[1]
    start, end, label = first.spans[0]
    assert first.text[start:end].isupper() and label == "MISC"


def test_the_shipped_recogniser_loads_in_the_stock_ner_place() -> None:
    pipeline = load_nlp(load_settings().model_name, trained=True)
    ner = pipeline.get_pipe("ner")
    wanted = {"TECH_COMPANY", "TECH_APP", "TECH_PRODUCT", "PERSON", "DATE", "MONEY"}
    assert wanted <= set(ner.labels)
    doc = pipeline("Kestrelbyte, a Lisbon startup, launched its Kestrel app on Tuesday. "
                   "Chief executive Ana Duarte said it raised $4 million.")
    labels = {ent.text: ent.label_ for ent in doc.ents}
    assert labels.get("Ana Duarte") == "PERSON"
    assert labels.get("$4 million") == "MONEY"
    assert labels.get("Kestrelbyte") == "COMPANY"


@pytest.mark.parametrize("text, product", [
    ("Plymouth 4 Exeter 1 .", None),
    ("West Bromwich 3 Leeds 0 Everton 2 Chelsea 2 Derby 1 Wimbledon 1", None),
    ("Zinedine Zidane 46th minute penalty sealed it .", None),
    ("ROME 1996-08-30\nItaly beat Wales .", None),
    ("The Florida Marlins beat the Cincinnati Reds 3-1 on Friday .", None),
    ("Teams : Belgium - 1 - Filip De Wilde , 2 - Bertrand Crasson", None),
    ("Saeed Anwar c Stewart b Gough 33\nAamir Sohail c Croft b Gough 0\n", None),
    ("Surrey 429-7 ( C. Lewis 80 not out , M. Butcher 70 )", None),
    ("Penalties : Honiball ( 2 ) , Joubert ( 3 ) .", None),
    ("England beat Moldova in a European Under-21 qualifier .", None),
    ("The COVID-19 pandemic hit sales, and the CVE-2025 bug was patched .", None),
    ("Leaders met at the G-20 summit as the ERC-1155 standard spread .", None),
    ("OpenAI set November 24 for the GPT-5.1 family .", "GPT-5.1"),
    ("Xiaomi said the Xiaomi 14 Ultra ships next month.", "Xiaomi 14 Ultra"),
    ("The Veyra C5 smartphone goes on sale in May.", "Veyra C5"),
])
def test_model_numbers_need_a_product_reading(nlp, text: str, product: str | None) -> None:
    found = [ent.text for ent in nlp(text).ents if ent.label_ == "PRODUCT"]
    assert found == ([product] if product else [])


WAR_REPORT = (
    "Fighting broke out again on Saturday on the outskirts of Dravnik, the regional capital, and "
    "thousands of residents fled toward the border. Shells also fell on Sergiyev Posad 70 km "
    "north of the capital . Officials in Dravnik said the shelling had stopped by the evening, but "
    "roads into the valley remained closed and the bridge at Ostrelka was damaged. A ceasefire "
    "agreed in March had held for four months before the latest clashes, the ministry said, and "
    "talks between the two sides are due to resume next week in Geneva.")


def test_a_long_text_about_something_else_has_no_guessed_apps_or_products(
        nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    def guessed() -> list[str]:
        return [ent.text for ent in nlp(WAR_REPORT).ents if ent.label_ in {"APP", "PRODUCT"}]

    assert guessed() == []
    # Judged as a short text (no context to go by), the recogniser's guess stands.
    monkeypatch.setattr(components, "LONG_TEXT_TOKENS", 10**6)
    assert guessed() == ["Sergiyev Posad"]


@needs_corpora
def test_rehearsal_paragraphs_teach_only_the_stock_model_s_numbers_and_dates() -> None:
    import spacy

    from launchwire import training

    stock = spacy.load(load_settings().model_name)
    docs = training.rehearsal_docs(stock, 4)
    assert len(docs) == 4
    labels = {ent.label_ for doc in docs for ent in doc.ents}
    assert labels and labels <= training.NUMBER_LABELS
    # Outside those entities nothing is taught, not even "not a name".
    assert all(token.ent_iob_ == "" for doc in docs for token in doc if not token.ent_type_)
