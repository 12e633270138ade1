"""Figures in tech news: what was counted, about whom, who said it and how sure it is.

"more than 260 million monthly active users" -> mau, 260000000 users, more_than, subject the
app the sentence is about, modality reported/rumored/hypothetical/forecast, claimant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from nlp import names
from nlp.gazetteer import source_spellings
from nlp.names import TECH_LABELS
from nlp.numbers import FRACTIONS, parse_qualifier, parse_unit, parse_value

Doc.set_extension("metrics", default=[], force=True)

NUMBER_LABELS = frozenset({"MONEY", "CARDINAL", "PERCENT", "QUANTITY"})
HEDGES = ("more than", "over", "about", "around", "nearly", "almost", "roughly", "some",
          "up to", "less than", "fewer than", "under", "at least", "approximately", "just over",
          "just under", "close to", "between")
# What a counted noun is: the words a figure's noun phrase may end in.
COUNT_NOUNS = (
    ("mau", ("monthly active", "monthly users", "mau", "maus", "monthly actives")),
    ("dau", ("daily active", "daily users", "dau", "daus")),
    # Customers are accounts that pay (the guidelines' subscribers), users are people.
    ("subscribers", ("subscribers", "paying users", "paid users", "paying subscribers",
                     "paying customers", "subscriptions", "customers")),
    ("downloads", ("downloads", "installs", "installations")),
    ("units", ("units", "phones", "handsets", "headsets", "devices", "cars", "vehicles",
               "smartphones", "robots", "consoles", "watches", "deliveries", "shipments",
               "copies", "pairs", "laptops", "tablets", "chips", "scooters", "orders")),
    ("users", ("users", "sign-ups", "signups", "accounts", "members", "players",
               "merchants", "sellers", "creators", "listeners", "drivers", "riders",
               "registered", "shoppers", "learners", "businesses", "teams", "developers",
               "subscribers")),
)
COUNT_PATTERNS = tuple((metric, re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b"))
                       for metric, words in COUNT_NOUNS)
MONEY_CUES = (
    ("price", r"\b(?:costs?|priced|price[sd]? at|charges?|sells? for|starts? at|per month|a month|"
              r"a year|per year|per seat|monthly fee|subscription|retails?)\b"),
    # "values it at", not the noun: "contract values" are no valuation.
    ("valuation", r"\bvalu(?:ed|ation|ing)\b|\bvalues? (?:[\w'’-]+ ){0,4}at\b|\bworth\b|"
                  r"\bmarket cap(?:itali[sz]ation)?\b|\bat a value of\b"),
    ("funding", r"\b(?:rais(?:ed|es|ing|e)|funding|round|series [a-f]|seed|invest(?:ed|ment)|"
                r"backed|bags|bagged|nabs|nabbed|snags|snagged)\b"),
    ("deal", r"\b(?:acqui(?:re|res|red|ring|sition)|bu(?:y|ys|ying)|bought|deal|purchase[sd]?|"
             r"takeover|merger|sale to|sold to)\b"),
    ("revenue", r"\b(?:revenue|revenues|sales|turnover|earned|earnings|income|gmv|billings|bookings|arr)\b"),
)
PERCENT_CUES = (
    ("share", r"\b(?:market share|share of|of [\w'’ -]*market)\b"),
    ("growth", r"\b(?:rose|rise|rises|grew|grow|grows|growth|increased?|jump(?:ed|s)?|climb(?:ed|s)?|"
               r"fell|fall|falls|drop(?:ped|s)?|declined?|up|down|surged?|gained?|slid|year[- ]on[- ]year|"
               r"year over year)\b"),
)
NOT_METRIC_AFTER = re.compile(r"^\s*(?:gb|tb|mb|k\b|g\b|screens?|inch|inches|mah|grams?|kg|km|kilomet|"
                              r"metres|meters|megawatts|gigawatts|mw\b|gw\b|members|miles?|hours?|minutes?|"
                              r"seconds?|days?|weeks?|months?|years?|cities|countries|employees|"
                              r"staff|people on|stores?|markets|languages|pixels|hz|w|mp|min|"
                              r"kilometers|kilometres|times (?:cheaper|faster|more|less|bigger|"
                              r"smaller|larger|higher|lower))\b", re.I)
# A distance or a length told inside the recogniser's own span ("1.8 million miles").
MEASURED = re.compile(r"\b(?:miles?|kilomet(?:er|re)s?|km|meters?|metres?|feet)\b", re.I)
VERSION_BEFORE = re.compile(r"(?:\bios|\bandroid|\bversion|\bv|\bgeneration|\bno\.|\bnumber|"
                            r"\bseries|\bmodel|\baged|\bages|\bage)\s*$", re.I)
MODALITY = (
    ("hypothetical", r"\bif\b.*\b(?:would|could)\b|\b(?:would|could)\b.*\bif\b|\bwould have\b|"
                     r"\bcould reach\b|\bcould hit\b|\bhypothetical|"
                     # Translated commentary poses its figures: "Suppose it wins a fifth …"
                     r"^\W*(?:suppos(?:e|ing)|imagine|assuming|say)\b"),
    ("rumored", r"\breportedly\b|\b(?:people|a person) (?:familiar|close|briefed)|"
                r"\bsources?\b(?: said| say|"
                r" told| familiar)|\baccording to (?:people|sources|a person)|\brumou?r|"
                r"\bis said to\b|\bare said to\b|\bunconfirmed\b|\bleaked\b|"
                r"\bword (?:in|on|around) the (?:industry|market|street)\b|"
                r"\bword (?:is|has it) that\b|\bindustry insiders\b|"
                # Hearsay, as translated Chinese media puts it (据报道): "according to reports".
                r"\baccording to (?:(?:media|press|news|local|earlier|some|several|multiple|"
                r"foreign|online) )?reports\b(?=\s*[,.;]|\s+(?:that|in|from|say)\b)"),
    ("forecast", r"\bexpects?\b|\bexpected to\b|\baims? to\b|\bplans? to\b|\btargets?\b|"
                 r"\bforecasts?\b|\bprojects?\b|\bprojected\b|\bon track to\b|\bwill\b|"
                 r"\bis set to\b|\bhopes? to\b|\bgoal\b|\bestimates? (?:it|that) will\b|"
                 r"\bpredict(?:s|ed|ing|ion)?\b|\banticipated? to\b|\bforecasted\b|"
                 r"\bestimated to (?:be|become|reach|hit|grow)\b|\bintends? to\b|"
                 r"\bis projecting\b"),
)
ANALYST_WORDS = re.compile(r"\b(?:analysts?|research|idc|counterpoint|canalys|sensor tower|"
                           r"data\.ai|appfigures|gartner|bernstein|morgan stanley|goldman|"
                           r"jefferies|citi|ubs|estimates?)\b", re.I)


@dataclass
class FoundMetric:
    span: Span
    value: float
    unit: str | None
    qualifier: str
    metric: str
    subject: Span | None
    modality: str
    claimant: str


TRAILING_WORDS = frozenset({"crore", "lakh", "million", "billion", "trillion", "yuan", "yen",
                            "rupees", "won", "euros", "dollars", "pounds", "rmb"})


SCALE_WORDS = frozenset({"thousand", "million", "billion", "trillion"})
PLURAL_NUMBERS = frozenset({"hundreds", "tens", "dozens", "thousands", "millions", "billions"})


def figure_phrase(ent: Span) -> Span:
    """The figure with its hedge ("more than 260 million") and, for a range, both ends."""
    doc, start, end = ent.doc, ent.start, ent.end
    if start > 0 and doc[start - 1].text in {"$", "€", "£", "¥", "₹", "₩", "US$", "HK$", "S$", "A$", "C$"}:
        start -= 1  # the model sometimes leaves the currency sign out of "$9"
    before = doc[max(ent.sent.start, start - 3):start].text.lower()
    for hedge in HEDGES:
        if before.endswith(hedge):
            start -= len(hedge.split())
            break
    while end < ent.sent.end and doc[end].lower_ in TRAILING_WORDS:
        end += 1  # "₹640" "crore", "2.1 billion" "yen"
    if start >= 3 and doc[start - 3:start].text.lower() in {"quarter of a", "half of a"} \
            or start >= 4 and doc[start - 4:start].text.lower() in {"a quarter of a"}:
        start -= 4 if doc[start - 4].lower_ == "a" else 3  # "a quarter of a million"
    if end + 1 < len(doc) and ent.text.lower() in FRACTIONS and doc[end].lower_ == "a" \
            and doc[end + 1].lower_ in SCALE_WORDS:
        end += 2  # "half" "a million": the trained recogniser stops at the fraction
    return doc[start:_joined_end(ent, start, end) or end]


def _joined_end(ent: Span, start: int, end: int) -> int | None:
    """Where a figure told as two entities ends: a range ("between 25% and 30%", "13 to 17"
    but not "from 21% to 24%") or "hundreds" "of millions"."""
    doc = ent.doc
    link = doc[end].lower_ if end < len(doc) else None
    if link not in {"and", "to", "of"}:
        return None  # most figures: no scan of the doc's entities for a second half
    following = next((e for e in _ents(doc) if e.start == end + 1 and e.label_ in NUMBER_LABELS),
                     None)
    if following is None:
        return None
    between = link in {"and", "to"} and doc[start].lower_ == "between"
    bare_range = link == "to" and ent.label_ == following.label_ == "CARDINAL" \
        and len(ent) == len(following) == 1 and not (start > 0 and doc[start - 1].lower_ == "from")
    scaled = link == "of" and ent.text.lower() in PLURAL_NUMBERS \
        and following.text.lower() in PLURAL_NUMBERS
    return following.end if between or bare_range or scaled else None


EMPLOYEES = re.compile(r"\b(?:employ(?:s|ed|ing)?|staff|headcount|workforce|people familiar|"
                       r"people with|people close|people briefed|of the people)\b", re.I)


def _not_a_metric(ent: Span, doc: Doc) -> bool:
    text = ent.text.strip()
    if re.fullmatch(r"(?:19|20)\d\d", text) or re.fullmatch(r"[\d\s().+-]{9,}", text):
        return True  # a year, a phone number
    if ent.end < len(doc) and doc[ent.end].text in {"-", "–"} and not ent[-1].whitespace_ \
            or ent.start > 0 and doc[ent.start - 1].text == "-":
        return True  # "1-800-555-0142", "5G-ready"; not "cost $225 - it will …"
    around = doc[max(ent.sent.start, ent.start - 3):min(ent.end + 3, ent.sent.end)].text
    if EMPLOYEES.search(around):
        return True  # headcounts and sources are not metrics
    before = doc[max(ent.sent.start, ent.start - 2):ent.start].text
    if VERSION_BEFORE.search(before):
        return True
    after = doc[ent.end:min(ent.end + 2, ent.sent.end)].text
    if ent.label_ in {"CARDINAL", "QUANTITY"} and (NOT_METRIC_AFTER.match(after)
                                                   or MEASURED.search(ent.text)):
        return True
    # The model leaves the currency sign out of some amounts ("Save $" + "500").
    start = figure_phrase(ent).start
    before = doc[max(ent.sent.start, start - 4):start].text.rstrip("$€£¥₹ ")
    if NOT_BUSINESS_MONEY.search(before + " # " + doc[ent.end:min(ent.end + 4, ent.sent.end)].text):
        return True
    if _a_conversion(ent):
        return True
    return any(e.label_ in TECH_LABELS and e.start <= ent.start < e.end for e in _ents(doc))


# Money that is no business figure: per-share prices, fines, pay, discounts ("Save $50",
# "40% off"). "#" stands for the figure itself.
NOT_BUSINESS_MONEY = re.compile(
    r"# (?:a|per|each) share\b|\bshares?\b(?: \w+){0,3} at\s*#|\bshare with\s*#|"
    r"# (?:more|less|cheaper|extra)\b|"  # a difference between two prices
    r"\b(?:fine[ds]?|penalt(?:y|ies)|settlement|damages|salary|salaries|paid (?:him|her)|"
    r"making|earning)\b(?: \w+){0,2}\s*#|# (?:fine|penalty|in fines|in penalties|in damages|"
    r"settlement)\b|\b(?:save|saving|savings of|discount of)\s*(?:up to\s*)?#|# off\b|"
    r"\bnet worth\b(?: \w+){0,3}\s*#", re.I)  # a person's wealth


def _a_conversion(ent: Span) -> bool:
    """"€27 million ($29.5 million)": the bracketed amount converts the one before it."""
    doc = ent.doc
    start = figure_phrase(ent).start
    if start == 0 or doc[start - 1].text != "(":
        return False
    previous = doc[max(ent.sent.start, start - 6):start - 1]
    return any(e.label_ == "MONEY" for e in _ents_in(previous)) or any(
        t.text in {"$", "€", "£", "¥", "₹", "₩"} for t in previous)


def _counted(ent: Span) -> str | None:
    """The count type of a figure's noun phrase: "260 million monthly active users" -> mau."""
    window = ent.doc[ent.end:min(ent.end + 5, ent.sent.end)].text.lower()
    window = re.split(r"[,;.]| and | in | on | to ", window)[0]
    before = ent.doc[max(ent.sent.start, ent.start - 4):ent.start].text.lower()
    for metric, pattern in COUNT_PATTERNS:
        if pattern.search(window):
            return metric
    for metric, pattern in COUNT_PATTERNS[:3]:
        if pattern.search(before):
            return metric  # "its monthly active users rose to 12 million"
    sentence = ent.sent.text.lower()
    if re.match(r"\s*times\b", window) and re.search(r"\b(?:download|install)", sentence):
        return "downloads"
    if re.match(r"\s*(?:people|users)?\s*(?:have |had )?(?:signed up|joined|registered|pre-registered)",
                window):
        return "users"  # "310,000 people have signed up"
    subject = _clause_subject(ent)
    if subject is not None:
        phrase = subject.text.lower()
        for metric, pattern in COUNT_PATTERNS:
            if pattern.search(phrase):
                return metric  # "its registered users are over 90 million"
    if re.search(r"\b(?:shipped|sold|delivered|sell|ship)\b", sentence) and \
            re.search(r"\b(?:units|phones|cars|devices|headsets|vehicles|copies|pairs)\b", sentence):
        return "units"
    return None


