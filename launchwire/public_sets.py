"""The public NER sets in the shared corpora, read as launchwire's labels (#13).

CoNLL-2003 (Reuters newswire, 1996) and WNUT-17 (social media) train and dev splits only:
their test splits are kept for evaluation elsewhere and are not in the corpora folder.
Each document becomes plain text (tokens joined by spaces, sentences by new lines) with
character-offset spans, so the pipeline reads it as it reads any article.

Label mapping: CoNLL ORG is COMPANY (the issue's measure; governments, clubs and parties are
ORG too, so it is a floor); WNUT corporation is COMPANY and product is APP or PRODUCT
(scored as one: WNUT does not tell an app from a device).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from launchwire.corpora import require_corpora

CONLL_TRAIN = Path("conll2003-en-train-dev") / "eng.train"
CONLL_DEV = Path("conll2003-en-train-dev") / "eng.testa"
WNUT_TRAIN = Path("wnut17-emerging-entities") / "wnut17train.conll"
WNUT_DEV = Path("wnut17-emerging-entities") / "emerging.dev.conll"
CONLL_LABELS = {"ORG": "COMPANY"}
WNUT_LABELS = {"corporation": "COMPANY", "product": "PRODUCT"}


@dataclass
class TaggedText:
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, source label


def _sentences(path: Path) -> Iterator[list[tuple[str, str]] | None]:
    """Sentences as (token, tag) lists; None where a new document starts."""
    sentence: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if not parts:
                if sentence:
                    yield sentence
                sentence = []
            elif parts[0] == "-DOCSTART-":
                if sentence:
                    yield sentence
                sentence = []
                yield None
            else:
                sentence.append((parts[0], parts[-1]))
    if sentence:
        yield sentence


def _tagged(sentences: list[list[tuple[str, str]]]) -> TaggedText:
    """Join tokens with spaces and read IOB1 or BIO tags into character spans."""
    pieces: list[str] = []
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for number, sentence in enumerate(sentences):
        if number:
            pieces.append("\n")
            offset += 1
        current: list | None = None
        for index, (token, tag) in enumerate(sentence):
            if index:
                pieces.append(" ")
                offset += 1
            prefix, _, label = tag.partition("-")
            starts = prefix == "B" or (prefix == "I" and (current is None or current[2] != label))
            if current is not None and (tag == "O" or starts):
                spans.append(tuple(current))
                current = None
            if tag != "O" and current is None:
                current = [offset, offset + len(token), label]
            elif tag != "O":
                current[1] = offset + len(token)
            pieces.append(token)
            offset += len(token)
        if current is not None:
            spans.append(tuple(current))
    return TaggedText("".join(pieces), spans)


def read(relative: Path, sentences_per_text: int | None = None) -> list[TaggedText]:
    """A CoNLL-format file as texts: one per document where it has -DOCSTART- lines, else
    one per `sentences_per_text` sentences (WNUT posts are one sentence each)."""
    texts: list[TaggedText] = []
    group: list[list[tuple[str, str]]] = []
    for sentence in _sentences(require_corpora() / relative):
        if sentence is None or (sentences_per_text and len(group) >= sentences_per_text):
            if group:
                texts.append(_tagged(group))
            group = []
        if sentence is not None:
            group.append(sentence)
    if group:
        texts.append(_tagged(group))
    return texts
