"""SEO spam pasted into article text: its words are never names; and the boilerplate a page
wraps an article in, which is no sentence of it."""

from __future__ import annotations

import re

from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token


SPAM_WORDS = frozenset({
    "viagra", "cialis", "casino", "casinos", "poker", "payday", "loans", "replica", "porn",
    "xxx", "escort", "escorts", "essay", "essays", "betting", "slots", "pills", "pharmacy",
    "weight-loss", "followers", "crack", "keygen", "torrent", "outlet", "handbags", "jerseys",
    "ugg", "uggs", "louboutin", "prescription", "bonus"})
# Words an anchor's spam runs on with ("… Online Store Sale", "… Free Shipping").
SPAM_FILLER = frozenset({
    "buy", "cheap", "free", "online", "store", "sale", "shop", "now", "best", "discount",
    "shipping", "wholesale", "clearance", "without", "instant", "approval", "credit", "check",
    "no", "fast", "reliable", "writing", "service", "boots", "watches", "china", "ohne",
    "einzahlung", "kors", "michael", "vuitton", "louis", "nfl", "2024", "2025", "2026"})
SPAM_RUN = SPAM_FILLER | SPAM_WORDS
# The spam words as the hashes of lowercase forms a Doc stores: found without making each
# token and its lowercase string.
SPAM_WORD_IDS = frozenset(get_string_id(word) for word in SPAM_WORDS)

# A newsletter box, a read-more link, a copyright line: the page's, not the article's.
BOILERPLATE = re.compile(
    r"\b(?:sign up for|subscribe to|our newsletter|read more|related:|originally (?:published|"
    r"appeared)|click here|follow us|all rights reserved|cookies?\b|advertisement|sponsored|"
    r"this article (?:was|first)|share this|copyright|download our app|join our|"
    r"dot com|www\.|https?://)", re.I)


def _known_word(token: Token, gazetteer_key: str) -> bool:
    return any(span.start <= token.i < span.end for span in token.doc.spans.get(gazetteer_key, []))


SPAM_KEY = "launchwire_spam"  # where the entity component leaves what it found


def spam_spans(doc: Doc, gazetteer_key: str = "launchwire_gazetteer") -> list[Span]:
    """An SEO-spam anchor pasted into a sentence it does not belong to ("grew Cheap Replica
    Watches Free Shipping 16%", "Michael Kors Outlet Online Store Sale Hopwise said"): the
    spam words, the filler around them and a stray name in front ("Jennifer Buy …").
    Read once per document: the entity component keeps them in `doc.spans[SPAM_KEY]`."""
    if SPAM_KEY in doc.spans:
        return list(doc.spans[SPAM_KEY])
    spans = []
    for index, lower in enumerate(doc.to_array(LOWER).tolist()):
        if lower not in SPAM_WORD_IDS:
            continue
        token = doc[index]
        start, end = token.i, token.i + 1
        while start > token.sent.start and doc[start - 1].lower_ in SPAM_RUN:
            start -= 1
        if start > token.sent.start and doc[start - 1].is_title and not doc[start - 1].is_sent_start \
                and not _known_word(doc[start - 1], gazetteer_key):
            start -= 1  # a stray first name fronting the anchor (not "… and Instagram louis …")
        while end < token.sent.end and doc[end].lower_ in SPAM_RUN:
            end += 1
        if end < token.sent.end and doc[end].is_title and end + 1 < len(doc) \
                and doc[end + 1].like_num:
            end += 1  # "… without prescription Jennifer 19%"
        spans.append(doc[start:end])
    return spans
