"""Context rules that find tech names no gazetteer holds yet, one small function a family.

Each family returns (label, name span) pairs for a Doc; `tech_patterns` joins them. Rules
read only the surrounding words and the parse, never a list of known names.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from spacy.tokens import Doc, Span, Token
from spacy.util import registry

from nlp.names import (
    APP_NAME_ENDINGS, APP_USE_WORDS, CALLED, COMPANY_SUFFIXES, COUNT_WORDS, LAUNCH_VERBS,
    LEGAL_FORMS,
    NEVER_NAMES, ROLE_WORDS, cue_label, head_label, is_name_word, is_person, lone_surname,
    name_at, TITLES, name_ending_at, noun_label, tokens_of,
)

Found = tuple[str, Span]


def called_names(doc: Doc) -> Iterator[Found]:
    """"an app called Glimmr", "a startup named glimmr", "a robot dubbed Tidy One", "a sedan
    known internally as the Mesa"."""
    for token in tokens_of(doc):
        known_as = token.lower_ == "known" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "as"
        if (token.lower_ in CALLED or known_as) and token.i > 0:
            before = doc[max(token.sent.start, token.i - 8):token.i]
            relative = [t.i for t in before if t.lower_ in {"which", "that"}]
            if token.lower_ == "calling" and relative:
                # "the mower, which the company is calling …": the cue is what is called.
                before = doc[before.start:relative[-1]]
            window = [t for t in before[-6:]
                      if t.text != "," and t.lower_ not in {"internally", "the"}]
            cue = cue_label(reversed(window))
            start = token.i + 2 if known_as else token.i + 1
            if start + 1 < len(doc) and doc[start].lower_ == "the":
                start += 1  # "a small electric car called the Fen"
            name = name_at(doc, start, allow_lowercase=not known_as)
            # A thing an app or a product is called is no person, whatever the model says.
            if name is not None and (cue in {"APP", "PRODUCT"} or not is_person(name)):
                # No cue noun ("something called hootbot"): apps are what gets named so.
                yield cue or "APP", name


def appositive_names(doc: Doc) -> Iterator[Found]:
    """"Quillo, a voice journaling app, …", "Vantora, the Berlin-based startup, …"."""
    for token in tokens_of(doc):
        if token.text != "," or token.i + 1 >= len(doc):
            continue
        one_of = doc[token.i + 1:token.i + 3].text.lower() == "one of"
        if doc[token.i + 1].lower_ not in {"a", "an", "the", "our", "its", "their"} and not one_of:
            continue
        name = name_ending_at(doc, token.i)
        if name is None:
            continue
        # "Pennock, one of Italy's busiest VCs": the plural noun the list is of.
        start = token.i + 3 if one_of else token.i + 2
        window = doc[start:min(start + (10 if one_of else 7), token.sent.end)]
        # "the maker of X" says what the name is and what X is.
        if len(window) > 2 and window[0].lower_ == "maker" and window[1].lower_ == "of":
            yield "COMPANY", name
            continue
        if doc[token.i + 1].tag_ == "VBN" or doc[token.i + 1].lower_ in MADE_BY:
            continue
        label = head_label(window)
        if label:
            yield label, name


MADE_BY = frozenset({"launched", "built", "made", "developed", "run", "created", "released",
                     "operated", "published", "designed"})


def made_by_names(doc: Doc) -> Iterator[Found]:
    """"Kampung Pay, built by Lintang Digital", "Paopao, launched by Jingdian Interactive",
    "Hammock is built by Loftwing Labs", "Magpie comes from Cairnhill": what a company
    launched or built is its app (the maker is found by the "by" rule)."""
    for token in tokens_of(doc):
        if token.i + 2 >= len(doc):
            continue
        following = (doc[token.i + 1].lower_, doc[token.i + 2].lower_)
        if token.text == "," and following[0] in MADE_BY and following[1] == "by":
            end = token.i
        elif token.lemma_ == "be" and following[0] in MADE_BY and following[1] == "by":
            end = token.i
        elif token.lower_ in {"comes", "come"} and following[0] == "from":
            end = token.i
        else:
            continue
        name = name_ending_at(doc, end)
        if name is not None and not is_person(name):
            yield "APP", name


