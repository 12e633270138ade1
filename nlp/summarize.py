"""Extractive summaries. Thin first version (issue #2): the lead sentences."""

from __future__ import annotations

from spacy.tokens import Doc

MIN_WORDS = 6


def lead_summary(doc: Doc, sentences: int = 2) -> str:
    """The first `sentences` sentences long enough to say something.

    doc (Doc): a parsed article.
    sentences (int): how many to keep.
    RETURNS (str): the summary.
    """
    texts = [sent.text.strip() for sent in doc.sents if sent.text.strip()]
    chosen = [text for sent, text in zip(doc.sents, texts)
              if sum(1 for t in sent if t.is_alpha) >= MIN_WORDS][:sentences]
    # A text too short for any full sentence is its own summary.
    return " ".join(chosen or texts[:sentences])
