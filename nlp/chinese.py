"""Chinese articles (#14), read by spaCy's Chinese language class with jieba's segmentation.

The English pipeline finds nothing in Chinese text, not even its sentences: an article stored
in Chinese gets its summary from this pipeline instead, chosen by the same TextRank and held
to the same quoting budget as an English one.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Iterable, Iterator

import jieba
import spacy
from spacy.language import Language

from nlp.extract import Analysis, mark_quotable

# Languages read by this pipeline rather than the English one.
CHINESE = frozenset({"zh"})
# Full-width and ASCII sentence ends; a comma (，) joins clauses of one sentence.
SENTENCE_ENDS = ["。", "！", "？", "!", "?", "；", "…"]


@lru_cache(maxsize=1)
def load_chinese() -> Language:
    """spaCy's Chinese tokenizer segmenting with jieba, and a sentencizer for Chinese stops."""
    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not ours to print
    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    pipeline.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})
    return pipeline


def analyze_chinese(texts: Iterable[str], batch_size: int = 32) -> Iterator[Analysis]:
    """One Analysis per Chinese text, in order: its summary; no entities, figures or launches
    yet."""
    for doc in load_chinese().pipe(texts, batch_size=batch_size):
        summary = mark_quotable(doc, [], [])
        yield Analysis([], [], [], "".join(summary), summary_sentences=summary)