LIVE_WORDS = frozenset({"live", "available", "out", "free", "launching"})


def live_names(doc: Doc) -> Iterator[Found]:
    """"Daybrake is live on the web", "Try Daybrake free", "Download Veilpoint today"."""
    for token in tokens_of(doc):
        if token.lemma_ == "be" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ in LIVE_WORDS:
            name = name_ending_at(doc, token.i)
            if name is not None and not is_person(name) and name.root.ent_type_ != "GPE":
                yield "APP", name
        elif token.lower_ in {"try", "download", "install"} and token.i + 1 < len(doc):
            name = name_at(doc, token.i + 1)
            if name is not None and not is_person(name):
                yield "APP", name


def app_named_names(doc: Doc) -> Iterator[Found]:
    """A name ending in a service word is an app: "Tollgate Pay", "Notion Mail", "Android XR"."""
    for token in tokens_of(doc)[1:]:
        if token.text not in APP_NAME_ENDINGS or not is_name_word(doc[token.i - 1]):
            continue
        if token.i + 1 < len(doc) and (doc[token.i + 1].like_num or is_name_word(doc[token.i + 1])):
            continue  # "Veyra OS 3", "Apple Health Records": the longer name is found elsewhere
        name = name_ending_at(doc, token.i + 1)
        if name is not None and len(name) >= 2 and not is_person(name):
            yield "APP", name


def defined_names(doc: Doc) -> Iterator[Found]:
    """"Pocketrail is a travel-planning app", "Swapnest is an online marketplace for …",
    "One app betting on it is Marble"."""
    for token in tokens_of(doc):
        if token.lemma_ == "be" and token.i + 1 < len(doc) and token.i > token.sent.start:
            subject = doc[token.sent.start:token.i]
            name = name_at(doc, token.i + 1)
            if name is not None and subject[0].lower_ in {"one", "another", "the"} \
                    and name.end < len(doc) and doc[name.end].is_punct:
                label = cue_label(subject[1:])
                if label:
                    yield label, name
        if token.lemma_ != "be" or token.i + 2 >= len(doc):
            continue
        if doc[token.i + 1].lower_ not in {"a", "an", "the", "our", "its"}:
            continue
        name = name_ending_at(doc, token.i)
        if name is None or name.root.ent_type_ in {"PERSON", "GPE", "NORP", "DATE"}:
            continue
        label = head_label(doc[token.i + 2:min(token.i + 9, token.sent.end)])
        if label:
            yield label, name


def renamed_names(doc: Doc) -> Iterator[Found]:
    """"… under a new name: Dotty", "rebranded as Kwik", "renamed it Loopsy"."""
    for token in tokens_of(doc):
        if token.i + 1 >= len(doc):
            continue
        if token.lower_ == "name" and doc[token.i + 1].text == ":":
            start = token.i + 2
        elif token.lower_ in {"rebranded", "renamed"}:
            start = token.i + 1
            while start < token.sent.end and doc[start].lower_ in {"as", "it", "to"}:
                start += 1
        else:
            continue
        name = name_at(doc, start, allow_lowercase=True)
        if name is None:
            continue
        window = doc[token.sent.start:token.i]
        label = cue_label(reversed(list(window))) or "APP"
        yield label, name


