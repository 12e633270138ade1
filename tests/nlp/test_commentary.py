"""Commentary told from news and summarised by what it argues (#14), in the team's own
sentences, through the real pipeline and a real SQLite file."""

from __future__ import annotations

import pytest
import sqlite_utils

from db import store
from launchwire.evaluate_commentary import SETS, NEWS_SET, _genre_score, _summary_scores
from launchwire.evaluate_team import load_set
from nlp.extract import analyze
from nlp.genre import COMMENTARY, NEWS, genre

SCENE = "It rained all week in Shenzhen, and the office emptied early on Friday."
COMMENTARY_TEXT = (
    f"{SCENE} Nobody in the group chat wanted to talk about work.\n\n"
    "01 The traffic problem\n\n"
    "Here is the real question: can Pebblecast keep the users it bought? The app spent "
    "$40 million on promotion last quarter and reached 12 million monthly active users. "
    "Suppose half of them stay, that is 6 million, and each costs more than $6. I think the "
    "numbers do not add up. So the company should stop buying growth and fix retention "
    "first, before any talk of a listing.")
NEWS_TEXT = (
    "Pebblecast said on Tuesday it had raised $40 million in a Series B round led by Lantern "
    "Capital. The Shenzhen-based company announced that its podcast app reached 12 million "
    "monthly active users in March, up from 5 million a year earlier. Chief executive Mei Lin "
    "told reporters the money would fund hiring in Jakarta and Sao Paulo. The round values "
    "the company at $300 million, according to a person familiar with the deal.")


def test_a_text_that_argues_is_commentary_and_a_report_is_news(nlp) -> None:
    assert genre(nlp(COMMENTARY_TEXT)) == COMMENTARY
    assert genre(nlp(NEWS_TEXT)) == NEWS


def test_quoted_opinion_inside_a_report_does_not_make_it_commentary(nlp) -> None:
    text = NEWS_TEXT + (' "I think we can double that, and we should," Lin said. "Can anyone '
                        'catch us?" she asked.')
    assert genre(nlp(text)) == NEWS


def test_a_commentary_summary_gives_the_argument_not_the_opening_scene(nlp) -> None:
    analysis = next(analyze(nlp, [COMMENTARY_TEXT]))
    assert analysis.genre == COMMENTARY
    assert SCENE not in analysis.summary
    assert any("12 million" in sentence or "$40 million" in sentence
               for sentence in analysis.summary_sentences), analysis.summary_sentences


def test_process_stores_the_genre_on_the_public_face(nlp, fresh_db: sqlite_utils.Database
                                                     ) -> None:
    store.upsert_source(fresh_db, {"name": "Example", "homepage": "https://news.example/"})
    for url, text in (("https://news.example/opinion", COMMENTARY_TEXT),
                      ("https://news.example/report", NEWS_TEXT)):
        store.insert_article(fresh_db, {"url": url, "source": "Example", "title": "Pebblecast",
                                        "text": text, "fetched_at": "2026-03-02T09:00:00+00:00"})
        article_id = fresh_db.execute("select id from articles where url = ?", [url]).fetchone()[0]
        store.save_analysis(fresh_db, article_id, next(analyze(nlp, [text])).to_record(), "v1")
    shown = {row["url"]: row["genre"] for row in fresh_db.query(
        "select url, genre from articles_public")}
    assert shown == {"https://news.example/opinion": COMMENTARY,
                     "https://news.example/report": NEWS}


@pytest.mark.slow
def test_the_dev_sets_genres_and_summaries_hold(nlp) -> None:
    # Measured when set: genre P 0.875 R 0.933 (30 commentary pieces beside 180 news
    # stories); ROUGE-1 0.412 for launchwire beside 0.379 lead-prior TextRank, 0.234 Lead-3.
    pieces = load_set(SETS["dev"])
    labelled = ([(COMMENTARY, piece["text"]) for piece in pieces]
                + [(NEWS, story["text"]) for story in load_set(NEWS_SET)])
    genres = _genre_score(nlp, labelled)
    assert genres["recall"] >= 0.9 and genres["precision"] >= 0.8, genres
    summaries = _summary_scores(nlp, pieces)
    assert (summaries["launchwire"]["rouge1"] > summaries["textrank"]["rouge1"]
            > summaries["lead3"]["rouge1"]), summaries