def _clause_subject(ent: Span) -> Span | None:
    """The subject noun phrase of the verb a figure hangs from."""
    token = ent.root
    for _ in range(4):
        if token.head == token:
            break
        token = token.head
        subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None:
            return ent.doc[subject.left_edge.i:subject.right_edge.i + 1]
    return None


PRICE_BEFORE = re.compile(r"\b(?:costs?|costing|priced|pricing is|price[sd]?|prices|charges?|"
                          r"charging|"
                          r"sells? for|starts? (?:at|from)|starting at|from|fee of|retails? for|"
                          r"(?:buy|get|order|pre-?order)\w*(?: it| them| one)? for)"
                          r"(?: \w+| ?:){0,3}\s*$", re.I)  # also a listing's "Current price:"


# "will ship in July for $149", "is set to launch imminently at $599".
SOLD_AT = re.compile(r"\b(?:ships?|shipping|launch(?:es|ing)?|on sale|arrives?|available)\b"
                     r"(?: \w+){0,3} (?:for|at)\s*$", re.I)


def _an_item_after(ent: Span) -> bool:
    """"the $159 earphones", "a $349 HomePod": an amount before the thing it buys."""
    doc = ent.doc
    if ent.end >= ent.sent.end:
        return False
    following = doc[ent.end]
    return following.lower_ in names.PRODUCT_NOUNS or any(
        e.start == ent.end and e.label_ == "PRODUCT" for e in _ents(doc))