def noun_then_name(doc: Doc) -> Iterator[Found]:
    """"startup Vantora", "food-delivery app Keeta", "the chatbot Kimi", "Berlin-based startup Vantora"."""
    for token in tokens_of(doc)[:-1]:
        label = noun_label(token.text) or (noun_label(token.text.split("-")[-1])
                                           if "-" in token.text else None)
        if label is None or token.pos_ not in {"NOUN", "PROPN"}:
            continue
        start = token.i + 1
        owned = any(t.lower_ in {"its", "their", "our", "his", "her", "new", "flagship", "a", "an"}
                    for t in doc[max(token.sent.start, token.i - 3):token.i])
        if start + 1 < len(doc) and doc[start].text == "," and owned and label != "COMPANY":
            start += 1  # "its audiobook app, Earshot,", "a meeting assistant, Mirqab Notes,"
            if start + 1 < len(doc) and doc[start].lower_ == "the":
                start += 1  # "its first foldable phone, the Jinlu Fold,"
        name = name_at(doc, start)
        if name is not None and name[0].pos_ in {"PROPN", "NOUN", "X", "ADJ", "NUM"} \
                and not (len(name) == 1 and name[0].lower_ in {"store"}) \
                and name[0].text.rstrip(".") not in MONTHS \
                and not _menu_or_event(token, name):  # "Reviews Editor Nov. 17", a date
            yield label, name


MENU_WORDS = frozenset({"awards", "early", "partner", "events", "podcasts", "newsletters",
                        "business", "view", "videos", "deals", "reviews", "review", "act",
                        "summit", "conference", "week", "day", "expo", "show", "festival"})


def _menu_or_event(cue: Token, name: Span) -> bool:
    """"Gadgets & apps Early bird", "GamesBeat at the Game Awards": a plural cue noun or a
    name made of menu or event words is site furniture, not a name."""
    if cue.tag_ in {"NNS", "NNPS"} and cue.lower_ not in {"labs"}:
        return True
    return any(word.lower_ in MENU_WORDS for word in name)


def name_then_noun(doc: Doc) -> Iterator[Found]:
    """"the Tidy One robot", "the Arc browser", "its Pebble app"; "Kaimo users" -> APP."""
    for token in tokens_of(doc)[1:]:
        if token.pos_ != "NOUN":
            continue
        label = noun_label(token.text)
        if label == "COMPANY":
            continue  # "Oslo startup", "the Zurich maker": a place or an adjective, not a name
        usage = label is None and token.lower_ in APP_USE_WORDS
        if label is None and not usage:
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "store":
            continue  # "App Store" is a store, not an app named App
        end = token.i
        while end > token.sent.start and token.i - end < 4 and (
                doc[end - 1].pos_ in {"NOUN", "ADJ"} and doc[end - 1].is_lower
                or doc[end - 1].text == "-"):
            end -= 1  # "its Mellowdesk notes app", "the Pennock Sense home-security camera"
        name = name_ending_at(doc, end)
        if name is None or usage and len(name) == 1 and name.root.ent_type_ in {"NORP", "GPE"}:
            continue  # "its 2 million British users", "Indian users": people of a place
        before = doc[name.start - 1] if name.start > 0 else None
        if usage or before is not None and (
                before.lower_ in {"the", "its", "their", "his", "her", "a", "new", "latest", "for"}
                or before.pos_ == "ADJ" or before.tag_ == "VBN"):
            yield label or "APP", name


def suffixed_companies(doc: Doc) -> Iterator[Found]:
    """"Ferro Labs", "Orbit Systems Inc.", "Lingjing Technology", "Granite Peak Capital"."""
    for token in tokens_of(doc)[1:]:
        if token.text not in COMPANY_SUFFIXES:
            continue
        if token.text in LEGAL_FORMS:
            name = name_ending_at(doc, token.i)
        else:
            name = name_ending_at(doc, token.i + 1)
            if name is not None and len(name) == 1:
                continue  # "AI" or "Labs" alone is not a name
        if name is not None:
            yield "COMPANY", name


