"""Deciding between candidate names: trust, overlaps, repeats, and names that go together."""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Span

from nlp import names
from nlp.gazetteer import model_families

LABEL_MAP = {"ORG": "COMPANY", "PRODUCT": "PRODUCT"}
# The trained recogniser's labels (nlp/training): apart from the stock model's ORG/PRODUCT.
TRAINED_LABELS = {"TECH_COMPANY": "COMPANY", "TECH_APP": "APP", "TECH_PRODUCT": "PRODUCT"}

# Candidate priorities: gazetteer 0, rules with a cue noun 1-19, rules without one 21-29,
# the statistical model 30. Lower wins an overlap; a name labelled below STRONG keeps its
# label wherever a weaker source saw it.
WEAK_RULE_OFFSET = 20
STRONG = 20
MODEL_PRIORITY = 30
# The trained recogniser outranks the stock model and rules without a cue noun.
TRAINED_PRIORITY = 20
# A model number makes an organisation's name a product's ("Nimbra X1", "Galaxy S24 Ultra").
MODEL_NUMBER = re.compile(r"^(?:[A-Z]{0,3}\d+[A-Za-z+]{0,3}|Pro|Max|Ultra|Plus|Mini|Lite|Fold\d*)$")


def _score_or_dateline(ent: Span, word: str) -> bool:
    """"Plymouth 4", "ROME 1996": a bare number after a name is a score, a year or an age
    unless an edition word follows ("Xiaomi 14 Ultra")."""
    return word.isdigit() and (len(word) == 4 or not any(
        t.text in {"Pro", "Max", "Ultra", "Plus", "Mini", "Lite"} for t in ent))


def _noun_after(ent: Span) -> str | None:
    following = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return names.word_label(following) if following is not None and following.is_lower else None


def model_label(ent: Span) -> str:
    """The tech label for one of the statistical model's ORG or PRODUCT entities, or the
    trained recogniser's; a company it names before an app's or a product's noun is that
    app or product ("Quillmere's Inkwell app")."""
    cue = _noun_after(ent)
    if ent.label_ in TRAINED_LABELS:
        label = TRAINED_LABELS[ent.label_]
        return cue if label == "COMPANY" and cue in {"APP", "PRODUCT"} else label
    words = [token.text for token in ent]
    if len(words) > 1 and any(MODEL_NUMBER.match(word) and not _score_or_dateline(ent, word)
                              for word in words[1:]):
        return "PRODUCT"
    if words[-1] in {"OS", "os"} or words[-1].endswith("OS") and len(words[-1]) > 3:
        return "APP"
    if cue in {"APP", "PRODUCT"}:
        return cue  # "A12 Bionic chips", "the Intune app"
    if ent.label_ == "PRODUCT" and len(words) == 1 and not any(ch.isdigit() for ch in words[0]):
        return "APP"  # one word, no model number: in tech news, an app far more often
    return LABEL_MAP[ent.label_]