def _nearest_cue(ent: Span, cues: tuple) -> str | None:
    """The cue whose words sit nearest the figure in its sentence."""
    sent = ent.sent
    text = sent.text.lower()
    here = ent.start_char - sent.start_char
    best: tuple[int, str] | None = None
    for metric, pattern in cues:
        for match in re.finditer(pattern, text):
            distance = min(abs(match.start() - here), abs(match.end() - here))
            if best is None or distance < best[0]:
                best = (distance, metric)
    return best[1] if best else None


MARKET_BEFORE = re.compile(r"\b(?:market|industry|segment|spending)\b(?:[^.]|\.\d){0,60}"
                           r"\b(?:worth|reach|hit|be|to|grow to|top|exceed)\b(?: \w+){0,2}\s*$",
                           re.I)
# Above this an amount is a company's money, not what something costs (cars stay below).
PRICE_CEILING = 5_000_000


def _money_type(ent: Span) -> str | None:
    sent = ent.sent
    after = ent.doc[ent.end:min(ent.end + 4, sent.end)].text.lower()
    start = figure_phrase(ent).start  # before the currency sign and hedge
    before = ent.doc[max(sent.start, start - 5):start].text
    value = parse_value(ent.text) or 0
    if re.match(r"\s*(?:post-money |pre-money )?valuation\b", after) or re.search(
            r"\bvalu(?:ed|ing|ation)\b[^.]*$|\bvalues? (?:[\w'’-]+ ){0,4}at\s*$", before.lower()):
        return "valuation"  # "at a $2.4bn valuation", "valued at $2.1 billion"
    if re.search(r"\binvest(?:s|ed|ing)?\b(?: \w+){0,3}\s*$", before.lower()) \
            and re.match(r"\s*in\b", after):
        return "deal"  # "Microsoft invests $1 billion in OpenAI": one company in another
    up_to = ent.doc[sent.start:start]
    if re.search(r"\b(?:pay(?:s|ing)?|paid|offer(?:s|ed|ing)?)\b(?: [\w'’]+){0,3}\s*$",
                 before.lower()) and re.match(r"\s*(?:[\w ]{0,30})?\bfor\b", after) \
            and any(e.label_ == "COMPANY" for e in _ents_in(up_to)) \
            and not re.search(r"\b(?:users?|customers?|subscribers?|people|you|readers|members|"
                              r"buyers|shoppers)\b", up_to.text.lower()):
        return "deal"  # "Oaktide has offered Halvard $90 million for its card unit"
    if re.search(r"\b(?:round|raise|fundraise)\b(?: \w+){0,2}\s*(?:worth|of|totall?ing)"
                 r"(?: \w+){0,2}\s*$", before.lower()):
        return "funding"  # "a Series I round worth more than $500 million"
    if re.match(r"\s*(?:in )?(?:equity |debt |venture )?(?:financing|funding)\b", after):
        return "funding"  # "secured $58 million in equity financing"
    if re.match(r"\s*market cap", after):
        return "valuation"  # "a $1.7 billion market cap"
    if MARKET_BEFORE.search(up_to.text) or re.match(r"\s*(?:industry|market)\b", after):
        return "revenue"  # "the market is expected to be worth $3.16bn", "a $18bn industry"
    if value < PRICE_CEILING and (re.match(r"\s*-?(?:a|per|each|/) ?-?(?:month|year|seat|user|week)",
                                           after) or PRICE_BEFORE.search(before)
                                  or SOLD_AT.search(before) or _an_item_after(ent)):
        return "price"
    cue = _nearest_cue(ent, MONEY_CUES[1:])
    if cue is None and value < PRICE_CEILING and _nearest_cue(ent, MONEY_CUES[:1]):
        return "price"
    return cue