def possessive_products(doc: Doc) -> Iterator[Found]:
    """"Glimmr's new photo app", "Lumen's latest smartphone, the Lumen X2"."""
    for token in tokens_of(doc):
        if token.tag_ != "POS" or token.i == 0:
            continue
        owner = name_ending_at(doc, token.i)
        window = doc[token.i + 1:min(token.i + 6, token.sent.end)]
        if owner is not None and any(t.lower_ in {"new", "latest", "upcoming", "flagship", "first"}
                                     for t in window[:2]):
            yield "COMPANY", owner
            label = cue_label(window)
            for t in window:
                if label and noun_label(t.text) == label:
                    name = name_at(doc, t.i + 1)
                    if name is not None:
                        yield label, name
                    break


def launched_names(doc: Doc) -> Iterator[Found]:
    """"Glimmr launched Pebble, a …", "… unveiled the Tidy One on Tuesday"."""
    for token in tokens_of(doc):
        if token.pos_ != "VERB" or token.lemma_.lower() not in LAUNCH_VERBS:
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.pos_ == "PROPN":
            name = name_ending_at(doc, subject.i + 1)
            if name is not None:
                yield "COMPANY", name
        start = token.i + 1
        while start < token.sent.end and doc[start].lower_ in {"its", "a", "an", "the", "new", "first", "out", "on"}:
            start += 1
        name = name_at(doc, start)
        if name is None:
            continue
        after = doc[name.end:min(name.end + 4, token.sent.end)]
        before = doc[max(token.i - 3, token.sent.start):token.i]
        label = cue_label(after) or cue_label(reversed(list(before))) or cue_label(
            doc[name.end:token.sent.end])
        yield label or "APP", name


def based_companies(doc: Doc) -> Iterator[Found]:
    """"Mountain View-based Quarrystone", "a Berlin-headquartered Quillo": a business placed by
    its home town. A cue noun after the name ("London-based startup Quillo") is another
    family's."""
    for token in tokens_of(doc)[2:]:
        if token.lower_ not in {"based", "headquartered"} or doc[token.i - 1].text != "-" \
                or not doc[token.i - 2].text[:1].isupper():
            continue
        name = name_at(doc, token.i + 1)
        if name is None or is_person(name) \
                or name.end < len(doc) and noun_label(doc[name.end].text):
            continue
        yield "COMPANY", name


def project_names(doc: Doc) -> Iterator[Found]:
    """"Project Iris", "Project Astra": a company's codenamed product."""
    for token in tokens_of(doc)[:-1]:
        if token.text != "Project" or not is_name_word(doc[token.i + 1]):
            continue
        name = name_at(doc, token.i + 1, limit=2)
        if name is not None and not doc[name.end - 1].text == "Project":
            yield "PRODUCT", doc[token.i:name.end]


def role_companies(doc: Doc) -> Iterator[Found]:
    """"the CEO of Glimmr", "Glimmr CEO Ana Ruiz", "Glimmr's founder", "co-founder of Ferro"."""
    for token in tokens_of(doc):
        if token.lower_ not in ROLE_WORDS:
            continue
        if token.i + 2 < len(doc) and doc[token.i + 1].lower_ in {"of", "at"}:
            name = name_at(doc, token.i + 2)
            if name is not None and name.root.ent_type_ != "GPE" and not is_person(name):
                yield "COMPANY", name
        if token.i > 0:
            end = token.i
            while end > token.sent.start and doc[end - 1].lower_ in {"chief", "managing", "general",
                                                                     "founding", "senior", "'s"}:
                end -= 1  # "Corvale chief executive", "Quarrystone managing partner"
            name = name_ending_at(doc, end)
            owned = name is not None and name.start > 0 and (
                doc[name.start - 1].tag_ == "POS" or doc[name.start - 1].lower_ in {"its", "their"})
            if owned:
                continue  # "Tidelark's Northstar team": a company's own team or unit
            if name is not None and name.root.ent_type_ not in {"GPE", "NORP"} and not is_person(name):
                yield "COMPANY", name


