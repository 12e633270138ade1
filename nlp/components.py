"""Registered spaCy components that turn the stock model's entities into tech entities."""

from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from nlp import gazetteer, patterns  # noqa: F401  (registers the patterns' misc functions)

# Metric and finance acronyms the stock model takes for organisations.
NOT_ENTITIES = frozenset({
    "dau", "mau", "arr", "gmv", "ipo", "ai", "app", "apps", "ceo", "cfo", "api", "ar", "vr",
    "eu", "us", "uk", "series a", "series b", "series c", "kpi", "roi", "saas", "b2b", "b2c",
    "llm", "ev", "evs", "arpu", "arppu", "ltv", "cac", "nps", "capex", "opex", "ebitda", "yoy",
})
LABEL_MAP = {"ORG": "COMPANY", "PRODUCT": "PRODUCT"}
TECH_LABELS = frozenset({"COMPANY", "APP", "PRODUCT"})
LAUNCH_VERBS = frozenset({"launch", "release", "unveil", "introduce", "debut", "roll",
                          "announce", "open", "ship"})

Doc.set_extension("launches", default=[], force=True)


def _clean(span: Span) -> Span:
    """Drop a leading "the" and a trailing possessive, which are not part of a name."""
    start, end = span.start, span.end
    if span[0].lower_ == "the" and len(span) > 1:
        start += 1
    if span[-1].tag_ == "POS" and end - start > 1:
        end -= 1
    return span.doc[start:end]


@Language.factory("launchwire_entities", default_config={
    "stop_names": sorted(NOT_ENTITIES), "gazetteer_key": "launchwire_gazetteer",
    "patterns": {"@misc": "launchwire.tech_patterns.v1"},
    "lowercase_names": {"@misc": "launchwire.gazetteer_patterns.v1"},
    "service_names": {"@misc": "launchwire.service_names.v1"}})
def make_tech_entities(nlp: Language, name: str, *, stop_names: list[str], gazetteer_key: str,
                       patterns: tuple, lowercase_names: list[dict],
                       service_names: list[str]) -> "TechEntities":
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    known: dict[str, tuple[str, str]] = {}
    for pattern in lowercase_names:
        if len(pattern["pattern"]) > 2:
            key = f"{pattern['label']}|{pattern['id']}"
            known[key] = (pattern["label"], pattern["id"])
            matcher.add(key, [nlp.make_doc(pattern["pattern"])])
    return TechEntities(stop_names=stop_names, gazetteer_key=gazetteer_key, families=patterns,
                        lowercase_matcher=matcher, lowercase_known=known,
                        service_names=frozenset(service_names))