def resolve(candidates: list[tuple[int, Span]]) -> list[tuple[int, Span]]:
    """Non-overlapping candidates, the more trusted first, then the longer. A known name
    inside a longer name a rule found is part of that name ("Minute Opera", "Apple Health")."""
    known = [span for priority, span in candidates if priority == 0]
    covered = {i for span in known for i in range(span.start, span.end)}
    # A rule's span with words no known name covers is a bigger name; one made only of known
    # names ("Xiaomi SU7" = "Xiaomi" + "SU7") is those names.
    # Words before a known name that ends the span are a headline's or a menu's ("Science
    # Nvidia said", "Creators Stability AI"), not a bigger name, when no cue noun found the
    # span or the known name has two words or more ("the drama app Minute Opera" stays).
    whole_ends = {span.end for span in known if len(span) > 1}

    def stretched_back(priority: int, span: Span) -> bool:
        return span.end - 1 in covered and span.start not in covered and (
            priority > STRONG or span.end in whole_ends)

    rules = [span for priority, span in candidates if 0 < priority < MODEL_PRIORITY
             and any(i not in covered for i in range(span.start, span.end))
             and not stretched_back(priority, span)]
    candidates = [(priority, span) for priority, span in candidates if priority > 0 or not any(
        rule.start <= span.start and span.end <= rule.end and len(rule) > len(span)
        for rule in rules)]
    taken: set[int] = set()
    chosen = []
    for priority, span in sorted(candidates, key=lambda c: (c[0], -(c[1].end - c[1].start), c[1].start)):
        if any(i in taken for i in range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        chosen.append((priority, span))
    return chosen


def consistent(chosen: list[tuple[int, Span]]) -> list[Span]:
    """A name the gazetteer or a rule labelled keeps that label where only the model saw it."""
    trusted = {span.text: span for priority, span in chosen if priority < STRONG}
    spans = []
    for priority, span in chosen:
        better = trusted.get(span.text)
        if priority >= STRONG and better is not None and better.label_ != span.label_:
            span = Span(span.doc, span.start, span.end, label=better.label_, kb_id=better.kb_id_)
        spans.append(span)
    return spans


def repeats(doc: Doc, chosen: list[Span]) -> list[Span]:
    """Other mentions of names already found, where nothing else claims their tokens."""
    taken = {i for span in chosen for i in range(span.start, span.end)}
    by_text: dict[str, Span] = {}
    for span in chosen:
        by_text.setdefault(span.text, span)
    short_names = {}
    for span in chosen:
        # "Veyra Mobility … Veyra plans to list": a company goes by its name without the
        # "Mobility", "Labs" or "Systems" once it has been introduced.
        if span.label_ == "COMPANY" and len(span) >= 2 and span[-1].text in names.COMPANY_SUFFIXES \
                and span[-1].text not in names.LEGAL_FORMS and span[0].text[:1].isupper():
            short_names.setdefault(span[:-1].text, span)
    found = []
    # Where each word stands, so a name is looked for only where its first word is.
    where: dict[str, list[int]] = {}
    for token in names.tokens_of(doc):
        where.setdefault(token.text, []).append(token.i)
    for text, span in list(by_text.items()) + [(t, s) for t, s in short_names.items()
                                                 if t not in by_text]:
        words = text.split(" ") if span.text != text else [t.text for t in span]
        for start in where.get(words[0], ()):
            if start > len(doc) - len(words) or start in taken:
                continue
            if [t.text for t in doc[start:start + len(words)]] != words:
                continue
            if any(i in taken for i in range(start, start + len(words))):
                continue
            after = start + len(words)
            if span.text != text and after < len(doc) and names.is_name_word(doc[after]):
                continue  # "Veyra V7" is the car, not the company
            taken.update(range(start, start + len(words)))
            found.append(Span(doc, start, start + len(words), label=span.label_,
                              kb_id=span.kb_id_))
    return found


def coordinated(doc: Doc, spans: list[Span], spam: list[Span]) -> list[Span]:
    """Names joined by "and"/commas are one kind of thing: "Taobao, JD and Pinduoduo" are
    all apps if most of them are (the first one's kind on a tie); a capitalised conjunct
    nothing else found joins them."""
    at = {i: n for n, span in enumerate(spans) for i in range(span.start, span.end)}
    parent = list(range(len(spans)))

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    spans = list(spans)
    for token in names.tokens_of(doc):
        if token.dep_ != "conj" or token.head.i not in at:
            continue
        head = at[token.head.i]
        if token.i not in at:
            name = names.name_ending_at(doc, token.i + 1)
            if name is None or name.start < spans[head].end or token.pos_ != "PROPN" or any(
                    i in at for i in range(name.start, name.end)) or any(
                    name.start < bad.end and bad.start < name.end for bad in spam):
                continue
            spans.append(Span(doc, name.start, name.end, label=spans[head].label_,
                              kb_id=name.text))
            parent.append(len(parent))
            at.update({i: len(spans) - 1 for i in range(name.start, name.end)})
        parent[find(at[token.i])] = find(head)
    groups: dict[int, list[int]] = {}
    for n in range(len(spans)):
        groups.setdefault(find(n), []).append(n)
    for members in groups.values():
        labels = Counter(spans[n].label_ for n in members if spans[n].label_ in {"COMPANY", "APP"})
        if len(members) < 2 or len(labels) < 2:
            continue
        (top, top_count), (_, next_count) = labels.most_common(2)
        if top_count == next_count:
            # A tie goes to the first conjunct, which stands beside the cue ("competes with
            # Audible and Storytel", "imports from Notion and Airtable").
            first = min((n for n in members if spans[n].label_ in {"COMPANY", "APP"}),
                        key=lambda n: spans[n].start)
            top = spans[first].label_
        for n in members:
            if spans[n].label_ in {"COMPANY", "APP"} and spans[n].label_ != top:
                spans[n] = Span(doc, spans[n].start, spans[n].end, label=top,
                                kb_id=spans[n].kb_id_)
    return spans


# What follows a known product's name as part of it: "iPhone 6", "Chrome 32", "Xbox 360",
# "Pixel 8 Pro", "Watch Series 9", "Visual Studio Code 1.0". A year or a count is not, nor
# a size ("6.1-inch").
# Also an edition ("S24 Ultra", "Xbox One", "A11 Bionic", "GPT-4 Turbo") or a service's tier
# ("Peacock Premium", "Gemini Enterprise", "Cursor SDK").
MODEL_SUFFIX = re.compile(r"^(?:[A-Z]{0,3}\d{1,3}(?:\.\d{1,2})?[A-Za-z]{0,3}\+?|"
                          r"Pro|Max|Ultra|Plus|Mini|Lite|SE|FE|XL|Series|One|Bionic|Neo|Air|"
                          r"Fold|Flip|Edge|Turbo|Flash|Instant|Thinking|Premium|Business|"
                          r"Enterprise|Education|SDK|API|Reality)$")
COUNTED = names.COUNT_WORDS | {"times", "people", "of", "-", "inch", "inches", "mm"}


def _with_model(span: Span) -> Span:
    """A known product or app with the model number or version that follows it."""
    doc, end = span.doc, span.end
    if len(span.text) == 1:
        return span  # "Tarsi X 14" is no model of X, the app
    while end < len(doc) and MODEL_SUFFIX.match(doc[end].text) and not (
            doc[end].like_num and end + 1 < len(doc) and doc[end + 1].lower_ in COUNTED):
        if doc[end].text == "Series" and not (end + 1 < len(doc) and doc[end + 1].like_num):
            break
        end += 1
    if end == span.end:
        return span
    # "Gemini 3.1 Pro": a number after an assistant whose numbered names are models.
    label = "PRODUCT" if span.label_ == "APP" and doc[span.end].text[:1].isdigit() \
        and span.text in model_families() else span.label_
    return Span(doc, span.start, end, label=label, span_id=doc[span.start:end].text)


def join_makers(spans: list[Span]) -> list[Span]:
    """Known names as the text runs them together: a maker in front of its product is part of
    the product's name ("Google Pixel 8", "Apple Watch Series 9", "Amazon Go"), as is the
    model number after it ("iPhone 6", "Chrome 32"); "Apple's iPhone" stays two names."""
    listed = {(span.start, span.end) for span in spans}
    # A name stretched to its number yields to the gazetteer's own reading of the whole
    # ("Gemini 2.5 Pro" is listed as the model, not the assistant's version).
    stretched = [_with_model(span) if span.label_ in {"PRODUCT", "APP"} else span
                 for span in spans]
    spans = [longer if longer is span or (longer.start, longer.end) not in listed else span
             for span, longer in zip(spans, stretched)]
    products = {span.start: span for span in sorted(spans, key=len)
                if span.label_ in {"PRODUCT", "APP"}}
    joined = []
    for span in spans:
        product = products.get(span.end) if span.label_ == "COMPANY" else None
        if product is not None:
            joined.append(Span(span.doc, span.start, product.end, label=product.label_,
                               span_id=product.id_))
    return spans + joined


RIVALRY = frozenset({"compete", "competes", "competing", "competed"})


def rivals(spans: list[Span]) -> list[Span]:
    """What a company or app competes with is the same kind of thing: "Keeta competes with
    HungerStation and Jahez" names three apps. Read off the words, not the parse, which often
    takes "competes" for a noun after an unfamiliar name."""
    if not spans:
        return spans
    doc = spans[0].doc
    at = {i: n for n, span in enumerate(spans) for i in range(span.start, span.end)}
    for token in names.tokens_of(doc)[1:-1]:
        if token.lower_ not in RIVALRY or doc[token.i + 1].lower_ not in {"with", "against"}:
            continue
        subject = at.get(token.i - 1)
        if subject is None or spans[subject].label_ not in {"COMPANY", "APP"}:
            continue
        i = token.i + 2
        while i < token.sent.end and (i in at or doc[i].lower_ in {"and", "or", ","}):
            other = at.get(i)
            if other is not None and spans[other].label_ in {"COMPANY", "APP"}:
                spans[other] = Span(doc, spans[other].start, spans[other].end,
                                    label=spans[subject].label_, kb_id=spans[other].kb_id_)
                i = spans[other].end
            else:
                i += 1
    return spans