MODEL_WORD = re.compile(r"^(?:[A-Za-z]{0,3}\d+[A-Za-z]{0,3}\+?|[A-Z]\d*)$")  # no "Y." at a full stop
# An edition word, or a "+" alone ("K80 Pro+"); never an empty or line-break token.
EDITION = re.compile(r"^(?:(?:Pro|Max|Ultra|Plus|Mini|Lite|Air|Fold|Flip|Neo|SE|XL|Edge|Turbo|"
                     r"Extreme|Elite|Prime)\+?|\+)\Z")


# "Orrin-2", "Moxin-R2", "GPT-5.1"
HYPHENATED_MODEL = re.compile(r"^[A-Z][A-Za-z]+-[A-Z]{0,2}\d+(?:\.\d+)?[A-Za-z+]*$")
BARE_MODEL = re.compile(r"^[A-Z]{1,3}-?\d{1,5}[A-Z]{0,3}\+?$")  # "V7", "K80", "H100", "YH-200"
PERIODS = re.compile(r"^(?:Q[1-4]|H[12]|FY\d+)$")


def bare_model_numbers(doc: Doc) -> Iterator[Found]:
    """"the V7's successor", "the S9 Ultra", "Unitree's G1", "its YH-200 pack"."""
    for token in tokens_of(doc)[1:]:
        if not BARE_MODEL.match(token.text) or PERIODS.match(token.text) or not any(
                ch.isdigit() for ch in token.text) or NOT_A_MODEL.search(token.text):
            continue
        before = doc[token.i - 1]
        if before.lower_ not in {"the", "its", "their", "our"} and before.tag_ != "POS" \
                and before.ent_type_ != "ORG":
            continue
        end = token.i + 1
        while end < len(doc) and EDITION.match(doc[end].text):
            end += 1
        yield "PRODUCT", doc[token.i:end]


def model_numbered_products(doc: Doc) -> Iterator[Found]:
    """"Nimbra X1", "Kunlei K80 Pro+", "Orrin-2", "Tarsi Fit 3": a name plus a model number;
    a maker plus a bare number is one product ("Xiaomi 14 Ultra")."""
    for token in tokens_of(doc):
        if HYPHENATED_MODEL.match(token.text) and not AGE_GROUP.match(token.text) \
                and not NOT_A_MODEL.search(token.text):
            yield "PRODUCT", doc[token.i:token.i + 1]
            continue
        if token.i + 3 < len(doc) and token.text[:1].isupper() and doc[token.i + 1].text == "(" \
                and doc[token.i + 2].text.isdigit() and doc[token.i + 3].text == ")" \
                and not doc[token.i + 1].whitespace_ and not doc[token.i + 2].whitespace_ \
                and not _a_results_line(token.sent):
            # "Phone (1)", "Ear (2)"; "Honiball ( 2 )", a try count in a spaced-out table, not
            yield "PRODUCT", doc[token.i:token.i + 4]
            continue
        if not token.text[:1].isupper() or token.text in NEVER_NAMES or token.like_num \
                or NOT_A_MODEL.search(token.text):
            continue  # ... "CVE-2024-10237" reads as a name, a hyphen and a number
        if token.i > 0 and is_name_word(doc[token.i - 1]) and not doc[token.i - 1].is_sent_start:
            continue  # start at the first word of the name
        end = token.i + 1
        while end < len(doc) and end - token.i < 4 and doc[end].text[:1].isupper() \
                and not MODEL_WORD.match(doc[end].text) and doc[end].text not in NEVER_NAMES:
            end += 1
        if end < len(doc) and doc[end].text == "-" and end + 1 < len(doc) \
                and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
            end += 1  # "Orrin-2", "Moxin-R2"; not "France - 1 - Bernard Lama", a line-up
        if end >= len(doc) or not MODEL_WORD.match(doc[end].text) or not (
                any(ch.isdigit() for ch in doc[end].text) or doc[end].text.isupper()
                and end > token.i and token.text in {"Model", "Series", "Type"}):
            continue
        if doc[end].like_num and end + 1 < len(doc) and (doc[end + 1].lower_ in COUNTED_UNITS or (
                doc[end + 1].text in {"-", "–"} and not doc[end].whitespace_
                and end + 2 < len(doc) and doc[end + 2].like_num)):
            continue  # "70 km from", "80 not out"; "the Mets 6-4", a score
        if INITIAL.match(token.text):
            continue  # "C. Lewis 80", "M. McCague 4-55": a player and his runs
        if doc[end - 1].text.rstrip(".") in MONTHS:
            continue  # "Reviews Editor Nov. 17": a byline's date
        number = end
        end += 1
        while end < len(doc) and EDITION.match(doc[end].text):
            end += 1
        if doc[number].like_num and not _reads_as_product(doc, token.i, number, end):
            continue  # "Plymouth 4", "ROME 1996", "Smith 34": scores, datelines, ages
        yield "PRODUCT", doc[token.i:end]


