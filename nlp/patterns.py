"""Context rules that find tech names no gazetteer holds yet, one small function a family.

Each family returns (label, name span) pairs for a Doc; `tech_patterns` joins them. Rules
read only the surrounding words and the parse, never a list of known names.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from spacy.tokens import Doc, Span, Token
from spacy.util import registry

Found = tuple[str, Span]

APP_NOUNS = frozenset({
    "app", "apps", "application", "agent", "bot", "hit", "title", "planner", "tracker",
    "spreadsheet", "calendar", "inbox", "wiki", "dashboard", "messenger", "copilot",
    # Newcomers in a market story are, far more often than not, its apps.
    "newcomer", "entrant", "alternative", "option", "platform", "service", "chatbot", "assistant", "browser",
    "marketplace", "messenger", "network", "game", "website", "site", "tool", "software",
    "super-app", "superapp", "mini-program", "os", "client", "extension", "plugin", "feed",
    "storefront", "store", "wallet", "newsletter", "editor", "launcher", "keyboard"})
PRODUCT_NOUNS = frozenset({
    "smartphone", "phone", "handset", "headset", "device", "robot", "car", "sedan", "suv",
    "ev", "chip", "chipset", "processor", "model", "laptop", "tablet", "watch", "smartwatch",
    "earbuds", "glasses", "console", "drone", "camera", "speaker", "vehicle", "scooter",
    "ring", "router", "satellite", "llm", "gpu", "cpu", "handheld", "wearable", "truck",
    "bike", "e-bike", "printer", "monitor", "tv", "television", "foldable", "flagship",
    "robotaxi", "lidar", "sensor", "battery", "controller", "pendant", "accelerator", "band",
    "buds", "humanoid", "lens", "visor", "cam"})
COMPANY_NOUNS = frozenset({
    "startup", "start-up", "company", "firm", "maker", "developer", "group", "unicorn",
    "retailer", "operator", "carmaker", "automaker", "chipmaker", "manufacturer", "lender",
    "provider", "giant", "conglomerate", "studio", "publisher", "investor", "fund",
    "rival", "competitor", "subsidiary", "spin-off", "spinoff", "outfit", "vendor", "brand",
    "supplier", "incubator", "accelerator", "fintech", "insurtech", "edtech", "owner",
    "parent", "backer", "lab", "labs", "consultancy", "agency", "house"})
COMPANY_SUFFIXES = frozenset({
    "Labs", "Lab", "Technology", "Technologies", "Systems", "Robotics", "AI", "Holdings",
    "Group", "Software", "Studios", "Games", "Networks", "Semiconductor", "Semiconductors",
    "Motors", "Bio", "Biotech", "Capital", "Ventures", "Partners", "Inc", "Inc.", "Ltd",
    "Ltd.", "Corp", "Corp.", "LLC", "Co.", "plc", "GmbH", "Limited", "Corporation",
    "Interactive", "Dynamics", "Mobility", "Electronics", "Devices", "Analytics", "Media",
    "Digital", "Security", "Computing", "Energy", "Foods", "Logistics", "Wearables",
    "Learning", "Education", "Entertainment", "Research", "Studio", "Collective", "Works",
    "Industries", "Commerce", "Payments", "Fintech", "Auto", "Automotive", "Mobile", "Telecom"})
# Last words that make a name an app's or service's: "Kampung Pay", "Mirqab Notes", "Haiyun ERP".
APP_NAME_ENDINGS = frozenset({"Pay", "Wallet", "Mail", "Chat", "Music", "Maps", "Notes", "Live",
                              "Connect", "Console", "Docs", "Drive", "Photos", "Calendar",
                              "Meet", "Messenger", "ERP", "CRM", "Cloud", "Store", "Play", "TV",
                              "Video", "Browser", "Assistant", "Copilot", "Search", "Sheets",
                              "Health", "Fit", "Translate", "Lens", "Keyboard", "XR", "OS"})


# Legal forms are not part of a name ("Orbit Systems Inc." is "Orbit Systems").
LEGAL_FORMS = frozenset({"Inc", "Inc.", "Ltd", "Ltd.", "Corp", "Corp.", "LLC", "Co.", "plc",
                         "GmbH", "Limited", "Corporation", "S.A.", "AG", "SA", "NV", "BV"})
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
CALLED = frozenset({"called", "named", "dubbed", "branded", "christened"})
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
    while end < len(doc) and end - start < limit and doc[end].sent == first.sent and (
            is_name_word(doc[end]) or doc[end].text in NAME_CONTINUATIONS):
        end += 1
    while end > start + 1 and doc[end - 1].text in LEGAL_FORMS | {"&", "+"}:
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
    while start > 0 and end - start < limit and is_name_word(doc[start - 1]) \
            and doc[start - 1].sent == doc[end - 1].sent:
        start -= 1
    while start < end and (doc[start].text in NEVER_NAMES or doc[start].like_num):
        start += 1
    if start < end - 1 and doc[start].is_sent_start and doc[start].pos_ in ORDINARY_OPENERS \
            and not _oddly_written(doc[start]):
        start += 1  # an ordinary word opening the sentence
    return doc[start:end] if start < end else None


TITLES = frozenset({"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "professor", "prof."})


def is_person(span: Span) -> bool:
    """Whether a name is a person's. The model tags many unfamiliar one-word brands PERSON;
    a lone word is taken for a person only if the text gave that person's full name first
    ("Dana Ruiz … Ruiz said") or a title ("Dr Ruiz")."""
    if not any(token.ent_type_ == "PERSON" for token in span):
        return False
    last = span[-1].text
    if last in COMPANY_SUFFIXES or last in APP_NAME_ENDINGS or noun_label(last):
        return False  # "Crazy Maple Studio", "Pillbox Tracker", "Yinhe Pay"
    if len(span) > 1:
        return True
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].lower_ in TITLES:
        return True
    return any(ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].text == last
               and ent.start < span.start for ent in doc.ents)


def noun_label(word: str) -> str | None:
    word = word.lower().strip("-")
    if word.endswith("s") and word[:-1] in APP_NOUNS | PRODUCT_NOUNS | COMPANY_NOUNS:
        word = word[:-1]  # "platforms like …", "phones such as …"
    if word in APP_NOUNS:
        return "APP"
    if word in PRODUCT_NOUNS:
        return "PRODUCT"
    if word in COMPANY_NOUNS:
        return "COMPANY"
    return None


def _word_label(token: Token) -> str | None:
    return noun_label(token.text) or (noun_label(token.text.split("-")[-1])
                                      if "-" in token.text else None)


def cue_label(tokens: Iterator[Token] | Span) -> str | None:
    """The label the first cue noun among `tokens` points to."""
    for token in tokens:
        if token.is_punct and token.text not in {"-"}:
            return None
        label = _word_label(token)
        if label:
            return label
    return None


def head_label(tokens: Span) -> str | None:
    """The label of the head of the noun phrase `tokens` starts: "a budget phone maker" is a
    maker (COMPANY), not a phone; "a voice journaling app" an app."""
    label = None
    seen_noun = False
    for token in tokens:
        in_phrase = token.pos_ in {"NOUN", "PROPN", "ADJ", "NUM", "DET", "PRON", "ADV"} or \
            token.tag_ in {"VBG", "VBN"} or token.text == "-"
        if token.tag_ in {"WDT", "WP", "WP$"}:
            break  # "a London startup whose app …" is a startup
        if not in_phrase:
            break
        if token.pos_ == "NOUN":
            seen_noun = True
            label = _word_label(token) or label
    return label


def called_names(doc: Doc) -> Iterator[Found]:
    """"an app called Glimmr", "a startup named glimmr", "a robot dubbed Tidy One"."""
    for token in doc:
        if token.lower_ in CALLED and token.i > 0:
            window = [t for t in doc[max(token.sent.start, token.i - 5):token.i] if t.text != ","]
            # No cue noun ("something called hootbot"): apps are what gets named so.
            label = cue_label(reversed(window)) or "APP"
            name = name_at(doc, token.i + 1, allow_lowercase=True)
            if name is not None and not is_person(name):
                yield label, name


def appositive_names(doc: Doc) -> Iterator[Found]:
    """"Quillo, a voice journaling app, …", "Vantora, the Berlin-based startup, …"."""
    for token in doc:
        if token.text != "," or token.i + 1 >= len(doc):
            continue
        if doc[token.i + 1].lower_ not in {"a", "an", "the", "our", "its", "their"}:
            continue
        name = name_ending_at(doc, token.i)
        if name is None:
            continue
        window = doc[token.i + 2:min(token.i + 9, token.sent.end)]
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
    for token in doc:
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
    for token in doc:
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
    for token in doc[1:]:
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
    for token in doc:
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
    for token in doc:
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
    for token in doc[:-1]:
        label = noun_label(token.text) or (noun_label(token.text.split("-")[-1])
                                           if "-" in token.text else None)
        if label is None or token.pos_ not in {"NOUN", "PROPN"}:
            continue
        start = token.i + 1
        owned = any(t.lower_ in {"its", "their", "our", "his", "her", "new", "flagship", "a", "an"}
                    for t in doc[max(token.sent.start, token.i - 3):token.i])
        if start + 1 < len(doc) and doc[start].text == "," and owned and label != "COMPANY":
            start += 1  # "its audiobook app, Earshot,", "a meeting assistant, Mirqab Notes,"
        name = name_at(doc, start)
        if name is not None and name[0].pos_ in {"PROPN", "NOUN", "X", "ADJ", "NUM"} \
                and not (len(name) == 1 and name[0].lower_ in {"store"}):
            yield label, name


def name_then_noun(doc: Doc) -> Iterator[Found]:
    """"the Tidy One robot", "the Arc browser", "its Pebble app"; "Kaimo users" -> APP."""
    for token in doc[1:]:
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
        if name is None:
            continue
        before = doc[name.start - 1] if name.start > 0 else None
        if usage or before is not None and (
                before.lower_ in {"the", "its", "their", "his", "her", "a", "new", "latest", "for"}
                or before.pos_ == "ADJ" or before.tag_ == "VBN"):
            yield label or "APP", name


def suffixed_companies(doc: Doc) -> Iterator[Found]:
    """"Ferro Labs", "Orbit Systems Inc.", "Lingjing Technology", "Granite Peak Capital"."""
    for token in doc[1:]:
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
    for token in doc:
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
    for token in doc:
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


def role_companies(doc: Doc) -> Iterator[Found]:
    """"the CEO of Glimmr", "Glimmr CEO Ana Ruiz", "Glimmr's founder", "co-founder of Ferro"."""
    for token in doc:
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
            if name is not None and name.root.ent_type_ not in {"GPE", "NORP"} and not is_person(name):
                yield "COMPANY", name


MODEL_WORD = re.compile(r"^(?:[A-Za-z]{0,3}\d+[A-Za-z]{0,3}\+?|[A-Z]\d*)$")  # no "Y." at a full stop
EDITION = re.compile(r"^(?:Pro|Max|Ultra|Plus|Mini|Lite|Air|Fold|Flip|Neo|SE|XL|Edge|Turbo|"
                     r"Extreme|Elite|Prime|Plus)?\+?$")


HYPHENATED_MODEL = re.compile(r"^[A-Z][A-Za-z]+-[A-Z]{0,2}\d+[A-Za-z+]*$")  # "Orrin-2", "Moxin-R2"
BARE_MODEL = re.compile(r"^[A-Z]{1,3}-?\d{1,5}[A-Z]{0,3}\+?$")  # "V7", "K80", "H100", "YH-200"
PERIODS = re.compile(r"^(?:Q[1-4]|H[12]|FY\d+)$")


def bare_model_numbers(doc: Doc) -> Iterator[Found]:
    """"the V7's successor", "the S9 Ultra", "Unitree's G1", "its YH-200 pack"."""
    for token in doc[1:]:
        if not BARE_MODEL.match(token.text) or PERIODS.match(token.text) or not any(
                ch.isdigit() for ch in token.text):
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
    """"Nimbra X1", "Kunlei K80 Pro+", "Orrin-2", "Tarsi Fit 3": a name plus a model number.
    A known maker in front of a model with its own name stays apart ("Xiaomi" "YU7");
    a maker plus a bare number is one product ("Xiaomi 14 Ultra")."""
    for token in doc:
        if HYPHENATED_MODEL.match(token.text):
            yield "PRODUCT", doc[token.i:token.i + 1]
            continue
        if not token.text[:1].isupper() or token.text in NEVER_NAMES or token.like_num:
            continue
        if token.i > 0 and is_name_word(doc[token.i - 1]) and not doc[token.i - 1].is_sent_start:
            continue  # start at the first word of the name
        end = token.i + 1
        while end < len(doc) and end - token.i < 4 and doc[end].text[:1].isupper() \
                and not MODEL_WORD.match(doc[end].text) and doc[end].text not in NEVER_NAMES:
            end += 1
        if end < len(doc) and doc[end].text == "-" and end + 1 < len(doc):
            end += 1  # "Orrin-2", "Moxin-R2"
        if end >= len(doc) or not MODEL_WORD.match(doc[end].text) or not (
                any(ch.isdigit() for ch in doc[end].text) or doc[end].text.isupper()
                and end > token.i and token.text in {"Model", "Series", "Type"}):
            continue
        if doc[end].like_num and end + 1 < len(doc) and doc[end + 1].lower_ in {
                "million", "billion", "percent", "%", "users", "years", "days", "months"}:
            continue
        end += 1
        while end < len(doc) and EDITION.match(doc[end].text):
            end += 1
        yield "PRODUCT", doc[token.i:end]


LIST_CUES = frozenset({"including", "like", "such", "among", "includes", "include"})
FUNDING_CUES = frozenset({"backed", "led", "acquired", "funded", "owned", "bought"})


def listed_names(doc: Doc) -> Iterator[Found]:
    """"partners including Pennock Labs and Sablefin", "apps such as Dotty and Earshot",
    "a round led by Quarrystone Capital", "backed by Oaktide Ventures"."""
    for token in doc:
        if token.lower_ in FUNDING_CUES and token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "by":
            label, start = "COMPANY", token.i + 2
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
                       "partner", "agree", "estimate", "warn", "aim", "intend"})


def subject_companies(doc: Doc) -> Iterator[Found]:
    """"Sablefin said …", "Tidelark raised $12 million", "Corvale declined to comment":
    the named subject of a company verb, unless the model reads it as a person or place."""
    for token in doc:
        if token.lemma_.lower() not in SAY_VERBS or token.pos_ != "VERB":
            continue
        for child in token.children:
            if child.dep_ != "nsubj" or child.pos_ != "PROPN":
                continue
            if child.ent_type_ in {"GPE", "NORP", "LOC", "FAC"}:
                continue
            name = name_ending_at(doc, child.i + 1)
            if name is not None and not is_person(name):
                yield "COMPANY", name


for _family in (launched_names, listed_names, role_companies, subject_companies, live_names):
    _family.without_cue_noun = True  # type: ignore[attr-defined]

FAMILIES: tuple[Callable[[Doc], Iterator[Found]], ...] = (
    called_names, appositive_names, made_by_names, defined_names, renamed_names, live_names,
    app_named_names, suffixed_companies,
    model_numbered_products, bare_model_numbers,
    noun_then_name, name_then_noun, possessive_products, launched_names, listed_names,
    role_companies, subject_companies)


@registry.misc("launchwire.tech_patterns.v1")
def tech_patterns() -> tuple[Callable[[Doc], Iterator[Found]], ...]:
    """The context-rule families, in order of trust (earlier wins a conflict)."""
    return FAMILIES