class TechEntities:
    """Decide the document's COMPANY, APP and PRODUCT entities.

    Candidates, most trusted first: gazetteer matches (the span ruler's spans, canonical
    name as `kb_id`), context rules (nlp/patterns.py), the statistical model's ORG and
    PRODUCT. Overlaps go to the more trusted, then the longer. A name found by the gazetteer
    or a rule is then found wherever else the document repeats it. Metric acronyms, SEO spam
    and bare numbers never become entities; the model's other labels (PERSON, DATE, MONEY …)
    stay where no tech entity claims their tokens.
    """

    def __init__(self, *, stop_names: list[str], gazetteer_key: str = "launchwire_gazetteer",
                 families: tuple = (), lowercase_matcher: PhraseMatcher | None = None,
                 lowercase_known: dict[str, tuple[str, str]] | None = None,
                 service_names: frozenset[str] = frozenset()) -> None:
        self.stop_names = frozenset(name.lower() for name in stop_names)
        self.gazetteer_key = gazetteer_key
        self.families = families
        self.lowercase_matcher = lowercase_matcher
        self.lowercase_known = lowercase_known or {}
        self.service_names = service_names
        self.known = frozenset(canonical for _, canonical in self.lowercase_known.values())

    def _role(self, span: Span) -> Span:
        """Known names may change role with their sentence; names a rule found keep the
        role their cue gave them."""
        if span.kb_id_ in self.service_names:
            return _dual_role(span)
        if span.kb_id_ in self.known:
            return _in_context(span)
        return span

    def _known_names(self, doc: Doc) -> list[Span]:
        """Gazetteer matches; in text written all in lowercase (forums, chat), caseless ones."""
        spans = _split_makers(list(doc.spans.get(self.gazetteer_key, [])))
        # "Kong" inside "Hong Kong" is part of a place's name, not the company.
        others = [ent for ent in doc.ents if ent.label_ in NOT_TECH_LABELS | {"PERSON", "FAC", "NORP"}]
        spans = [span for span in spans if not any(
            ent.start <= span.start and span.end <= ent.end and len(ent) > len(span) for ent in others)]
        if self.lowercase_matcher is None or not _written_in_lowercase(doc):
            seen_by_model = {(ent.start, ent.end) for ent in doc.ents}
            return [span for span in spans if (span.start, span.end) in seen_by_model
                    or not _ambiguous_without_context(span)]
        for match_id, start, end in self.lowercase_matcher(doc):
            label, canonical = self.lowercase_known[doc.vocab.strings[match_id]]
            spans.append(Span(doc, start, end, label=label, span_id=canonical))
        return spans

    def __call__(self, doc: Doc) -> Doc:
        spam = spam_spans(doc)
        candidates: list[tuple[int, Span]] = []

        def add(priority: int, span: Span | None, label: str, canonical: str | None = None) -> None:
            if span is None or not len(span):
                return
            span = _without_spam(_clean(span), spam)
            if span is None:
                return
            if not self._acceptable(span, spam):
                return
            candidates.append((priority, Span(doc, span.start, span.end, label=label,
                                              kb_id=canonical or canonical_text(span))))

        for span in self._known_names(doc):
            add(0, span, span.label_, span.id_)
        places = {(ent.start, ent.end) for ent in doc.ents if ent.label_ in NOT_TECH_LABELS}
        ranks = {"strong": 0, "weak": WEAK_RULE_OFFSET}
        for family in self.families:
            # Rules without a cue noun rank below the others and defer to the model's
            # reading of a place or a date.
            weak = getattr(family, "without_cue_noun", False)
            ranks["weak" if weak else "strong"] += 1
            for label, span in family(doc):
                if not (weak and (span.start, span.end) in places):
                    add(ranks["weak" if weak else "strong"], span, label)
        for ent in doc.ents:
            # The model's lowercase or sentence-opening common words are not names.
            if ent.label_ in LABEL_MAP and not ent.text.islower() \
                    and not _ambiguous_without_context(ent):
                add(MODEL_PRIORITY, ent, _model_label(ent))
        chosen = _consistent(_resolve(candidates))
        chosen += _repeats(doc, chosen)
        chosen = _rivals(_coordinated(doc, [self._role(span) for span in chosen], spam))
        others = [ent for ent in doc.ents if ent.label_ not in LABEL_MAP
                  and not any(ent.start < c.end and c.start < ent.end for c in chosen)]
        doc.ents = sorted(filter_spans(chosen) + others, key=lambda span: span.start)
        return doc

    def _acceptable(self, span: Span, spam: list[Span]) -> bool:
        text = span.text.strip()
        if text.lower() in self.stop_names or not any(ch.isalpha() for ch in text):
            return False
        return not any(span.start < bad.end and bad.start < span.end for bad in spam)


def _without_spam(span: Span, spam: list[Span]) -> Span | None:
    """A candidate with spam words at its edge keeps only its own words ("Sale Hopwise")."""
    start, end = span.start, span.end
    for bad in spam:
        if bad.start <= start < bad.end:
            start = bad.end
        if bad.start < end <= bad.end:
            end = bad.start
    return span.doc[start:end] if start < end else None


def canonical_text(span: Span) -> str:
    """A name as it should be stored: no quotes, no "the", no possessive."""
    return span.text.strip(" \"'“”‘’")


# Candidate priorities: gazetteer 0, rules with a cue noun 1-19, rules without one 21-29,
# the statistical model 30. Lower wins an overlap; a name labelled below STRONG keeps its
# label wherever a weaker source saw it.
WEAK_RULE_OFFSET = 20
STRONG = 20
MODEL_PRIORITY = 30
# A model number makes an organisation's name a product's ("Nimbra X1", "Galaxy S24 Ultra").
MODEL_NUMBER = re.compile(r"^(?:[A-Z]{0,3}\d+[A-Za-z+]{0,3}|Pro|Max|Ultra|Plus|Mini|Lite|Fold\d*)$")