SHARE_BEFORE = re.compile(r"\b(?:account(?:s|ed|ing)? for|ma(?:de|ke|kes|king) up|"
                          r"represent(?:s|ed|ing)?|comprise[sd]?|does|did)"
                          r"(?: (?:about|around|nearly|almost|over|more than|less than|"
                          r"up to|roughly|just over|just under))?\s*$")
# A fall told as a rate: "declined by 57%", "a 10% drop".
FALL_BEFORE = re.compile(r"\b(?:fell|falls?|falling|declined?|declines|declining|dropped|drops?|"
                         r"down|slid|slipped|decreased?|plunged?|plummeted|shr[au]nk|sank)"
                         r"(?: by)?(?: (?:about|around|nearly|almost|over|more than|roughly))?\s*$")
FALL_AFTER = re.compile(r"^\s*(?:drop|decline|decrease|fall|plunge)\b")


def _percent_type(ent: Span) -> str | None:
    after = ent.doc[ent.end:min(ent.end + 8, ent.sent.end)].text.lower()
    before = ent.doc[max(ent.sent.start, ent.start - 12):ent.start].text.lower()
    if re.search(PERCENT_CUES[0][1], after) or re.search(r"\bshare\b", before):
        return "share"  # "its share of the market rose to 31% from 24%"
    if re.match(r"\s*of\b", after) and SHARE_BEFORE.search(before):
        return "share"  # "card sales made up 60% of its revenue"
    if re.match(r"\s*(?:of [\w ]{0,30})?(?:say|said) (?:they|that they) use\b", after) or (
            re.match(r"\s*for\b", after) and re.search(r"\bsay (?:they|that they) use\b",
                                                      ent.sent.text.lower())):
        return "share"  # "85 percent say they use YouTube, followed by 72 percent for Instagram"
    # A change needs its word beside the figure ("up 40%", "grew 19.6%", "a 46% increase");
    # a bare share of respondents or of a feature's reach is no growth figure.
    near = ent.doc[max(ent.sent.start, ent.start - 6):min(ent.end + 3, ent.sent.end)]
    if re.search(PERCENT_CUES[1][1], re.sub(r"\bup to\b", "", near.text.lower())):
        return "growth"  # not "up to 50% farther away"
    return None


def metric_type(ent: Span) -> str | None:
    after = ent.doc[ent.end:min(ent.end + 2, ent.sent.end)].text
    unit = parse_unit(figure_phrase(ent).text, after)
    is_money = unit not in {None, "percent"} and "%" not in ent.text  # "38% from $1.28 billion"
    if ent.label_ == "MONEY" and is_money or ent.label_ != "PERCENT" and is_money:
        return _money_type(ent)
    if ent.label_ == "PERCENT" or unit == "percent":  # "40 per cent" is sometimes MONEY
        return _percent_type(ent)
    return _counted(ent)


def _entity_at(doc: Doc, token: Token) -> Span | None:
    return next((e for e in _ents(doc) if e.label_ in TECH_LABELS and e.start <= token.i < e.end),
                None)


