"""Extractive summaries: TextRank over an article's sentences with a lead prior, and a
multi-document summary of a launch story whose every sentence names its article.

TextRank (Mihalcea and Tarau, 2004) ranks sentences by PageRank over a graph whose edges
weigh the content words two sentences share. News puts what matters first, so the random
walk restarts at a sentence with a probability that falls with its position (the lead
prior) rather than uniformly. Boilerplate ("Sign up for our newsletter"), SEO spam and
sentences too short to say anything never enter the graph.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from spacy.tokens import Doc, Span

from nlp.genre import ARGUING, QUESTION, SHOULD, WEIGHING
from nlp.spam import BOILERPLATE, spam_spans

MIN_WORDS = 6
# A commentary's restart weights (`argument_weight`).
SCENE_WEIGHT, FIGURE_WEIGHT, NAME_WEIGHT, CLAIM_WEIGHT, QUESTION_SHARE = 0.2, 1.0, 0.5, 0.75, 0.3
FIGURE_LABELS = {"MONEY", "PERCENT", "CARDINAL", "QUANTITY"}
NAME_LABELS = {"COMPANY", "APP", "PRODUCT", "ORG"}
DAMPING = 0.85
LEAD_DECAY = 0.6  # the prior halves about every 1.4 sentences
NEAR_REPEAT = 0.6  # word-set overlap above which two sentences say the same thing
# Outlets retell one launch in their own words: across a story, less overlap is a repeat.
STORY_REPEAT = 0.35


def _content_words(sent: Span) -> set[str]:
    # A pipeline without a lemmatizer (the Chinese one) leaves lemmas empty: the word itself.
    return {(t.lemma_ or t.norm_).lower() for t in sent
            if t.is_alpha and not t.is_stop and len(t) > 1}


def candidate_sentences(doc: Doc) -> list[Span]:
    """Sentences that can stand in a summary: long enough, not boilerplate, not spam."""
    spam = spam_spans(doc)
    chosen = []
    for sent in doc.sents:
        words = sum(1 for t in sent if t.is_alpha)
        if words < MIN_WORDS or BOILERPLATE.search(sent.text):
            continue
        if any(sent.start <= span.start < sent.end for span in spam):
            continue
        chosen.append(sent)
    return chosen


def rank(word_sets: Sequence[set[str]], prior: Sequence[float]) -> np.ndarray:
    """PageRank scores of sentences over their shared-word graph, restarting by `prior`."""
    n = len(word_sets)
    weights = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            shared = len(word_sets[i] & word_sets[j])
            if shared:
                norm = math.log(len(word_sets[i]) + 1) + math.log(len(word_sets[j]) + 1)
                weights[i, j] = weights[j, i] = shared / norm
    restart = np.asarray(prior, dtype=float)
    restart = restart / restart.sum()
    out = weights.sum(axis=1)
    transition = np.divide(weights, out[:, None], out=np.zeros_like(weights), where=out[:, None] > 0)
    # A sentence sharing no word with any other hands its weight to the restart vector.
    transition[out == 0] = restart
    scores = np.full(n, 1.0 / n)
    for _ in range(50):
        updated = (1 - DAMPING) * restart + DAMPING * scores @ transition
        if np.abs(updated - scores).sum() < 1e-6:
            return updated
        scores = updated
    return scores


def summary_length(sentences: int) -> int:
    """How many sentences summarise an article of this many: 3, or 2 below 6."""
    return 3 if sentences >= 6 else 2


def textrank_sentences(doc: Doc, limit: int | None = None, argues: bool = False) -> list[str]:
    """The article's 2-3 most central sentences, in their order in the text.

    doc (Doc): a parsed article.
    limit (int | None): how many; by default `summary_length` of the article.
    argues (bool): the article is commentary (`nlp.genre`): the walk restarts at the
        sentences that carry its argument and its figures rather than at its lead, which
        sets a scene.
    RETURNS (list[str]): the chosen sentences.
    """
    if limit is None:
        limit = summary_length(len(list(doc.sents)))
    sentences = candidate_sentences(doc)
    if not sentences:
        # Nothing fit to rank: the lead, never more than a summary's length (#12).
        return [sent.text.strip() for sent in doc.sents if sent.text.strip()][:limit]
    words = [_content_words(sent) for sent in sentences]
    prior = (list(map(argument_weight, sentences)) if argues
             else [LEAD_DECAY ** i for i in range(len(sentences))])
    scores = rank(words, prior)
    chosen: list[int] = []
    for i in np.argsort(-scores, kind="stable"):
        if len(chosen) == limit:
            break
        if any(_overlap(words[i], words[j]) > NEAR_REPEAT for j in chosen):
            continue  # a sentence repeating one already chosen adds nothing
        chosen.append(int(i))
    return [sentences[i].text.strip() for i in sorted(chosen)]


def argument_weight(sent: Span) -> float:
    """How much a commentary's sentence carries: a figure, a name, a claim weighed in the
    writer's voice; a question it poses carries less, a scene with none of these little."""
    weight = SCENE_WEIGHT
    if any(token.like_num or token.ent_type_ in FIGURE_LABELS for token in sent):
        weight += FIGURE_WEIGHT
    if any(token.ent_type_ in NAME_LABELS for token in sent):
        weight += NAME_WEIGHT
    text = sent.text.strip()
    if ARGUING.search(text) or SHOULD.search(text) or WEIGHING.search(text):
        weight += CLAIM_WEIGHT
    return weight * QUESTION_SHARE if QUESTION.search(text) else weight


def lead_sentences(doc: Doc, count: int = 3) -> list[str]:
    """Lead-n: the first `count` sentences, the baseline summaries are measured against."""
    return [sent.text.strip() for sent in doc.sents if sent.text.strip()][:count]


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@dataclass
class Attributed:
    """A summary sentence and the article it comes from."""
    sentence: str
    article_id: int
    source: str


WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOP = frozenset({"the", "a", "an", "of", "to", "in", "and", "on", "for", "with", "its", "it",
                  "is", "was", "that", "by", "at", "as", "from", "has", "said", "be", "will"})


def _words(sentence: str) -> set[str]:
    return {w for w in WORD.findall(sentence.lower()) if w not in STOP and len(w) > 1}


def story_summary(articles: Iterable[tuple[int, str, Sequence[str]]], limit: int = 4,
                  lead: Attributed | None = None) -> list[Attributed]:
    """A launch's summary across its outlets: the sentence that states the launch first,
    then the sentences most central to all its articles' summaries, no two saying the same
    thing, each naming its article.

    articles: (article id, outlet, summary sentences), earliest article first.
    limit (int): how many sentences at most.
    lead (Attributed | None): the launch as its earliest article states it.
    RETURNS (list[Attributed]): the lead, then the others in the order of their articles.
    """
    pool: list[Attributed] = []
    prior: list[float] = []
    for article_id, source, sentences in articles:
        for position, sentence in enumerate(sentences):
            pool.append(Attributed(sentence, article_id, source))
            prior.append(LEAD_DECAY ** position)  # each article's own lead first
    if not pool:
        return []
    words = [_words(item.sentence) for item in pool]
    scores = rank(words, prior)
    said = [_words(lead.sentence)] if lead is not None else []
    chosen: list[int] = []
    for i in np.argsort(-scores, kind="stable"):
        if len(chosen) + len(said) == limit:
            break
        if any(_overlap(words[i], other) > STORY_REPEAT for other in said + [words[j] for j in chosen]):
            continue
        chosen.append(int(i))
    return ([lead] if lead is not None else []) + [pool[i] for i in sorted(chosen)]
