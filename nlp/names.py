"""What a name looks like in tech news, and what the words around it say it is."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from spacy.tokens import Doc, Span, Token

from nlp.vocabulary import LABELS

# Census given names and common surnames that are no everyday words and open no gazetteer
# name (built by `python -m launchwire.name_lists`).
GIVEN_NAMES_FILE = Path(__file__).parent / "data" / "given_names.txt"
SURNAMES_FILE = Path(__file__).parent / "data" / "surnames.txt"

# The tech entity labels launchwire adds to the model's own, as a set for the many lookups.
TECH_LABELS = frozenset(LABELS)
APP_NOUNS = frozenset({
    "app", "apps", "application", "agent", "bot", "hit", "title", "planner", "tracker",
    "spreadsheet", "calendar", "inbox", "wiki", "dashboard", "messenger", "copilot",
    "platform", "service", "chatbot", "assistant", "browser", "marketplace", "network",
    "game", "website", "site", "tool", "software",
    # Newcomers in a market story are, far more often than not, its apps.
    "newcomer", "entrant", "alternative", "option",
    "super-app", "superapp", "mini-program", "os", "client", "extension", "plugin", "feed",
    "storefront", "store", "wallet", "newsletter", "editor", "launcher", "keyboard",
    "distribution", "engine", "api", "chatbots"})
PRODUCT_NOUNS = frozenset({
    "smartphone", "phone", "handset", "headset", "device", "robot", "car", "sedan", "suv",
    "ev", "chip", "chipset", "processor", "model", "laptop", "tablet", "watch", "smartwatch",
    "earbuds", "glasses", "console", "drone", "camera", "speaker", "vehicle", "scooter",
    "ring", "router", "satellite", "llm", "gpu", "cpu", "handheld", "wearable", "truck",
    "bike", "e-bike", "printer", "monitor", "tv", "television", "foldable", "flagship",
    "robotaxi", "lidar", "sensor", "battery", "controller", "pendant", "accelerator", "band",
    "buds", "humanoid", "lens", "visor", "cam", "mower", "lawnmower", "vacuum", "thermostat",
    "pickup", "e-reader", "headphones", "earphones", "keyboard", "mouse", "charger", "doorbell",
    "projector", "pc", "dashcam"})
COMPANY_NOUNS = frozenset({
    "startup", "start-up", "company", "firm", "maker", "developer", "group", "unicorn",
    "retailer", "operator", "carmaker", "automaker", "chipmaker", "manufacturer", "lender",
    "provider", "giant", "conglomerate", "studio", "publisher", "investor", "fund",
    "rival", "competitor", "subsidiary", "spin-off", "spinoff", "outfit", "vendor", "brand",
    "supplier", "incubator", "accelerator", "fintech", "insurtech", "edtech", "owner",
    "parent", "backer", "lab", "labs", "consultancy", "agency", "house", "vc", "bank",
    "carrier", "telco"})
COMPANY_SUFFIXES = frozenset({
    "Labs", "Lab", "Technology", "Technologies", "Systems", "Robotics", "AI", "Holdings",
    "Group", "Software", "Studios", "Games", "Networks", "Semiconductor", "Semiconductors",
    "Motors", "Bio", "Biotech", "Capital", "Ventures", "Partners", "Inc", "Inc.", "Ltd",
    "Ltd.", "Corp", "Corp.", "LLC", "Co.", "plc", "GmbH", "Limited", "Corporation",
    "Interactive", "Dynamics", "Mobility", "Electronics", "Devices", "Analytics", "Media",
    "Digital", "Security", "Computing", "Energy", "Foods", "Logistics", "Wearables",
    "Learning", "Education", "Entertainment", "Research", "Studio", "Collective", "Works",
    "Industries", "Commerce", "Payments", "Fintech", "Auto", "Automotive", "Mobile", "Telecom"})
# Words of the trade: a text with none of them is not about technology (sport, politics).
TECH_WORDS = frozenset({
    "app", "apps", "software", "smartphone", "smartphones", "startup", "startups", "start-up",
    "internet", "online", "download", "downloads", "users", "ai", "chip", "chips", "device",
    "devices", "website", "browser", "cloud", "tech", "technology", "digital", "computer",
    "computers", "gadget", "platform", "subscribers", "streaming", "iphone", "android", "ios",
    "launch", "launched", "launches", "beta", "gaming", "console", "laptop", "pc", "data",
    "developer", "developers", "model", "models", "chatbot", "robot", "web", "e-commerce",
    "fintech", "crypto", "blockchain", "semiconductor", "electric", "ev", "evs"})
# Last words that make a name an app's or service's: "Kampung Pay", "Mirqab Notes", "Haiyun ERP".
APP_NAME_ENDINGS = frozenset({"Pay", "Wallet", "Mail", "Chat", "Music", "Maps", "Notes", "Live",
                              "Connect", "Console", "Docs", "Drive", "Photos", "Calendar",
                              "Meet", "Messenger", "ERP", "CRM", "Cloud", "Store", "Play", "TV",
                              "Video", "Browser", "Assistant", "Copilot", "Search", "Sheets",
                              "Health", "Fit", "Translate", "Lens", "Keyboard", "XR", "OS"})


# Legal forms are not part of a name ("Orbit Systems Inc." is "Orbit Systems").
LEGAL_FORMS = frozenset({"Inc", "Inc.", "Ltd", "Ltd.", "Corp", "Corp.", "LLC", "Co.", "plc",
                         "GmbH", "Limited", "Corporation", "S.A.", "AG", "SA", "NV", "BV"})
# Words a name does not end on: a legal form ("Loftwing Labs Inc") or a dangling "&".
NAME_ENDINGS_DROPPED = LEGAL_FORMS | {"&", "+"}
ROLE_WORDS = frozenset({"ceo", "founder", "co-founder", "cofounder", "cto", "cfo", "coo", "partner",
                        "team", "founders", "engineers", "spokespeople", "leadership",
                        "chairman", "spokesperson", "spokeswoman", "spokesman", "president",
                        "executive", "head", "boss", "engineer", "employees", "staff",
                        "investors", "shareholders", "board"})
APP_USE_WORDS = frozenset({"users", "subscribers", "downloads", "installs", "listeners",
                           "creators", "sellers", "merchants", "riders", "drivers"})
LAUNCH_VERBS = frozenset({"launch", "release", "unveil", "introduce", "debut", "roll", "ship",
                          "announce", "open", "rebrand", "relaunch", "preview", "unveiled",
                          "build", "shut"})
CALLED = frozenset({"called", "named", "dubbed", "branded", "christened", "calling",
                    "codenamed", "code-named"})
# Capitalised words that start names of nothing: calendar words, titles, sentence openers.
NEVER_NAMES = frozenset({
    "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "Their", "Our", "We", "I",
    "He", "She", "They", "In", "On", "At", "By", "For", "With", "As", "But", "And", "Or", "If",
    "When", "While", "After", "Before", "Since", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December", "CEO", "CFO", "CTO",
    "Mr", "Ms", "Mrs", "Dr", "Series", "Q1", "Q2", "Q3", "Q4", "DAU", "MAU", "ARR", "GMV",
    "IPO", "AI", "App", "Apps", "According", "However", "Meanwhile", "Still", "Yet", "So",
    "Also", "Now", "Today", "Yesterday", "Last", "Next", "New", "Chinese", "American",
    "Meet", "Introducing", "Say", "Try", "Download", "Welcome", "Hello", "Thanks",
    "Monthly", "Daily", "Weekly", "Annual", "Quarterly", "Both", "Each", "All", "Many", "Most",
    "Some", "Several", "Few", "Other", "Another", "One", "Two", "Three",
    "European", "Japanese", "Korean", "Indian", "US", "U.S.", "UK", "EU", "China", "Beijing"})


# Words that end or join a name but never start one ("Mistral AI", "Procter & Gamble").
NAME_CONTINUATIONS = frozenset({"AI", "&", "+", "OS"})


def is_name_word(token: Token) -> bool:
    """A word that can belong to a name: capitalised or mixed case, or a model number."""
    text = token.text
    if token.is_punct or token.is_space or token.like_url or token.like_email:
        return False
    if token.like_num:
        return True  # "Pixel 8 Pro": only inside a name that starts with a word
    if text in NEVER_NAMES and token.i > 0 and token.doc[token.i - 1].is_punct is False \
            and token.pos_ != "PROPN":
        return False
    return any(ch.isupper() for ch in text) and text not in NEVER_NAMES


_walked: tuple[Doc | None, list[Token]] = (None, [])


def tokens_of(doc: Doc) -> list[Token]:
    """The doc's tokens, made once for every rule that walks it: spaCy builds a new Token
    object on each access, and walking the doc once per rule family cost a third of the
    entity stage."""
    global _walked
    if _walked[0] is not doc:
        _walked = (doc, list(doc))
    return _walked[1]


def name_at(doc: Doc, start: int, limit: int = 5, allow_lowercase: bool = False) -> Span | None:
    """The name beginning at token `start` (up to `limit` words), or None.

    "Pixel 8 Pro smartphone" -> "Pixel 8 Pro"; a lowercase brand only when `allow_lowercase`
    ("an app called glimmr").
    """
    if start >= len(doc):
        return None
    first = doc[start]
    if not is_name_word(first) or first.like_num:
        if not (allow_lowercase and first.is_alpha and not first.is_stop and first.is_lower):
            return None
        return doc[start:start + 1]
    end = start + 1
    sentence_end = first.sent.end  # `token.sent` walks the sentence on every read
    while end < sentence_end and end - start < limit and (
            is_name_word(doc[end]) or doc[end].text in NAME_CONTINUATIONS):
        end += 1
    while end > start + 1 and doc[end - 1].text in NAME_ENDINGS_DROPPED:
        end -= 1
    if first.is_sent_start and first.pos_ in ORDINARY_OPENERS and end - start > 1 \
            and not _oddly_written(first):
        start += 1  # "Enterprise AI budgets …", "Longtime Arc users …": an ordinary opening word
    return doc[start:end]


# Sentence openers the tagger reads as ordinary words ("Longtime", "Both", "Monthly"); an
# unknown name it reads as a noun ("Tessaro Robotics") is left alone.
ORDINARY_OPENERS = frozenset({"ADJ", "DET", "ADV", "PRON", "VERB", "ADP", "CCONJ", "SCONJ", "AUX",
                              "PART", "INTJ"})


def _oddly_written(token: Token) -> bool:
    """WeChat, iOS, eBay: capitals where ordinary words have none."""
    return token.text[1:] != token.text[1:].lower() or token.text[:1].islower()


def name_ending_at(doc: Doc, end: int, limit: int = 5) -> Span | None:
    """The name whose last word is token `end - 1` ("... Hangzhou Lingjing Technology")."""
    if end <= 0:
        return None
    last = doc[end - 1]
    continued = last.text in NAME_CONTINUATIONS and end >= 2 and is_name_word(doc[end - 2])
    if not (is_name_word(last) or continued) or last.like_num and end - 1 == 0:
        return None
    start = end - 1
    sentence_start = None  # `token.sent` walks the sentence on every read: once, if at all
    while start > 0 and end - start < limit and is_name_word(doc[start - 1]):
        if sentence_start is None:
            sentence_start = last.sent.start
        if start - 1 < sentence_start:
            break
        start -= 1
    while start < end and (doc[start].text in NEVER_NAMES or doc[start].like_num):
        start += 1
    if start < end - 1 and doc[start].is_sent_start and doc[start].pos_ in ORDINARY_OPENERS \
            and not _oddly_written(doc[start]):
        start += 1  # an ordinary word opening the sentence
    return doc[start:end] if start < end else None


TITLES = frozenset({"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "professor", "prof."})
# What a bare number after a name counts when it is no model number ("14 million", "40%").
COUNT_WORDS = frozenset({"million", "billion", "percent", "%", "users", "years", "days",
                         "months", "hours", "minutes"})


def lists_version() -> str:
    """Changes whenever a name list does, so articles are processed again."""
    digest = hashlib.sha1()
    for path in (GIVEN_NAMES_FILE, SURNAMES_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    return frozenset(GIVEN_NAMES_FILE.read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset(SURNAMES_FILE.read_text(encoding="utf-8").split())


def _names_a_business(word: str) -> bool:
    """"Crazy Maple Studio", "Pillbox Tracker", "Yinhe Pay", "Orbit Systems Inc."."""
    return (word in COMPANY_SUFFIXES or word in APP_NAME_ENDINGS or word in LEGAL_FORMS
            or noun_label(word) is not None)


def full_name(span: Span) -> bool:
    """"Jason Portnoy", "Kirsten Korosec": a given name and a surname or two, whatever the
    model made of them."""
    words = [token.text for token in span]
    while len(words) > 2 and words[0].lower() in ROLE_WORDS | TITLES:
        words = words[1:]  # "CTO Mira Murati"
    if not 2 <= len(words) <= 3 or words[0].lower() not in given_names():
        return False
    if not all(word[:1].isupper() and word.replace("’", "").replace("'", "").replace(
            "-", "").replace(".", "").isalpha() for word in words):
        return False
    return not words[0].isupper() and not _names_a_business(words[-1])


def lone_surname(span: Span) -> bool:
    """"Lamm", "Gillespie": one word, among the 20,000 commonest US surnames."""
    word = span.text
    return len(span) == 1 and word.istitle() and word.isalpha() and word.lower() in surnames()


def is_person(span: Span) -> bool:
    """Whether a name is a person's. The model tags many unfamiliar one-word brands PERSON;
    a lone word is taken for a person only if the text gave that person's full name first
    ("Dana Ruiz … Ruiz said") or a title ("Dr Ruiz")."""
    if full_name(span):
        return True
    if not any(token.ent_type_ == "PERSON" for token in span):
        return False
    if _names_a_business(span[-1].text):
        return False
    last = span[-1].text
    if len(span) > 1:
        return True
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].lower_ in TITLES:
        return True
    return any(ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].text == last
               and ent.start < span.start for ent in doc.ents)


CUE_NOUNS = APP_NOUNS | PRODUCT_NOUNS | COMPANY_NOUNS


# Every rule family asks this of nearly every word: one lookup per spelling seen lately.
@lru_cache(maxsize=65_536)
def noun_label(word: str) -> str | None:
    word = word.lower().strip("-")
    if word.endswith("s") and word[:-1] in CUE_NOUNS:
        word = word[:-1]  # "platforms like …", "phones such as …"
    if word in APP_NOUNS:
        return "APP"
    if word in PRODUCT_NOUNS:
        return "PRODUCT"
    if word in COMPANY_NOUNS:
        return "COMPANY"
    return None


def word_label(token: Token) -> str | None:
    return noun_label(token.text) or (noun_label(token.text.split("-")[-1])
                                      if "-" in token.text else None)


def cue_label(tokens: Iterator[Token] | Span) -> str | None:
    """The label the first cue noun among `tokens` points to."""
    for token in tokens:
        if token.is_punct and token.text not in {"-"}:
            return None
        label = word_label(token)
        if label:
            return label
    return None


def head_label(tokens: Span) -> str | None:
    """The label of the head of the noun phrase `tokens` starts: "a budget phone maker" is a
    maker (COMPANY), not a phone; "a voice journaling app" an app."""
    label = None
    for token in tokens:
        # The tagger reads some cue nouns as verbs ("a cybersecurity startup developing …").
        as_noun = token.pos_ == "NOUN" or token.pos_ == "VERB" and word_label(token) is not None
        in_phrase = as_noun or token.pos_ in {"PROPN", "ADJ", "NUM", "DET", "PRON", "ADV"} or \
            token.tag_ in {"VBG", "VBN", "POS"} or token.text == "-"
        if token.tag_ in {"WDT", "WP", "WP$"}:
            break  # "a London startup whose app …" is a startup
        if not in_phrase or label and token.tag_ in {"VBG", "VBN"}:
            break  # "a cybersecurity startup developing a … platform" is a startup
        if as_noun:
            label = word_label(token) or label
    return label