def subject_of(ent: Span, main: Span | None, metric: str | None = None) -> Span | None:
    """Whose figure it is: the subject of its clause, an owner ("Spotify's users"), the
    nearest company or app before it, or what the article is about. A round's figure is not
    its investors' ("a $21.8 million round, with investors like Accomplice")."""
    doc = ent.doc
    token = ent.root
    for _ in range(6):
        pronoun = next((c for c in token.children if c.dep_ in {"poss", "nsubj", "nsubjpass"}
                        and c.lower_ in {"its", "it", "their", "they"}), None)
        if pronoun is not None:
            return _antecedent(ent) or main  # "Its revenue rose 27%": the company named before
        described = next((c for c in token.children if c.dep_ in {"poss", "nsubj", "nsubjpass"}
                          and c.lower_ in DESCRIPTIVE_NOUNS
                          and any(d.lower_ == "the" for d in c.children)), None)
        if described is not None:
            found = _described_as(ent, described.lower_)
            if found is not None:
                return found  # "Nimbleleaf, a startup that … The startup raised $35 million"
            if main is not None and described.lower_ in COMPANY_NOUNS \
                    and token.lemma_.lower() not in {"say", "tell", "add", "note", "confirm"}:
                return main  # "The company, which has raised $438 million": the article's
        if token.tag_ == "POS" or token.dep_ == "poss":
            found = _entity_at(doc, token)
            if found is not None:
                return found
        for child in token.children:
            if child.dep_ == "poss":
                found = _entity_at(doc, child) or _proper_name(child)
                if found is not None and found.label_ != "PRODUCT":
                    return found
            if child.dep_ in {"nsubj", "nsubjpass"} and token.pos_ in {"VERB", "AUX"}:
                subject = child
                if subject.tag_ in {"WDT", "WP"} and token.dep_ == "relcl":
                    subject = token.head  # "Tidelark, which shipped …"
                    if subject.dep_ == "appos":
                        subject = subject.head  # "OpenAI, the startup that has raised …"
                found = _subject_entity(subject)
                found = found or _proper_name(subject)
                if found is not None:
                    return found
        if token.head == token:
            break
        token = token.head
    earlier = [e for e in _ents_in(ent.sent) if e.label_ in {"COMPANY", "APP"}
               and e.end <= ent.start and not _a_source(e)
               and not (metric == "price" and _a_shop(e))]
    if earlier:
        return earlier[-1]
    later = [e for e in _ents_in(ent.sent) if e.label_ in {"COMPANY", "APP"}
             and e.start >= ent.end
             and not _a_source(e)] if metric not in {"funding", "valuation", "revenue"} else []
    return later[0] if later else (main or _named_subject(ent.sent))


COMPANY_NOUNS = frozenset({"company", "startup", "start-up", "firm"})
DESCRIPTIVE_NOUNS = frozenset({"startup", "start-up", "app", "company", "firm", "studio",
                               "maker", "developer", "platform", "service"})


def _described_as(ent: Span, noun: str) -> Span | None:
    """The company or app the text earlier described with this noun ("Nimbleleaf, a startup
    that …", "Glimmr is a photo app")."""
    doc = ent.doc
    for e in reversed([e for e in _ents(doc) if e.label_ in {"COMPANY", "APP"}
                       and e.end <= ent.start]):
        window = doc[e.end:min(e.end + 6, e.sent.end)]
        if any(t.lower_ == noun for t in window) and any(t.lower_ in {"a", "an"} for t in window):
            return e
    return None


def _subject_entity(subject: Token) -> Span | None:
    """The company or app a subject phrase names: the head itself, else the name set beside
    it ("Zestly's owner Hongyu raised …" is Hongyu's round), else the first one in it."""
    doc = subject.doc
    inside = [e for e in _ents(doc) if e.label_ in TECH_LABELS and e.label_ != "PRODUCT"
              and e.start >= subject.left_edge.i and e.end <= subject.right_edge.i + 1
              and not _a_source(e)]
    beside = {subject.i} | {c.i for c in subject.children if c.dep_ == "appos"}
    return next((e for e in inside if e.root.i in beside), inside[0] if inside else None)


DEAL_WORDS = frozenset({"acquire", "buy", "purchase", "acquisition", "takeover", "invest",
                        "investment", "stake", "offer", "pay"})


def _deal_target(ent: Span) -> Span | None:
    """A deal's figure belongs to the company bought, invested in or paid: the first one the
    deal word nearest the figure governs, past its buyer ("Oaktide buying Halvard", "the
    company's acquisition of Tidelark", "offered Halvard $90 million", "chips from Quarrystone",
    "Oaktide to buy Halvard for $2B; Pennock to acquire Tidelark for $1B")."""
    doc = ent.doc
    words = sorted((t for t in ent.sent if t.lemma_.lower() in DEAL_WORDS),
                   key=lambda t: abs(t.i - ent.root.i))
    for word in words:
        buyer = {i for child in word.children if child.dep_ in {"nsubj", "nsubjpass", "poss"}
                 for i in range(child.left_edge.i, child.right_edge.i + 1)}
        governed = doc[word.left_edge.i:word.right_edge.i + 1]
        found = next((e for e in _ents_in(governed) if e.label_ in {"COMPANY", "APP"}
                      and e.root.i not in buyer and not ent.start <= e.start < ent.end
                      and (not _a_source(e) or doc[e.start - 1].lower_ == "from")), None)
        if found is not None:
            return found  # bought "from Quarrystone": the seller, where a figure's source elsewhere
    return None


# Not an item's name: an edition word alone, a memory configuration.
SPEC = re.compile(r"^(?:Pro|Max|Ultra|Plus|Mini|Lite)$|\d+\s?(?:GB|TB)\b")
ITEM_NOUNS = names.PRODUCT_NOUNS | {"model", "version", "plan", "tier", "subscription", "truck"}


def _used_app(ent: Span) -> Span | None:
    """A survey's share belongs to the app it says people use ("85 percent say they use
    YouTube, followed by 72 percent for Instagram")."""
    window = ent.doc[ent.end:min(ent.end + 6, ent.sent.end)]
    if not re.match(r"\s*(?:say|said|for)\b", window.text):
        return None
    return next((e for e in _ents_in(window) if e.label_ in {"APP", "COMPANY"}), None)


COUNTED_THINGS = frozenset({"shipments", "sales", "deliveries", "downloads", "users",
                            "subscribers", "revenue", "revenues"})


def _counted_product(ent: Span) -> Span | None:
    """"Apple doubled its target for MacBook Neo shipments from 5 million units": a product or
    app named before the thing counted, shortly before the figure, is whose figure it is."""
    doc = ent.doc
    start = figure_phrase(ent).start
    for product in reversed(_ents_in(doc[max(ent.sent.start, start - 6):start])):
        if product.label_ in {"PRODUCT", "APP"} and product.end < len(doc) \
                and doc[product.end].lower_ in COUNTED_THINGS:
            return product
    return None


