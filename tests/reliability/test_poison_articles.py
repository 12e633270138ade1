"""One article that cannot be processed never stops `process` (#12): a text over spaCy's
max_length is analysed in pieces, and an article on which a component raises is recorded
with its reason and skipped, while every other article is processed, clustered and published."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from db import connect, store
from launchwire import stages
from launchwire.settings import load_settings
from launchwire.workers import Workers
from nlp.pipeline import load_nlp

MARKER = "Zorblax-7 poison marker"
NORMAL = [
    "Tallyworks launched Ledgerly on Tuesday, a bookkeeping app for freelancers. It costs $9 a "
    "month after a free trial. The Lisbon startup said Ledgerly had 40,000 users in its beta. "
    "Reviewers praised its receipts scanner and its plain invoices for small shops.",
    "Quillo raised $18 million from Northwind Ventures to grow its note-taking app. The startup "
    "said Quillo reached 2 million downloads in March. It plans to hire forty engineers in "
    "Berlin this year, its founder said in an interview on Monday morning.",
]


@Language.component("launchwire_test_fails_on_marker")
def fails_on_marker(doc: Doc) -> Doc:
    """A component with a bug that one article's text sets off."""
    if MARKER in doc.text:
        raise ValueError("component failed on this text")
    return doc


def long_text(characters: int) -> str:
    """A page's worth of data dump between real sentences, as an extractor returns from a
    1.2 MB page: hashes keep the token count (and the test's time) down."""
    opening = "Brightloop launched Tandem on Monday, a cargo bike sharing app for families.\n"
    closing = "Brightloop said Tandem had 12,000 riders in Oslo by the end of its first week.\n"
    hashes = []
    size = len(opening) + len(closing)
    while size < characters:
        line = " ".join(hashlib.sha256(f"{len(hashes)}-{i}".encode()).hexdigest()
                        for i in range(8)) + ".\n"
        hashes.append(line)
        size += len(line)
    return opening + "".join(hashes) + closing


def load_failing_pipeline() -> Language:
    """The pipeline with the faulty component; a module's function, so workers can load it."""
    pipeline = load_nlp(load_settings().model_name)
    pipeline.add_pipe("launchwire_test_fails_on_marker", first=True)
    return pipeline


@pytest.fixture(scope="module")
def failing_pipeline() -> Language:
    return load_failing_pipeline()


def _article(db, number: int, text: str) -> int:
    return store.insert_article(db, {
        "url": f"https://news.example/{number}", "source": "Example", "title": f"Story {number}",
        "text": text, "published": "2025-06-10T09:00:00+00:00",
        "fetched_at": "2025-06-10T10:00:00+00:00"})


def test_long_and_failing_articles_do_not_stop_process(tmp_path: Path, failing_pipeline) -> None:
    db = connect(tmp_path / "poison.db")
    store.upsert_source(db, {"name": "Example", "homepage": "https://news.example/"})
    first = _article(db, 1, NORMAL[0])
    huge_text = long_text(1_200_000)
    assert len(huge_text) > failing_pipeline.max_length
    huge = _article(db, 2, huge_text)
    poison = _article(db, 3, f"{MARKER}. " + NORMAL[1].replace("Quillo", "Quillo Notes"))
    last = _article(db, 4, NORMAL[1])
    settings = load_settings({"db": str(tmp_path / "poison.db"), "batch_size": 2})

    report = stages.process(settings, pipeline=failing_pipeline)

    assert report.analysed == 3
    assert report.failed == [(poison, "ValueError: component failed on this text")]
    row = db.table("articles").get(poison)
    assert row["process_error"] == "ValueError: component failed on this text"
    assert row["processed_by"] and row["summary"] is None
    for article in (first, huge, last):
        assert db.table("articles").get(article)["process_error"] is None
        assert db.execute("select count(*) from mentions where article_id = ?",
                          [article]).fetchone()[0] > 0
    # The long text was read to its end, its offsets pointing into the whole text.
    tail = next(db.query("select max(start) as start from mentions where article_id = ?", [huge]))
    assert tail["start"] > 1_100_000
    for mention in db.query("select text, start, \"end\" from mentions where article_id = ?", [huge]):
        assert huge_text[mention["start"]:mention["end"]] == mention["text"]
    # Nothing is retried until the pipeline changes, and the later stages go on.
    assert stages.process(settings, pipeline=failing_pipeline).analysed == 0
    assert stages.cluster(settings) >= 1
    assert stages.publish(settings)["articles"] == 4


def test_workers_set_the_failing_article_aside_as_one_process_does(
        tmp_path: Path, failing_pipeline, stored_analyses) -> None:
    texts = [NORMAL[0], NORMAL[1], f"{MARKER}. " + NORMAL[1].replace("Quillo", "Quillo Notes"),
             NORMAL[0].replace("Tallyworks", "Tally Works")]
    reports = {}
    for workers in (1, 2):
        path = tmp_path / f"workers{workers}.db"
        db = connect(path)
        store.upsert_source(db, {"name": "Example", "homepage": "https://news.example/"})
        for number, text in enumerate(texts):
            _article(db, number, text)
        # Batches of 2: one chunk for each worker, the poison in the second.
        settings = load_settings({"db": str(path), "batch_size": 2})
        if workers == 1:
            reports[workers] = stages.process(settings, pipeline=failing_pipeline)
        else:
            with Workers(2, load_failing_pipeline) as pool:
                reports[workers] = stages.process(settings, pipeline=failing_pipeline,
                                                  workers=pool)
    assert reports[2] == reports[1]
    assert reports[1].failed == [(3, "ValueError: component failed on this text")]
    assert stored_analyses(tmp_path / "workers2.db") == stored_analyses(tmp_path / "workers1.db")