def _model_label(ent: Span) -> str:
    """The tech label for one of the statistical model's ORG or PRODUCT entities."""
    words = [token.text for token in ent]
    if len(words) > 1 and any(MODEL_NUMBER.match(word) for word in words[1:]):
        return "PRODUCT"
    if words[-1] in {"OS", "os"} or words[-1].endswith("OS") and len(words[-1]) > 3:
        return "APP"
    if ent.label_ == "PRODUCT" and len(words) == 1 and not any(ch.isdigit() for ch in words[0]):
        return "APP"  # one word, no model number: in tech news, an app far more often
    return LABEL_MAP[ent.label_]


def _resolve(candidates: list[tuple[int, Span]]) -> list[tuple[int, Span]]:
    """Non-overlapping candidates, the more trusted first, then the longer. A known name
    inside a longer name a rule found is part of that name ("Minute Opera", "Apple Health")."""
    known = [span for priority, span in candidates if priority == 0]
    covered = {i for span in known for i in range(span.start, span.end)}
    # A rule's span with words no known name covers is a bigger name; one made only of known
    # names ("Xiaomi SU7" = "Xiaomi" + "SU7") is those names.
    rules = [span for priority, span in candidates if 0 < priority < MODEL_PRIORITY
             and any(i not in covered for i in range(span.start, span.end))]
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


def _consistent(chosen: list[tuple[int, Span]]) -> list[Span]:
    """A name the gazetteer or a rule labelled keeps that label where only the model saw it."""
    trusted = {span.text: span for priority, span in chosen if priority < STRONG}
    spans = []
    for priority, span in chosen:
        better = trusted.get(span.text)
        if priority >= STRONG and better is not None and better.label_ != span.label_:
            span = Span(span.doc, span.start, span.end, label=better.label_, kb_id=better.kb_id_)
        spans.append(span)
    return spans


def _repeats(doc: Doc, chosen: list[Span]) -> list[Span]:
    """Other mentions of names already found, where nothing else claims their tokens."""
    taken = {i for span in chosen for i in range(span.start, span.end)}
    by_text: dict[str, Span] = {}
    for span in chosen:
        by_text.setdefault(span.text, span)
    short_names = {}
    for span in chosen:
        # "Veyra Mobility … Veyra plans to list": a company goes by its name without the
        # "Mobility", "Labs" or "Systems" once it has been introduced.
        if span.label_ == "COMPANY" and len(span) >= 2 and span[-1].text in patterns.COMPANY_SUFFIXES \
                and span[-1].text not in patterns.LEGAL_FORMS and span[0].text[:1].isupper():
            short_names.setdefault(span[:-1].text, span)
    found = []
    for text, span in list(by_text.items()) + [(t, s) for t, s in short_names.items()
                                                 if t not in by_text]:
        words = text.split(" ") if span.text != text else [t.text for t in span]
        for start in range(len(doc) - len(words) + 1):
            if doc[start].text != words[0] or start in taken:
                continue
            if [t.text for t in doc[start:start + len(words)]] != words:
                continue
            if any(i in taken for i in range(start, start + len(words))):
                continue
            after = start + len(words)
            if span.text != text and after < len(doc) and patterns.is_name_word(doc[after]):
                continue  # "Veyra V7" is the car, not the company
            taken.update(range(start, start + len(words)))
            found.append(Span(doc, start, start + len(words), label=span.label_,
                              kb_id=span.kb_id_))
    return found


NOT_TECH_LABELS = frozenset({"GPE", "LOC", "DATE", "TIME", "LANGUAGE"})
# A company's service, used: "sellers on Etsy", "an Etsy shop", "Shopify users".
USED_BEFORE = frozenset({"on", "via", "using", "through", "download", "downloaded", "downloading",
                         "install", "installed", "installs", "open", "opened", "onto", "inside",
                         "use", "uses", "used", "launch", "tap", "search"})
