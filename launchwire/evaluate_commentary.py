"""Commentary told from news, and summarised by its argument (#14).

    launchwire evaluate commentary [--split dev|test] [--json]

Genre, as `process` decides it (`nlp.genre`), on two kinds of text. The team's commentary
set (`tests/data/commentary_dev.jsonl`; `commentary_test.jsonl` was written apart from the
code and is quoted, never tuned on) beside the team's news stories (`stories_dev.jsonl`,
in the dev split only). And real text: VentureBeat's contributed opinion (its
DataDecisionMakers section) beside its own funding and launch reports ("…-raises-…",
"…-launches-…") in ../shared/corpora, the same hash halves as `evaluate_real`.

Summaries: ROUGE F (rouge-score, Porter stemming) against the reference summaries of the
commentary set, for what `process` writes (a text it calls commentary summarised by its
argument, anything else by lead-prior TextRank), for lead-prior TextRank alone (what it
wrote before) and for Lead-3.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

from rich.console import Console
from rich.table import Table

from launchwire import corpora
from launchwire.settings import load_settings
from launchwire.evaluate_team import load_set
from nlp.scoring import Score
from nlp.genre import COMMENTARY, genre
from nlp.pipeline import load_nlp
from nlp.summarize import lead_sentences, textrank_sentences

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = {"dev": DATA / "commentary_dev.jsonl", "test": DATA / "commentary_test.jsonl"}
NEWS_SET = DATA / "stories_dev.jsonl"
OPINION_URL = re.compile(r"/datadecisionmakers/")
REPORT_URL = re.compile(r"/(?:[^/]*-)?(?:raises|launches|announces|unveils|releases|acquires|"
                        r"introduces|debuts|secures)-")
# Where VentureBeat's page text stops being the article: its sign-off blocks.
PAGE_FOOTER = re.compile(r"\n[^\n]*(?:Welcome to the VentureBeat community|VentureBeat's "
                         r"mission|VB Daily|Originally appeared|Stay in the know)")
REPORTS_PER_SPLIT = 300  # of ~900 reports a half: enough beside ~90 opinion pieces
MIN_WORDS = 150
ROUGE = ("rouge1", "rouge2", "rougeL")


def _article_body(text: str, title: str) -> str | None:
    """The article of a crawled VentureBeat page: after its title line, before its footer."""
    at = text.find(title[:40])
    if at < 0:
        return None
    body = text[text.find("\n", at) + 1:]
    footer = PAGE_FOOTER.search(body)
    return body[:footer.start()] if footer else body


def venturebeat_genres(split: str) -> Iterator[tuple[str, str]]:
    """(genre by section, article text) of VentureBeat's opinion pieces and reports in one
    half, reports in hash order up to `REPORTS_PER_SPLIT`."""
    path = corpora.require_corpora() / corpora.FILES[corpora.LOSTFLUX]
    opinion, reports = [], []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for row in map(json.loads, lines):
            if row.get("domain") != "venturebeat.com" or corpora.split_of(row["id"]) != split:
                continue
            url = row.get("url") or ""
            wanted = (opinion if OPINION_URL.search(url)
                      else reports if REPORT_URL.search(url) else None)
            body = None if wanted is None else _article_body(row.get("text") or "",
                                                             row["title"].split(" | ")[0])
            if body and len(body.split()) >= MIN_WORDS:
                wanted.append((corpora.order_key(row["id"]), body))
    yield from ((COMMENTARY, text) for _, text in opinion)
    yield from (("news", text) for _, text in sorted(reports)[:REPORTS_PER_SPLIT])


def _genre_score(pipeline, labelled: list[tuple[str, str]]) -> dict[str, Any]:
    """Commentary found: precision and recall, and accuracy over both genres."""
    found = [genre(doc) for doc in pipeline.pipe((text for _, text in labelled), batch_size=16)]
    gold = [label for label, _ in labelled]
    right = sum(1 for g, f in zip(gold, found) if g == f == COMMENTARY)
    score = Score(right, found.count(COMMENTARY), gold.count(COMMENTARY))
    return {**score.as_dict(), "commentary": gold.count(COMMENTARY),
            "news": len(gold) - gold.count(COMMENTARY),
            "accuracy": round(sum(map(str.__eq__, gold, found)) / max(1, len(gold)), 4)}


def _summary_scores(pipeline, pieces: list[dict]) -> dict[str, dict[str, float]]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE), use_stemmer=True)
    totals: dict[str, Counter] = {name: Counter() for name in ("launchwire", "textrank", "lead3")}
    for piece, doc in zip(pieces, pipeline.pipe(piece["text"] for piece in pieces)):
        for system, sentences in (
                ("launchwire", textrank_sentences(doc, argues=genre(doc) == COMMENTARY)),
                ("textrank", textrank_sentences(doc)), ("lead3", lead_sentences(doc, 3))):
            for name, score in scorer.score(piece["summary"], " ".join(sentences)).items():
                totals[system][name] += score.fmeasure
    return {system: {name: round(total[name] / max(1, len(pieces)), 4) for name in ROUGE}
            for system, total in totals.items()}


def commentary_scores(split: str) -> dict[str, Any]:
    settings = load_settings()
    pipeline = load_nlp(settings.model_name, trained=settings.trained_entities)
    pieces = load_set(SETS[split])
    team = [(COMMENTARY, piece["text"]) for piece in pieces]
    if split == "dev":
        team += [("news", story["text"]) for story in load_set(NEWS_SET)]
    return {"split": split, "pieces": len(pieces),
            "genre_team": _genre_score(pipeline, team),
            "genre_real": _genre_score(pipeline, list(venturebeat_genres(split))),
            "summaries": _summary_scores(pipeline, pieces)}


def _tables(scores: dict[str, Any]) -> list[Table]:
    genres = Table(title=f"commentary told from news ({scores['split']} split)")
    for column in ("texts", "commentary", "news", "P", "R", "F1", "accuracy"):
        genres.add_column(column, justify="left" if column == "texts" else "right")
    for name, label in (("genre_team", "team's commentary beside its news"),
                        ("genre_real", "VentureBeat opinion beside its reports (real)")):
        row = scores[name]
        genres.add_row(label, str(row["commentary"]), str(row["news"]),
                       *(f"{row[key]:.3f}" for key in ("precision", "recall", "f1", "accuracy")))
    summaries = Table(title=f"commentary summaries ({scores['pieces']} reference summaries, "
                            "ROUGE F)")
    for column in ("system", "ROUGE-1", "ROUGE-2", "ROUGE-L"):
        summaries.add_column(column, justify="left" if column == "system" else "right")
    for system, label in (("launchwire", "launchwire (argument for commentary)"),
                          ("textrank", "lead-prior TextRank"), ("lead3", "Lead-3")):
        summaries.add_row(label, *(f"{scores['summaries'][system][n]:.3f}" for n in ROUGE))
    return [genres, summaries]


def report(split: str = "dev", as_json: bool = False) -> None:
    """Score genres and summaries on one split and print the figures (tables or JSON)."""
    scores = commentary_scores(split)
    if as_json:
        print(json.dumps(scores, indent=2))
    else:
        for table in _tables(scores):
            Console(width=120).print(table)