def _priced_item(ent: Span) -> Span | None:
    """What a price is for: the product or app named in its sentence before it ("Sakurado's
    Nova 2 handheld costs $399"), just after it ("our $1,500 Swift X 14"), or, where the
    sentence says "the device" or "the truck", the last one named before."""
    doc, sent = ent.doc, ent.sent
    earlier = [e for e in _ents(doc) if e.label_ in {"PRODUCT", "APP"} and e.end <= sent.start]
    subject = _clause_subject(ent)
    if earlier and subject is not None and subject.root.lower_ in ITEM_NOUNS \
            and subject[0].lower_ in {"the", "this"}:
        return earlier[-1]  # "The model costs twice what the Halo 1 does, at $300"
    items = [e for e in _ents_in(sent) if e.label_ in {"PRODUCT", "APP"} and not _a_source(e)
             and not SPEC.search(e.text) and not _a_shop(e)]
    before = [e for e in items if e.end <= ent.start]
    if before:
        item = before[-1]
        owner = doc[item.start - 2:item.start] if item.start >= 2 else None
        if owner is not None and owner[-1].tag_ == "POS" and len(before) > 1 \
                and before[-2].end == item.start - 1 and before[-2].label_ == "APP":
            return before[-2]  # "ChatGPT's Pro tier": a tier of the app
        return item
    after = [e for e in items if ent.end <= e.start <= ent.end + 2]
    if after:
        return after[0]
    # "The device costs $275", "backers can pre-order it for $59": the one named before.
    if any(t.lower_ in ITEM_NOUNS and t.i < ent.start and any(c.lower_ == "the" for c in t.children)
           or t.lower_ in {"it", "them"} and t.dep_ == "dobj" and t.i < ent.start for t in sent):
        return earlier[-1] if earlier else None
    return None


def _a_shop(span: Span) -> bool:
    """Where a thing is sold, not what: "$349 at Walmart", "a campaign on Indiegogo"."""
    return span.start > 0 and span.doc[span.start - 1].lower_ in {"at", "on", "via"}


def _is_subject(span: Span) -> bool:
    return span.root.dep_ in {"nsubj", "nsubjpass"} or span.root.head.dep_ in {"nsubj", "nsubjpass"}


def _antecedent(ent: Span) -> Span | None:
    """The company or app a pronoun in this sentence most likely stands for: a subject
    earlier in the sentence ("If Yunmo can take …, it would have …"), else the subject of
    the sentence before ("Flintlock Audio … raised …. It plans to ship …")."""
    here = [e for e in _ents_in(ent.sent) if e.label_ in {"COMPANY", "APP"} and e.end <= ent.start
            and _is_subject(e) and not _a_source(e)]
    if here:
        return here[0]
    for token in ent.sent:
        if token.i >= ent.start:
            break
        if token.dep_ in {"nsubj", "nsubjpass"} and (named := _proper_name(token)) is not None:
            return named  # "If Yunmo can take …, it would have …"
    sentences = list(ent.doc.sents)
    index = next(i for i, sent in enumerate(sentences) if sent.start == ent.sent.start)
    for previous in reversed(sentences[:index]):
        subjects = [e for e in _ents_in(previous) if e.label_ in {"COMPANY", "APP"}
                    and _is_subject(e) and not _a_source(e)]
        if subjects:
            return subjects[0]
    return _named_subject(ent.sent)


SOURCE_BEFORE = re.compile(r"\b(?:according to|analysts? at|from|by|led by|data from|"
                           r"(?:investors?|backers?|firms?) (?:like|including|such as))\s*$", re.I)
SOURCE_AFTER = re.compile(r"^\s*(?:data|estimates?|projects?|expects?|calculates?|analysts?|"
                          r"research|report|figures|['’]s (?:investment|stake|backing))\b", re.I)


def _a_source(span: Span) -> bool:
    """A firm named as where a figure comes from or who paid it, not whose it is."""
    doc = span.doc
    sources = source_spellings()
    before = doc[max(span.sent.start, span.start - 3):span.start].text
    after = doc[span.end:min(span.end + 2, span.sent.end)].text
    if span.root.dep_ == "conj" and span.root.head.i < span.start:
        head = _entity_at(doc, span.root.head)
        if head is not None and head != span and _a_source(head):
            return True  # "led by Tencent and Alibaba"
        first = span.root
        while first.dep_ == "conj" and first.head.i < first.i:
            first = first.head
        # "from Compound, In-Q-Tel, … and TechNexus": a list that opens with a source
        if first.i < span.start and SOURCE_BEFORE.search(
                doc[max(span.sent.start, first.left_edge.i - 3):first.left_edge.i].text):
            return True
    if span.kb_id_ in sources or span.text in sources or span[0].text in sources:
        return True  # an outlet or research firm, also as "TechCrunch Media"
    return bool(SOURCE_BEFORE.search(before) or SOURCE_AFTER.match(after)
                or ANALYST_WORDS.search(span.text) and span.label_ == "COMPANY"
                or re.search(r"\b(?:Ventures|Capital|Partners|Securities|Research|Fund)\b",
                             span.text))


def _proper_name(token: Token) -> Span | None:
    """An unfamiliar proper name the entity rules did not name ("Scribbly said revenue …"),
    unless the model reads it as a person or a nationality."""
    # The tagger takes some unfamiliar names for nouns ("If Tessaro won …"): capitalised
    # inside a sentence, they are names all the same.
    named = token.pos_ == "PROPN" or token.pos_ == "NOUN" and token.text[:1].isupper() \
        and not token.is_sent_start
    if not named or token.ent_type_ in {"NORP", "DATE"}:
        return None
    name = names.name_ending_at(token.doc, token.i + 1)
    if name is None or names.is_person(name):
        return None
    return Span(token.doc, name.start, name.end, label="COMPANY")


def _named_subject(sent: Span) -> Span | None:
    """The sentence's proper-noun subject, where no entity rule named it ("Pondlark says …").
    The model's GPE is not trusted here: it tags many unfamiliar one-word brands as places."""
    root = sent.root
    subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return _proper_name(subject) if subject is not None else None