YEAR = re.compile(r"^(?:19|20)\d\d$")
ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.I)


# What a bare number counts when it is no model number.
COUNTED_UNITS = COUNT_WORDS | {"km", "kilometres", "kilometers", "miles", "seconds", "points",
                               "runs", "goals", "not", "mln", "pct"}
AGE_GROUP = re.compile(r"^(?:Under|UNDER|U)-\d+$")  # "Under-21", a team of players that age
# Diseases, standards, summits, bug ids and years: "COVID-19", "ERC-1155", "G-20", "CVE-2025".
NOT_A_MODEL = re.compile(r"^(?:COVID|SARS|MERS|CVE|ERC|EIP|RFC|ISO|IEC|G|H|Y2K)-|-(?:19|20)\d\d$",
                         re.I)
INITIAL = re.compile(r"^[A-Z]\.$")
MONTHS = frozenset({"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
                    "Dec", "January", "February", "March", "April", "May", "June", "July",
                    "August", "September", "October", "November", "December"})


def _a_results_line(sent: Span) -> bool:
    """Scores, standings and line-ups: a sentence made a quarter or more of bare numbers."""
    numbers = sum(token.like_num for token in sent)
    return numbers >= 2 and numbers >= 0.25 * len(sent)


def _reads_as_product(doc: Doc, start: int, number: int, end: int) -> bool:
    """A name with a bare number is a product only with evidence: an edition word ("Pro"),
    a name of two words, an article, a product noun or a maker's possessive nearby, or a
    name the gazetteer knows."""
    if YEAR.match(doc[number].text) or all(t.is_upper and len(t) > 1 for t in doc[start:number]):
        return False
    if ORDINAL.match(doc[number].text) or _a_results_line(doc[start].sent):
        return False  # "Zidane 46th", "West Bromwich 3 Leeds 0 Everton 2 …"
    if end > number + 1 or number - start >= 2:
        return True  # "Xiaomi 14 Ultra", "Lumeo Band 4": an edition word, a two-word name
    if start and doc[start - 1].lower_ in {"the", "its", "their", "our", "a", "an", "new"}:
        return True  # "the Pixel 8": scores and ages take no article
    window = doc[max(0, start - 4):min(len(doc), end + 3)]
    if any(noun_label(t.lower_) == "PRODUCT" for t in window if not start <= t.i < end):
        return True
    if start and doc[start - 1].tag_ == "POS":
        return True  # "Apple's iPhone 15"
    known = {span.start for span in doc.spans.get("launchwire_gazetteer", [])
             if span.label_ in {"PRODUCT", "COMPANY"}}
    return start in known


LIST_CUES = frozenset({"including", "like", "such", "among", "includes", "include"})
FUNDING_CUES = frozenset({"backed", "led", "acquired", "funded", "owned", "bought"})
# What investors give "from": "raised $10 million from …", "with participation from …".
MONEY_FROM = frozenset({"raise", "funding", "investment", "backing", "participation",
                        "financing", "round"})


