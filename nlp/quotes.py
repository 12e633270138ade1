"""How much of an article a public site may quote (#12).

A public launchwire shows an article's title, its summary and the sentences its launch facts
and figures come from, never the publisher's full text. Quoting is budgeted per article: at
most 30% of its sentences (half of a very short one's) in all, the summary first, then the
sentence stating the launch the article is about, other launch facts, then figures, in the
order of the text. A fact or figure past the budget keeps its values; only its sentence
stays unpublished.
"""

from __future__ import annotations

from typing import Iterable

QUOTE_SHARE = 0.3


def quote_budget(sentences: int) -> int:
    """How many of an article's sentences a public site may show.

    sentences (int): the article's sentence count.
    RETURNS (int): 30% of them, rounded down; one of a two- or three-sentence text; none of a
        one-sentence text.
    """
    return max(int(sentences * QUOTE_SHARE), min(1, sentences // 2))


def quotable_sentences(summary: Iterable[str], candidates: Iterable[str], budget: int) -> set[str]:
    """The sentences a public site may show: the summary's, then candidates in the order
    given, until the budget is spent.

    summary (Iterable[str]): the summary's sentences (already within the budget).
    candidates (Iterable[str]): fact and figure sentences, most important first.
    budget (int): from `quote_budget`.
    RETURNS (set[str]): the quotable sentences.
    """
    chosen = {sentence for sentence in summary if sentence}
    for sentence in candidates:
        if len(chosen) >= budget:
            break
        if sentence:
            chosen.add(sentence)
    return chosen
