"""Regression guards on the team's stories set (issue #6), through the real stages."""

from __future__ import annotations

import pytest

from launchwire.evaluate import evaluate_stories
from launchwire.evaluate_team import STORIES_SET, load_set
from nlp.scoring import evaluate_summaries

pytestmark = pytest.mark.slow


def test_story_clustering_does_not_regress(nlp) -> None:
    # Measured when set: pairwise P 0.934, R 0.942, F1 0.938 (180 articles, 48 stories),
    # clustering a day at a time.
    scores, _ = evaluate_stories(nlp)
    assert scores.pairs.f1 >= 0.90 and scores.pairs.precision >= 0.88, scores.as_dict()


def test_article_summaries_beat_lead_three(nlp) -> None:
    scores = evaluate_summaries(nlp, load_set(STORIES_SET))
    assert scores.articles >= 30
    assert scores.textrank["rouge1"] >= scores.lead3["rouge1"], scores.as_dict()
