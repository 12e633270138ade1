"""What a public site may quote of an article, and long texts analysed in pieces (#12)."""

from __future__ import annotations

import pytest

from nlp.extract import analyze, text_pieces
from nlp.quotes import quotable_sentences, quote_budget


@pytest.mark.parametrize("sentences, budget", [
    (0, 0), (1, 0), (2, 1), (3, 1), (4, 1), (6, 1), (7, 2), (10, 3), (40, 12)])
def test_budget_is_thirty_percent_and_never_more_than_half(sentences: int, budget: int) -> None:
    assert quote_budget(sentences) == budget
    assert quote_budget(sentences) <= max(sentences * 0.3, sentences // 2)


def test_summary_first_then_candidates_until_the_budget_is_spent() -> None:
    chosen = quotable_sentences(["A.", "B."], ["B.", "C.", "D.", ""], budget=3)
    assert chosen == {"A.", "B.", "C."}
    assert quotable_sentences([], ["C.", "D."], budget=0) == set()


@pytest.mark.parametrize("text", [
    "word " * 1000,
    ("A short paragraph that ends here.\n" * 80),
    "x" * 2500,
    "",
])
def test_pieces_cover_the_text_in_order_within_the_limit(text: str) -> None:
    pieces = text_pieces(text, limit=300)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 300 for _, piece in pieces)
    assert [offset for offset, _ in pieces] == [sum(len(p) for _, p in pieces[:i])
                                                for i in range(len(pieces))]


def test_pieces_end_at_a_paragraph_when_they_can() -> None:
    pieces = text_pieces("A short paragraph that ends here.\n" * 80, limit=300)
    assert all(piece.endswith("\n") for _, piece in pieces[:-1])


def test_a_long_text_in_pieces_keeps_offsets_into_the_whole_text(nlp) -> None:
    lead = "Tallyworks launched Ledgerly on Tuesday, a bookkeeping app for freelancers.\n"
    filler = "Reviewers in Berlin said the Ledgerly app from Tallyworks felt quick.\n" * 30
    text = lead + filler
    whole, = analyze(nlp, [text], ["2025-06-12"], piece_chars=400)
    assert len(text_pieces(text, 400)) > 4
    assert whole.entities and all(text[e.start:e.end] == e.text for e in whole.entities)
    assert max(e.start for e in whole.entities) > 1500
    assert [(f.product, f.about) for f in whole.launch_facts if f.about] == [("Ledgerly", True)]
    # The first piece's summary: a long text is not summarised at every piece.
    assert whole.summary_sentences and all(text.find(s) < 400 for s in whole.summary_sentences)