def modality_of(ent: Span, metric: str | None = None) -> str:
    """Read off the whole sentence: who said it, the "if" or the "expects" usually stands
    apart from the figure. A past figure it is compared with is reported ("aims to reach
    100 million, up from 62 million today"), and so is a price set for what is to come ("will
    sell for $3.99"), unless a plan names it ("plans to price it under $300")."""
    sentence = ent.sent.text.lower()
    if CONDITION.search(ent.doc[ent.sent.start:ent.start].text) and not re.search(
            MODALITY[1][1], sentence):
        return "hypothetical"  # "If it gets 1 million users in its first month, …"
    before = ent.doc[max(ent.sent.start, ent.start - 3):ent.start].text
    after = ent.doc[ent.end:min(ent.end + 6, ent.sent.end)].text.lower()
    past = COMPARED.search(before) and PAST_TIME.search(after)
    for modality, pattern in MODALITY:
        if not re.search(pattern, sentence) or past and modality == "forecast":
            continue
        if modality == "forecast" and not _forecast_clause(ent, metric == "price"):
            continue  # "raised $7 million for displays that the company says will make …"
        return modality
    return "reported"


# The figure stands in the condition itself: "if", and no clause break before the figure.
CONDITION = re.compile(r"(?:^\W*|[,;:]\s*|\b(?:and|but|so|yet|even|only)\s+)"
                       r"(?:if|unless|suppose|supposing)\b[^,;:.]*$", re.I)
# When a compared figure stood: "up from 62 million today", "… at the end of March".
PAST_TIME = re.compile(r"\b(?:today|now|currently|last|earlier|ago|at the end of (?!this|next)"
                       r"|in (?:january|february|march|april|may|june|july|august|september|"
                       r"october|november|december))\b")
FORECAST_VERBS = frozenset({"expect", "plan", "aim", "project", "forecast", "predict", "target",
                            "hope", "intend", "anticipate", "estimate"})


def _forecast_clause(ent: Span, set_price: bool = False) -> bool:
    """Whether the figure's own clause looks ahead: a verb above it takes "will" (not for a
    price) or is a verb of expecting, before a relative clause or a new sentence part begins."""
    token = ent.root
    for _ in range(8):  # "… predicted to grow at rates of 24.6% and 22.6%"
        if token.pos_ in {"VERB", "AUX"}:
            future = not set_price and any(c.lower_ in {"will", "'ll", "shall", "going"}
                                           for c in token.children)
            if future or token.lemma_.lower() in FORECAST_VERBS:
                return True
            if token.dep_ in {"relcl", "advcl", "ccomp"} and token.head.pos_ != "VERB":
                return False
        if token.lower_ in {"target", "goal", "forecast", "projection", "outlook", "guidance"}:
            return True
        if token.head == token:
            break
        token = token.head
    return False


def claimant_of(ent: Span, subject: Span | None) -> str:
    text = ent.sent.text
    lowered = text.lower()
    if re.search(r"\bfiling\b|\bprospectus\b|\bregulatory\b|\bsubmitted to\b", lowered):
        return "filing"
    if re.search(MODALITY[1][1], lowered):
        return "sources"
    match = re.search(r"according to ([^,.;]+)", text)
    if match:
        source = match.group(1)
        if subject is not None and subject.text in source:
            return "company"
        return "analyst" if ANALYST_WORDS.search(source) or source[:1].isupper() else "outlet"
    if ANALYST_WORDS.search(lowered) and re.search(r"\banalysts?\b|\bestimate", lowered):
        return "analyst"
    if re.search(r"\b(?:said|says|told|announced|reported|disclosed|confirmed)\b", lowered):
        return "company"
    return "outlet"


def _main_entity(doc: Doc) -> Span | None:
    """The company or app the text names most often, a mention as a sentence's subject
    counting twice (ties: the first named): what the text is about, not who it quotes."""
    counts: dict[str, list[Span]] = {}
    for e in _ents(doc):
        if e.label_ in {"COMPANY", "APP"} and not _a_source(e):
            counts.setdefault(e.kb_id_ or e.text, []).append(e)
    if not counts:
        return None
    return max(counts.values(), key=lambda spans: (
        sum(2 if _is_subject(span) else 1 for span in spans), -spans[0].start))[0]


COMPARED = re.compile(r"\b(?:from|than|versus|vs\.?|compared with|compared to|against|to)\s*$", re.I)


# The entities of the doc being read: spaCy builds every Span anew on each `doc.ents`, and
# the rules look at them for every figure.
_read: tuple[Doc | None, tuple[Span, ...]] = (None, ())


def _ents(doc: Doc) -> tuple[Span, ...]:
    return _read[1] if _read[0] is doc else tuple(doc.ents)


def _ents_in(span: Span) -> list[Span]:
    """The entities within a sentence or a window (`span.ents` rebuilds the doc's)."""
    return [e for e in _ents(span.doc) if span.start <= e.start and e.end <= span.end]


def find_metrics(doc: Doc) -> list[FoundMetric]:
    global _read
    _read = (doc, tuple(doc.ents))
    try:
        return _respectively(_find_metrics(doc))
    finally:
        _read = (None, ())


def _respectively(found: list[FoundMetric]) -> list[FoundMetric]:
    """"Samsung and Xiaomi hold 41% and 22% of the market, respectively": the figures go to
    the names listed, in their order."""
    by_sentence: dict[int, list[int]] = {}
    for n, figure in enumerate(found):
        by_sentence.setdefault(figure.span.sent.start, []).append(n)
    for numbers in by_sentence.values():
        sent = found[numbers[0]].span.sent
        if len(numbers) < 2 or not any(token.lower_ == "respectively" for token in sent):
            continue
        first = found[numbers[0]].span.start
        listed = [e for e in _ents_in(sent) if e.label_ in TECH_LABELS and e.end <= first
                  and (e.root.dep_ == "conj" or any(c.dep_ == "conj" for c in e.root.children))]
        if len(listed) == len(numbers):
            for n, name in zip(numbers, listed):
                found[n] = replace(found[n], subject=name)
    return found