def listed_names(doc: Doc) -> Iterator[Found]:
    """"partners including Pennock Labs and Sablefin", "apps such as Dotty and Earshot",
    "a round led by Quarrystone Capital", "backed by Oaktide Ventures", "funding from
    Pennock and Halvard"."""
    for token in tokens_of(doc):
        if token.lower_ in FUNDING_CUES and token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "by":
            label, start = "COMPANY", token.i + 2
        elif token.lower_ == "from" and token.head.lemma_.lower() in MONEY_FROM:
            label, start = "COMPANY", token.i + 1  # "funding from Halvard, Oaktide and …"
        elif token.lower_ in LIST_CUES:
            start = token.i + (2 if token.lower_ == "such" else 1)
            if token.lower_ == "such" and (start > len(doc) or doc[token.i + 1].lower_ != "as"):
                continue
            window = [t for t in doc[max(token.sent.start, token.i - 4):token.i] if not t.is_punct]
            label = cue_label(reversed(window))
            if label is None:
                continue
        else:
            continue
        while start < token.sent.end:
            name = name_at(doc, start)
            if name is None or name.root.ent_type_ in {"GPE", "NORP", "DATE", "MONEY"} \
                    or is_person(name):
                break
            yield label, name
            start = name.end
            if start < len(doc) and doc[start].text == ",":
                start += 1
            if start < len(doc) and doc[start].lower_ in {"and", "or"}:
                start += 1


SAY_VERBS = frozenset({"say", "tell", "announce", "confirm", "report", "raise", "file", "post",
                       "expect", "plan", "hire", "lay", "acquire", "buy", "decline", "add",
                       "shut", "close", "lose", "rely", "keep", "operate", "sell", "build",
                       "employ", "invest", "spend", "earn", "cut", "list", "seek", "sue",
                       "partner", "agree", "estimate", "warn", "aim", "intend", "claim",
                       "purchase", "track", "offer", "find"})


def subject_companies(doc: Doc) -> Iterator[Found]:
    """"Sablefin said …", "Tidelark raised $12 million", "Corvale declined to comment":
    the named subject of a company verb, unless the model reads it as a person or place."""
    for token in tokens_of(doc):
        passive = token.lemma_.lower() in DONE_TO_COMPANIES and token.tag_ == "VBN"
        if token.lemma_.lower() not in SAY_VERBS and not passive or token.pos_ != "VERB":
            continue
        for child in token.children:
            if child.dep_ != ("nsubjpass" if passive else "nsubj") or child.pos_ != "PROPN":
                continue
            # Nothing but a business is valued or acquired, whatever group the model saw;
            # and a people is plural ("Americans said"), an unfamiliar brand it calls NORP not.
            if child.ent_type_ in {"GPE", "LOC", "FAC"} or child.ent_type_ == "NORP" \
                    and not passive and child.tag_ != "NNP":
                continue
            name = name_ending_at(doc, child.i + 1)
            if name is None or is_person(name) or lone_surname(name):
                continue  # "Lamm said": a common surname speaking is a person
            if len(name) == 1 and token.lemma_.lower() in SPEECH_VERBS \
                    and QUOTE_MARKS.search(token.sent.text):
                continue  # "“It took two years,” Fadell says": a quoted lone name is a person
            yield "COMPANY", name


# Where a deal puts the company bought or backed: "acquire Halvard", "the acquisition of
# Tidelark", "invests in Quarrystone", "a stake in Halvard".
ACQUIRED_AT = {"acquire": "dobj", "acquisition": "of", "takeover": "of", "invest": "in",
               "investment": "in", "stake": "in"}


