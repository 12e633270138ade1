"""Registered spaCy components that turn the stock model's entities into tech entities."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

# Metric and finance acronyms the stock model takes for organisations.
NOT_ENTITIES = frozenset({
    "dau", "mau", "arr", "gmv", "ipo", "ai", "app", "apps", "ceo", "cfo", "api", "ar", "vr",
    "eu", "us", "uk", "series a", "series b", "series c", "ios", "android",
})
LABEL_MAP = {"ORG": "COMPANY", "PRODUCT": "PRODUCT"}
LAUNCH_VERBS = frozenset({"launch", "release", "unveil", "introduce", "debut", "roll",
                          "announce", "open", "ship"})
APP_WORDS = frozenset({"app", "apps", "service", "platform", "chatbot", "website", "browser"})

Doc.set_extension("launches", default=[], force=True)


def _clean(span: Span) -> Span:
    """Drop a leading "the" and a trailing possessive, which are not part of a name."""
    start, end = span.start, span.end
    if span[0].lower_ == "the" and len(span) > 1:
        start += 1
    if span[-1].tag_ == "POS" and end - start > 1:
        end -= 1
    return span.doc[start:end]


@Language.factory("launchwire_entities", default_config={"stop_names": sorted(NOT_ENTITIES)})
def make_tech_entity_filter(nlp: Language, name: str, *, stop_names: list[str]) -> "TechEntityFilter":
    return TechEntityFilter(stop_names=stop_names)


class TechEntityFilter:
    """Keep organisations and products as COMPANY/PRODUCT, minus metric acronyms."""

    def __init__(self, *, stop_names: list[str]) -> None:
        self.stop_names = frozenset(name.lower() for name in stop_names)

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        for ent in doc.ents:
            label = LABEL_MAP.get(ent.label_)
            if label is None:
                kept.append(ent)
                continue
            span = _clean(ent)
            if span.text.lower() in self.stop_names or not any(t.is_alpha for t in span):
                continue
            kept.append(Span(doc, span.start, span.end, label=label))
        doc.ents = filter_spans(kept)
        return doc


def _looks_like_name(token: Token) -> bool:
    """A proper noun, or a capitalised word or model number inside a sentence."""
    if token.pos_ in {"PRON", "DET", "ADP", "PUNCT", "VERB", "AUX"}:
        return False
    if token.pos_ == "PROPN":
        return True
    has_capital = any(ch.isupper() for ch in token.text)
    return (has_capital and not token.is_sent_start) or token.like_num


def _name_span(token: Token) -> Span | None:
    """The name around `token` ("Pixel 8 Pro", "Keeta"), or None if it is not a name."""
    if not _looks_like_name(token) or token.like_num:
        return None
    doc = token.doc
    start = token.i
    while start > token.sent.start and _looks_like_name(doc[start - 1]) \
            and doc[start - 1].dep_ in {"compound", "nmod", "nummod", "amod"}:
        start -= 1
    end = token.i + 1
    while end < token.sent.end and _looks_like_name(doc[end]) \
            and doc[end].dep_ in {"compound", "nummod", "flat", "appos"} and doc[end].head.i >= start:
        end += 1
    return doc[start:end]


@Language.factory("launchwire_launches", default_config={})
def make_launch_detector(nlp: Language, name: str) -> "LaunchDetector":
    return LaunchDetector()


class LaunchDetector:
    """Find "COMPANY launched PRODUCT" clauses and mark both names as entities.

    Thin first version (issue #2): the subject and object of a launch verb in the parse.
    """

    def __call__(self, doc: Doc) -> Doc:
        launches = []
        new_ents = list(doc.ents)
        for token in doc:
            if token.pos_ != "VERB" or token.lemma_.lower() not in LAUNCH_VERBS:
                continue
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            obj = next((c for c in token.children if c.dep_ == "dobj"), None)
            company = _name_span(subject) if subject is not None else None
            product = _name_span(_head_noun_name(obj)) if obj is not None else None
            if product is None:
                continue
            product_label = "APP" if _near_app_word(obj) else "PRODUCT"
            product = Span(doc, product.start, product.end, label=product_label)
            new_ents.append(product)
            if company is not None:
                company = Span(doc, company.start, company.end, label="COMPANY")
                new_ents.append(company)
            negated = any(c.dep_ == "neg" for c in token.children)
            if not negated:
                launches.append((company, product, token))
        # The launch reading of a name wins over the stock model's guess for it.
        doc.ents = filter_spans(sorted(new_ents, key=lambda s: s.label_ not in {"APP", "PRODUCT", "COMPANY"}))
        doc._.launches = launches
        return doc


def _head_noun_name(obj: Token) -> Token:
    """For "its new app Keeta", the name is the appositive, not "app"."""
    if not _looks_like_name(obj):
        for child in obj.children:
            if child.dep_ in {"appos", "npadvmod", "attr"} and child.pos_ == "PROPN":
                return child
        after = obj.doc[obj.i + 1] if obj.i + 1 < len(obj.doc) else None
        if after is not None and _looks_like_name(after):
            return after
    return obj


def _near_app_word(obj: Token) -> bool:
    window = obj.doc[max(obj.i - 4, 0):obj.i + 6]
    return any(t.lower_ in APP_WORDS for t in window)
