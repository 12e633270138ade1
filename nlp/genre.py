"""Whether an article reports or argues (#14): news, or commentary and opinion.

A report attributes what it tells in the past tense ("the company said on Tuesday"); a
commentary argues in its own voice. It asks its reader questions it means to answer ("Can it
keep them?"), says "I" and "we" outside quotation marks, weighs and presses ("the real
question is", "probably", "So …"), says what should or must happen, and breaks its argument
under headings of their own ("01 The traffic anxiety"). Chinese commentary says 笔者 ("the
author"), 我认为, 假设, and asks with a full-width question mark.

Each sign is counted as a share of the text's sentences, outside quotations, boilerplate and
spam; a logistic model weighs them. Its weights were fitted on the development halves of two
sets: VentureBeat's contributed opinion (its DataDecisionMakers section) beside its
funding and launch reports in ../shared/corpora, and the team's commentary set beside its
news stories; `launchwire.evaluate_commentary` reports the held-out halves.
"""

from __future__ import annotations

import math
import re

from spacy.tokens import Doc

from nlp.spam import BOILERPLATE, spam_spans

COMMENTARY = "commentary"
NEWS = "news"

QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|「[^」]*」|『[^』]*』")
QUESTION = re.compile(r"[?？]\s*$")
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|[Mm]y|me|[Ww]e|[Ww]e're|[Ww]e’re|"
                          r"[Oo]ur|us)\b|笔者|我认为|我们认为|我觉得|在我看来")
ARGUING = re.compile(
    r"\b(?:in my view|I think|I believe|I suspect|I'd argue|the (?:real |bigger |harder )?"
    r"(?:question|problem|point|lesson|truth|catch|irony) (?:is|here)|make no mistake|"
    r"to be fair|frankly|arguably|it remains to be seen|in other words|put (?:simply|another "
    r"way)|let's|let us|suppose|imagine|what if|the bet is|the danger is|which is why|"
    r"that is why|this is why|no wonder|the answer is|do(?:es)? not add up|is not (?:a|the) "
    r"(?:story|problem|point)|the market (?:does not|doesn't) care|the (?:real )?(?:story|test) "
    r"(?:is|here))\b|假设|试想|难道|说白了|换句话说|问题在于|值得注意的是", re.I)
# A judgement hedged or pressed in the writer's own voice.
WEIGHING = re.compile(r"^(?:So|But|Still|Yet|Then again|Of course|In short|In the end)\b|"
                      r"\b(?i:probably|perhaps|maybe|surely|clearly|obviously|of course)\b")
SHOULD = re.compile(r"\b(?:should|must|need to|needs to|have to|has to|can't|cannot|ought)\b"
                    r"|应该|必须", re.I)
REPORTING = re.compile(r"\b(?:said|says|announced|told|according to|confirmed|reported|"
                       r"in a statement|spokesperson|spokeswoman|spokesman)\b|表示|宣布|据悉|"
                       r"介绍", re.I)
# A line of its own with no closing punctuation and a few words: a heading pasted into the
# text ("01 The traffic anxiety", "二、流量焦虑").
HEADING = re.compile(r"^(?:[0-9０-９]{1,2}[ .、|]|[一二三四五六七八九十]、)?[^.!?。！？:：]{2,60}$")
HEADING_WORDS = 8

# Logistic weights of each sign's share of sentences (fitted as the module says).
WEIGHTS = {"question": 16.0, "first_person": 8.2, "arguing": 20.5, "weighing": 20.7,
           "heading": 25.4, "should": 14.8, "reporting": -10.8, "past_tense": -4.7}
BIAS = -1.0
# Commentary at a probability of 0.7 and above: a report taken for commentary loses its
# lead-first summary, so the call leans to news.
THRESHOLD = math.log(0.7 / 0.3)


def is_heading(line: str) -> bool:
    """A line a heading could be: a few words and no closing punctuation."""
    line = line.strip()
    return bool(HEADING.match(line)) and len(line.split()) <= HEADING_WORDS


def heading_at(text: str, offset: int) -> bool:
    """The character at `offset` is on a line of its own between two others that reads as a
    heading ("Three, Super App Dreams")."""
    start, end = text.rfind("\n", 0, offset) + 1, text.find("\n", offset)
    if start == 0 or end < 0 or not text[end:].strip():
        return False  # the text's first or last line: a title or a sign-off, not a heading
    return is_heading(text[start:end])


def _headings(doc: Doc) -> int:
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    if len(lines) <= 3:
        return 0
    return sum(1 for line in lines[1:-1] if is_heading(line))


def signs(doc: Doc) -> dict[str, float]:
    """Each sign of arguing or reporting as a share of the text's sentences."""
    spam = spam_spans(doc)
    spans, texts = [], []
    for sent in doc.sents:
        text = sent.text  # spaCy joins a span's tokens anew on every read
        if text.strip() and not BOILERPLATE.search(text) \
                and not any(sent.start <= span.start < sent.end for span in spam):
            spans.append(sent)
            texts.append(text)
    if not spans:
        return dict.fromkeys(WEIGHTS, 0.0)
    sentences = [QUOTED.sub("", text).strip() for text in texts]

    def share(pattern: re.Pattern) -> float:
        return sum(1 for sentence in sentences if pattern.search(sentence)) / len(sentences)

    return {"question": share(QUESTION), "first_person": share(FIRST_PERSON),
            "arguing": share(ARGUING), "weighing": share(WEIGHING),
            "heading": min(_headings(doc), 4) / len(sentences), "should": share(SHOULD),
            "reporting": share(REPORTING),
            "past_tense": sum(1 for sent in spans if sent.root.tag_ == "VBD") / len(spans)}


# Where a Doc keeps its score: the launch detector reads it and so does the analysis after it.
SCORE_KEY = ("launchwire", "commentary_score")


def commentary_score(doc: Doc) -> float:
    """The log-odds that the text argues rather than reports, worked out once per Doc (1.6 ms
    of an article): its text, sentences and spam do not change once the pipeline has run."""
    if SCORE_KEY not in doc.user_data:
        doc.user_data[SCORE_KEY] = BIAS + sum(
            WEIGHTS[name] * value for name, value in signs(doc).items())
    return doc.user_data[SCORE_KEY]


def genre(doc: Doc) -> str:
    """"commentary" for a text that argues, else "news"."""
    return COMMENTARY if commentary_score(doc) >= THRESHOLD else NEWS