def acquired_companies(doc: Doc) -> Iterator[Found]:
    """"Oaktide's acquisition of Tidelark", "agreed to acquire Halvard": a business is
    what is bought or invested in, whatever the model takes the unfamiliar name for."""
    for token in tokens_of(doc):
        place = ACQUIRED_AT.get(token.lemma_.lower())
        if place is None:
            continue
        if place == "dobj":
            objects = [c for c in token.children if c.dep_ == "dobj"] \
                if token.pos_ == "VERB" else []
        else:
            objects = [g for c in token.children if c.dep_ == "prep" and c.lower_ == place
                       for g in c.children if g.dep_ == "pobj"]
        for target in objects:
            if target.pos_ != "PROPN" or target.ent_type_ in {"GPE", "LOC", "FAC", "DATE"}:
                continue  # "invest in India"
            name = name_ending_at(doc, target.i + 1)
            if name is not None and not is_person(name):
                yield "COMPANY", name


DONE_TO_COMPANIES = frozenset({"value", "acquire", "fund", "found", "incorporate"})
SPEECH_VERBS = frozenset({"say", "tell", "add", "note", "explain", "write", "recall", "argue",
                          "declare", "continue"})
QUOTE_MARKS = re.compile(r"[“”\"]")


# Verbs of what a company does with money, units and products, as opposed to speaking.
BUSINESS_VERBS = frozenset({"raise", "sell", "ship", "earn", "lose", "spend", "invest", "acquire",
                            "buy", "hire", "lay", "operate", "employ", "cut", "list", "plan",
                            "expect", "cost", "charge", "price", "make", "build", "launch",
                            "release", "open", "close", "reach", "have", "grow", "double"})
TELLER_NOUNS = frozenset({"company", "startup", "start-up", "firm", "maker", "developer",
                          "studio", "group"})


def _told_by_the_company(sent: Span) -> bool:
    """"…, the company said" / "the startup told reporters": the sentence's teller is a company."""
    return any(token.lower_ in TELLER_NOUNS and token.dep_ == "nsubj"
               and token.head.lemma_.lower() in {"say", "tell", "confirm", "announce"}
               and any(c.lower_ == "the" for c in token.children) for token in sent)


def told_companies(doc: Doc) -> Iterator[Found]:
    """"Flintlock Audio … has raised $25 million, the company said"; "Sakurado's Nova 2
    handheld costs $399, the company said": where the sentence says a company told it, the
    named doer of a business verb, or the owner of the product it prices, is that company,
    whatever the model takes the unfamiliar name for."""
    for sent in doc.sents:
        if not _told_by_the_company(sent):
            continue
        for token in sent:
            if token.pos_ != "PROPN" or token.ent_type_ in {"NORP", "DATE"}:
                continue
            head = token.head
            if token.dep_ == "nsubj" and head.lemma_.lower() in BUSINESS_VERBS:
                pass
            elif token.dep_ == "poss" and head.dep_ in {"nsubj", "nsubjpass"} \
                    and head.head.lemma_.lower() in BUSINESS_VERBS \
                    and (noun_label(head.text) in {"APP", "PRODUCT"}
                         or head.ent_type_ in {"PRODUCT", "WORK_OF_ART"}):
                pass
            else:
                continue
            name = name_ending_at(doc, token.i + 1)
            if name is not None and (doc[name.start - 1].lower_ not in TITLES if name.start else True):
                yield "COMPANY", name


for _family in (launched_names, listed_names, role_companies, subject_companies, live_names,
                acquired_companies):
    _family.without_cue_noun = True  # type: ignore[attr-defined]

FAMILIES: tuple[Callable[[Doc], Iterator[Found]], ...] = (
    called_names, appositive_names, made_by_names, defined_names, renamed_names, live_names,
    app_named_names, suffixed_companies, based_companies, project_names,
    model_numbered_products, bare_model_numbers,
    noun_then_name, name_then_noun, possessive_products, launched_names, listed_names,
    role_companies, subject_companies, acquired_companies, told_companies)


@registry.misc("launchwire.tech_patterns.v1")
def tech_patterns() -> tuple[Callable[[Doc], Iterator[Found]], ...]:
    """The context-rule families, in order of trust (earlier wins a conflict)."""
    return FAMILIES