USED_AFTER = frozenset({"app", "apps", "users", "user", "sellers", "shoppers", "creators",
                        "merchants", "listings", "feed", "accounts", "subscribers", "store",
                        "shop", "shops", "page", "pages", "search", "version", "update", "downloads",
                        "subscription", "account", "video", "videos", "posts", "channel"})
# An app's company, acting: "Reddit said", "Reddit's revenue".
ACTS = frozenset({"say", "tell", "announce", "report", "raise", "acquire", "buy", "hire", "lay",
                  "file", "sue", "partner", "invest", "decline", "confirm", "agree", "post"})
BUSINESS_WORDS = frozenset({"revenue", "revenues", "shares", "stock", "valuation", "profit",
                            "earnings", "ceo", "founder", "founders", "board", "investors",
                            "employees", "staff", "headquarters", "ipo", "chief", "executives"})


# Where a company-named service is the business: "worked at Reddit", "the base camp of Meituan".
BUSINESS_BEFORE = frozenset({"at", "of", "left", "joined", "rival", "rivals", "by"})


def _dual_role(span: Span) -> Span:
    """A company that shares its name with its service (Etsy, Grab) is the service where it is
    used ("sellers on Etsy", "Etsy shops") and the business where it acts ("Etsy said",
    "Grab has trimmed side businesses", "Etsy's revenue", "engineers who left Etsy")."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if before == "the" and span.start > 1:
        before = doc[span.start - 2].lower_
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if before in USED_BEFORE or after in USED_AFTER:
        label = "APP"
    elif span.root.dep_ in {"nsubj", "nsubjpass"} or after == "'s" or before in BUSINESS_BEFORE:
        label = "COMPANY"
    else:
        label = "APP"
    return span if label == span.label_ else Span(doc, span.start, span.end, label=label,
                                                  kb_id=span.kb_id_)


def _in_context(span: Span) -> Span:
    """A known app acting as a business is its company ("Reddit said", "Reddit's revenue")."""
    if span.label_ not in {"COMPANY", "APP"}:
        return span
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if before == "the" and span.start > 1:
        before = doc[span.start - 2].lower_
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    after_possessive = doc[span.end + 1].lower_ if after == "'s" and span.end + 1 < len(doc) else ""
    label = span.label_
    if label == "APP" and (after_possessive in BUSINESS_WORDS or (
            span.root.dep_ == "nsubj" and span.root.head.lemma_.lower() in ACTS)):
        label = "COMPANY"
    if label == span.label_:
        return span
    return Span(doc, span.start, span.end, label=label, kb_id=span.kb_id_)


def _coordinated(doc: Doc, spans: list[Span], spam: list[Span]) -> list[Span]:
    """Names joined by "and"/commas are one kind of thing: "Taobao, JD and Pinduoduo" are
    all apps if most of them are; a capitalised conjunct nothing else found joins them."""
    at = {i: n for n, span in enumerate(spans) for i in range(span.start, span.end)}
    parent = list(range(len(spans)))

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    spans = list(spans)
    for token in doc:
        if token.dep_ != "conj" or token.head.i not in at:
            continue
        head = at[token.head.i]
        if token.i not in at:
            name = patterns.name_ending_at(doc, token.i + 1)
            if name is None or name.start < spans[head].end or token.pos_ != "PROPN" or any(
                    i in at for i in range(name.start, name.end)) or any(
                    name.start < bad.end and bad.start < name.end for bad in spam):
                continue
            spans.append(Span(doc, name.start, name.end, label=spans[head].label_,
                              kb_id=canonical_text(name)))
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
            continue
        for n in members:
            if spans[n].label_ in {"COMPANY", "APP"} and spans[n].label_ != top:
                spans[n] = Span(doc, spans[n].start, spans[n].end, label=top,
                                kb_id=spans[n].kb_id_)
    return spans


def _split_makers(spans: list[Span]) -> list[Span]:
    """"Tesla Model Y", "Xiaomi SU7": the maker and the model's own name are two entities;
    "Xiaomi 14 Ultra", a maker plus a bare number, stays one product."""
    companies = {(span.start, span.end): span for span in spans if span.label_ == "COMPANY"}
    result = []
    for span in spans:
        maker = next((companies[(span.start, end)] for end in range(span.end - 1, span.start, -1)
                      if (span.start, end) in companies), None) if span.label_ == "PRODUCT" else None
        if maker is None or span.doc[maker.end].like_num:
            result.append(span)
            continue
        result.append(Span(span.doc, maker.end, span.end, label="PRODUCT", span_id=span.id_))
    return result


def _written_in_lowercase(doc: Doc) -> bool:
    """Text whose sentences mostly open in lowercase: names there are lowercase too."""
    openings = [sent[0] for sent in doc.sents if sent[0].is_alpha]
    return len(openings) >= 2 and sum(token.is_lower for token in openings) >= 0.6 * len(openings)


RIVALRY = frozenset({"compete", "competes", "competing", "competed"})


def _rivals(spans: list[Span]) -> list[Span]:
    """What a company or app competes with is the same kind of thing: "Keeta competes with
    HungerStation and Jahez" names three apps. Read off the words, not the parse, which often
    takes "competes" for a noun after an unfamiliar name."""
    if not spans:
        return spans
    doc = spans[0].doc
    at = {i: n for n, span in enumerate(spans) for i in range(span.start, span.end)}
    for token in doc[1:-1]:
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


def _ambiguous_without_context(span: Span) -> bool:
    """A one-word known name opening a sentence may be a common word ("Threads of …",
    "Signal strength …"); it counts only if written oddly (WeChat, iOS) or tagged a name."""
    if len(span) != 1 or not span[0].is_sent_start:
        return False
    word = span[0]
    oddly_written = word.text[1:] != word.text[1:].lower() or word.text[0].islower()
    return not oddly_written and word.pos_ != "PROPN"


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


def _known_word(token: Token) -> bool:
    return any(span.start <= token.i < span.end for span in doc_spans(token.doc))


def doc_spans(doc: Doc) -> list[Span]:
    return list(doc.spans.get("launchwire_gazetteer", []))


def spam_spans(doc: Doc) -> list[Span]:
    """An SEO-spam anchor pasted into a sentence it does not belong to ("grew Cheap Replica
    Watches Free Shipping 16%", "Michael Kors Outlet Online Store Sale Hopwise said"): the
    spam words, the filler around them and a stray name in front ("Jennifer Buy …")."""
    spans = []
    for token in doc:
        if token.lower_ not in SPAM_WORDS:
            continue
        start, end = token.i, token.i + 1
        while start > token.sent.start and doc[start - 1].lower_ in SPAM_FILLER | SPAM_WORDS:
            start -= 1
        if start > token.sent.start and doc[start - 1].is_title and not doc[start - 1].is_sent_start \
                and not _known_word(doc[start - 1]):
            start -= 1  # a stray first name fronting the anchor (not "… and Instagram louis …")
        while end < token.sent.end and doc[end].lower_ in SPAM_FILLER | SPAM_WORDS:
            end += 1
        if end < token.sent.end and doc[end].is_title and end + 1 < len(doc) \
                and doc[end + 1].like_num:
            end += 1  # "… without prescription Jennifer 19%"
        spans.append(doc[start:end])
    return spans


@Language.factory("launchwire_launches", default_config={})
def make_launch_detector(nlp: Language, name: str) -> "LaunchDetector":
    return LaunchDetector()


class LaunchDetector:
    """Find "COMPANY launched PRODUCT" clauses among the document's tech entities.

    Thin first version (issue #2): the subject and object of a launch verb in the parse.
    """

    def __call__(self, doc: Doc) -> Doc:
        launches = []
        by_token = {i: ent for ent in doc.ents if ent.label_ in TECH_LABELS
                    for i in range(ent.start, ent.end)}
        for token in doc:
            if token.pos_ != "VERB" or token.lemma_.lower() not in LAUNCH_VERBS:
                continue
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            obj = next((c for c in token.children if c.dep_ == "dobj"), None)
            if obj is None:
                continue
            product = next((by_token[t.i] for t in obj.subtree
                            if t.i in by_token and by_token[t.i].label_ in {"APP", "PRODUCT"}), None)
            if product is None:
                continue
            company = by_token.get(subject.i) if subject is not None else None
            if company is not None and company.label_ != "COMPANY":
                company = None
            if not any(c.dep_ == "neg" for c in token.children):
                launches.append((company, product, token))
        doc._.launches = launches
        return doc