def _find_metrics(doc: Doc) -> list[FoundMetric]:
    main = _main_entity(doc)
    found: list[FoundMetric] = []
    for ent in _figures(doc):
        if _not_a_metric(ent, doc):
            continue
        metric = metric_type(ent)
        before = doc[max(ent.sent.start, ent.start - 3):ent.start].text
        # "12 million users, up from 7 million a year earlier": the earlier figure of the same
        # thing, whoever is named between them.
        percent = ent.label_ == "PERCENT" or "%" in ent.text
        compared = found[-1] if found and found[-1].span.sent == ent.sent \
            and COMPARED.search(before) and (found[-1].unit == "percent") == percent else None
        if metric is None and compared is not None:
            metric = compared.metric
        if metric == "growth" and percent and re.search(r"\bfrom\s*$", before, re.I):
            # "60% of its revenue, up from 35% two years earlier": the level it rose from, no
            # rise of its own; it counts what the figure before it counts
            metric = compared.metric if compared is not None else None
        if metric is None:
            continue
        phrase = figure_phrase(ent)
        value = parse_value(phrase.text)
        if value is None or metric in COUNTS and value < FEWEST_COUNTED:
            continue  # "two new watches", "up to six people": a handful, no business figure
        after = doc[ent.end:min(ent.end + 4, ent.sent.end)].text
        unit = parse_unit(phrase.text, after)
        if metric in {"mau", "dau", "users"}:
            unit = "users"
        elif metric in {"downloads", "subscribers", "units"}:
            unit = metric
        elif metric in {"growth", "share"}:
            unit = "percent"
        if metric == "growth" and (FALL_BEFORE.search(before.lower()) or FALL_AFTER.match(
                doc[ent.end:min(ent.end + 2, ent.sent.end)].text.lower())):
            value = -value  # "declined by 57%"
        subject = (compared.subject or MARKET if compared is not None
                   and compared.metric == metric else None) or _market_wide(ent) or (
            (_deal_target(ent) if metric == "deal" else None)
            or (_priced_item(ent) if metric == "price" else None)
            or (_used_app(ent) if metric == "share" else None)
            or _counted_product(ent) or subject_of(ent, main, metric))
        if subject is MARKET:
            subject = None
        found.append(FoundMetric(phrase, value, unit, parse_qualifier(phrase.text), metric,
                                 subject, modality_of(ent, metric), claimant_of(ent, subject)))
    return found


COUNTS = frozenset({"mau", "dau", "users", "downloads", "subscribers", "units"})
FEWEST_COUNTED = 100
MARKET = object()  # a market-wide figure: it has no subject
MARKET_NOUNS = frozenset({"market", "markets", "industry", "segment", "spending", "traffic",
                          "sector", "companies", "startups", "apps", "businesses", "economy"})


def _market_wide(ent: Span) -> object | None:
    """"the entire game industry will grow 19.6%", "AI apps have crossed 1 billion users",
    "a $9 billion industry", "the segment, which is expected to be worth $40 billion":
    the figure of a market names no company, and the analyst who estimated it is no subject."""
    head = ent.root.head
    if ent.root.dep_ in {"nummod", "compound", "amod"} and (_a_market(head) or (
            head.lemma_.lower() in CHANGE_NOUNS and any(
                _a_market(noun) for prep in head.children if prep.lower_ == "in"
                for noun in prep.children if noun.dep_ == "pobj"))):
        # "a $18bn industry", "a 300% increase in traffic"; a share "of the
        # market" is still its holder's
        return MARKET
    token = ent.root
    for _ in range(6):
        if token.head == token:
            return None
        token = token.head
        subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and ent.start <= subject.i < ent.end:
            # "$80 million was raised by such startups": the figure is the subject
            subject = next((g for c in token.children if c.dep_ == "agent"
                            for g in c.children if g.dep_ == "pobj"), None)
        if subject is None:
            continue
        if subject.tag_ in {"WDT", "WP"} and token.dep_ == "relcl":
            subject = token.head  # "the segment, which is …"
        phrase = ent.doc[subject.left_edge.i:subject.right_edge.i + 1]
        if not _a_market(subject) or any(e.label_ in TECH_LABELS for e in _ents_in(phrase)):
            return None
        return MARKET
    return None


CHANGE_NOUNS = frozenset({"increase", "rise", "growth", "jump", "drop", "decline", "fall",
                          "gain"})


def _a_market(noun: Token) -> bool:
    return (noun.lemma_.lower() in MARKET_NOUNS or noun.lower_ in MARKET_NOUNS) \
        and not noun.ent_type_


COMPACT_MONEY = re.compile(r"(?:US\$|HK\$|[$€£¥₹₩])\d+(?:\.\d+)?\s?[BMK]\b")


def _figures(doc: Doc) -> list[Span]:
    """The model's numeric entities, plus compact amounts it misses ("$60M", "$1.2B")."""
    compact = [span for match in COMPACT_MONEY.finditer(doc.text)
               if (span := doc.char_span(match.start(), match.end(), label="MONEY",
                                         alignment_mode="expand")) is not None]
    taken = {i for span in compact for i in range(span.start, span.end)}
    spans = sorted([ent for ent in _ents(doc) if ent.label_ in NUMBER_LABELS
                    and not any(i in taken for i in range(ent.start, ent.end))] + compact,
                   key=lambda span: span.start)
    # "between 25%" and "30%" told as two entities: the range's phrase takes both ends and is
    # one figure, its lower end, as when the model gives the range whole.
    return [span for lower, span in zip([None] + spans, spans)
            if lower is None or figure_phrase(lower).end < span.end]


@Language.factory("launchwire_metrics", default_config={})
def make_metric_extractor(nlp: Language, name: str) -> "MetricExtractor":
    return MetricExtractor()


class MetricExtractor:
    """Sets `doc._.metrics`: every figure of a known type, with subject and modality."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.metrics = find_metrics(doc)
        return doc
