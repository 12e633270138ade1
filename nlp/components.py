"""Registered spaCy components that turn the stock model's entities into tech entities."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from nlp import gazetteer as _gazetteer  # noqa: F401  (registers the gazetteer's misc functions)
from nlp import patterns as _patterns  # registers launchwire.tech_patterns.v1; NOT_A_MODEL
from nlp import names, resolve, roles
from nlp.genre import heading_at
from nlp.spam import SPAM_KEY, spam_spans

# Metric and finance acronyms the stock model takes for organisations.
NOT_ENTITIES = frozenset({
    "dau", "mau", "arr", "gmv", "ipo", "ai", "app", "apps", "ceo", "cfo", "api", "ar", "vr",
    "eu", "us", "uk", "series a", "series b", "series c", "kpi", "roi", "saas", "b2b", "b2c",
    "llm", "ev", "evs", "arpu", "arppu", "ltv", "cac", "nps", "capex", "opex", "ebitda", "yoy",
    "united states", "united kingdom", "european union",
    # Technologies and formats, not makers (#13: real text).
    "nft", "nfts", "rag", "cgi", "usb", "usb-c", "ztna", "llms", "gpu", "gpus", "cpu", "npu",
    "ml", "genai", "generative ai", "ai ops", "aiops", "iot", "5g", "4g", "lte", "sdk", "apis",
    "crm", "erp", "vpn", "seo", "ar/vr", "xr", "ota", "ui", "ux", "html", "json", "sql", "agi",
    "olympic", "olympics",
    # Languages, frameworks, practices and currencies: no maker, no app.
    "python", "javascript", "typescript", "pytorch", "tensorflow", "kubernetes", "react",
    "node.js", "next.js", "vite", "devops", "mlops", "llmops", "bitcoin", "ethereum",
    # Diseases the model takes for organisations.
    "covid", "covid-19", "sars-cov-2",
    # Places the trade names, which a trained recogniser takes for a business ("a Silicon
    # Valley software company"), and acronyms of trades and job functions.
    "silicon valley", "iiot", "gtm", "soc", "hr", "gen ai",
    # Fields, formats, protocols, filings and drugs ("NLP models", "gaming HDR", "the S-1").
    "nlp", "3d", "hdr", "mcp", "s-1", "glp-1", "black",
})



def _clean(span: Span, known: bool = False) -> Span:
    """Drop a leading "the", a dangling "&" and a trailing possessive, which are not part of a
    name, unless a known one-word name takes its "The" ("The Verge", "The Information"; but
    "the New York Times", "the Browser Company")."""
    start, end = span.start, span.end
    keeps_the = known and span[0].text == "The" and len(span) == 2
    if span[0].lower_ == "the" and len(span) > 1 and not keeps_the:
        start += 1
    while end - start > 1 and span.doc[end - 1].text in {"&", "and", ",", "-"}:
        end -= 1  # "McKinsey & …": a name does not end on a dangling "&"
    if span.doc[end - 1].tag_ == "POS" and end - start > 1:
        end -= 1
    if span.doc[end - 1].text == "APP" and end - start > 1:
        end -= 1  # "DingTalk APP", as translations from Chinese write it: the name, then "app"
    if not known:
        # "Netflix Chair Reed Hastings", "Amazon CTO": a person's role ends the name.
        for i in range(start + 1, end):
            if span.doc[i].lower_ in ROLES_AFTER_A_NAME:
                end = i
                break
    return span.doc[start:end]


ROLES_AFTER_A_NAME = frozenset({"ceo", "cto", "cfo", "coo", "chair", "chairman", "chairwoman",
                                "founder", "cofounder", "co-founder", "president"})


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
    trained_ner = "ner" in nlp.pipe_names and "TECH_COMPANY" in nlp.get_pipe("ner").labels
    return TechEntities(stop_names=stop_names, gazetteer_key=gazetteer_key, families=patterns,
                        lowercase_matcher=matcher, lowercase_known=known,
                        service_names=frozenset(service_names), trained_ner=trained_ner)


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
                 service_names: frozenset[str] = frozenset(), trained_ner: bool = False) -> None:
        self.stop_names = frozenset(name.lower() for name in stop_names)
        self.gazetteer_key = gazetteer_key
        self.families = families
        self.lowercase_matcher = lowercase_matcher
        self.lowercase_known = lowercase_known or {}
        self.service_names = service_names
        self.known = frozenset(canonical for _, canonical in self.lowercase_known.values())
        # The statistical model's labels read as candidates (evaluation switches them off).
        # Beside the trained labels, the stock ORG and PRODUCT mean organisations and goods
        # that are no tech company or product: they are not candidates then.
        self.model_labels = dict(resolve.TRAINED_LABELS if trained_ner else resolve.LABEL_MAP)

    def _role(self, span: Span) -> Span:
        """Known names may change role with their sentence; names a rule found keep the
        role their cue gave them."""
        if span.kb_id_ in self.service_names:
            return roles.dual_role(span)
        if span.kb_id_ in self.known:
            return roles.in_context(span)
        return span

    def _known_names(self, doc: Doc, lowercase_text: bool) -> list[Span]:
        """Gazetteer matches; in text written all in lowercase (forums, chat), caseless ones."""
        spans = resolve.join_makers(list(doc.spans.get(self.gazetteer_key, [])))
        # "Kong" inside "Hong Kong" is part of a place's name, not the company.
        others = [ent for ent in doc.ents if ent.label_ in PLACES_AND_PEOPLE]
        spans = [span for span in spans if not _inside_a_name(span) and not any(
            ent.start <= span.start and span.end <= ent.end and len(ent) > len(span)
            for ent in others)]
        if self.lowercase_matcher is None or not lowercase_text:
            seen_by_model = {(ent.start, ent.end) for ent in doc.ents}
            return [span for span in spans if (span.start, span.end) in seen_by_model
                    or not _ambiguous_without_context(span)]
        for match_id, start, end in self.lowercase_matcher(doc):
            label, canonical = self.lowercase_known[doc.vocab.strings[match_id]]
            spans.append(Span(doc, start, end, label=label, span_id=canonical))
        return spans

    def __call__(self, doc: Doc) -> Doc:
        spam = spam_spans(doc, self.gazetteer_key)
        doc.spans[SPAM_KEY] = spam  # the summary reads them again
        candidates: list[tuple[int, Span]] = []
        # A person's surname on its own is the person ("Gurman said"), not a company.
        people = [ent for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1]
        surnames = {person[-1].text for person in people} | _told_as_people(doc)
        # ... and so is a full-named person's given name ("By Adi Robertson … Adi has covered").
        given = names.given_names()
        surnames |= {person[0].text for person in people if person[0].lower_ in given}
        full_names = [name for name in surnames if " " in name]
        lowercase_text = doc.has_annotation("SENT_START") and _written_in_lowercase(doc)
        # `doc.text` joins every token anew on each read: read once, not once per candidate.
        text = doc.text

        def add(priority: int, span: Span | None, label: str, canonical: str | None = None) -> None:
            if span is None or not len(span):
                return
            span = _without_spam(_clean(span, known=priority == 0), spam)
            if span is None:
                return
            if not self._acceptable(span, spam):
                return
            if priority > 0 and _no_name(span, lowercase_text):
                return
            if priority > 0 and heading_at(text, span.start_char):
                return  # "Three, Super App Dreams": a heading's words; known names stay
            if priority > 0 and span.text in surnames or any(
                    f" {span.text} " in f" {person} " for person in full_names):
                return  # a person's name, or a known name inside one ("Nikola Vance, CTO")
            candidates.append((priority, Span(doc, span.start, span.end, label=label,
                                              kb_id=canonical or canonical_text(span))))

        for span in self._known_names(doc, lowercase_text):
            add(0, span, span.label_, span.id_)
        places = {(ent.start, ent.end) for ent in doc.ents if ent.label_ in NOT_TECH_LABELS}
        # "the Dutch police service": a nationality before a cue noun is no name (the model
        # also calls some unfamiliar brands NORP, but as nouns: "Spindle, a forum app").
        peoples = {(ent.start, ent.end) for ent in doc.ents
                   if ent.label_ == "NORP" and ent.root.tag_ == "JJ"}
        ranks = {"strong": 0, "weak": resolve.WEAK_RULE_OFFSET}
        for family in self.families:
            # Rules without a cue noun rank below the others and defer to the model's
            # reading of a place or a date.
            weak = getattr(family, "without_cue_noun", False)
            ranks["weak" if weak else "strong"] += 1
            for label, span in family(doc):
                if not (weak and (span.start, span.end) in places
                        or (span.start, span.end) in peoples):
                    add(ranks["weak" if weak else "strong"], span, label)
        tech_text = _about_technology(doc, candidates)
        for ent in doc.ents:
            # The models' lowercase or sentence-opening common words are not names.
            if ent.label_ not in self.model_labels or ent.text.islower() \
                    or _ambiguous_without_context(ent) or _a_table_row(ent):
                continue
            trained = ent.label_ in resolve.TRAINED_LABELS
            label = resolve.model_label(ent)
            if label == "COMPANY" and ent.root.dep_ == "dobj" \
                    and ent.root.head.lemma_.lower() in names.LAUNCH_VERBS:
                label = "APP"  # what a company launches is no company ("launched Base Command")
            if label != "COMPANY" and not tech_text:
                # A guessed app or product in a long text about something else is a place, a
                # person or an event (CoNLL: "Arbil", "Fed Cup"); companies are everywhere.
                continue
            if (label == "COMPANY" and _not_a_company_here(ent, people)) or _titled_person(ent):
                continue
            if trained:
                add(resolve.TRAINED_PRIORITY, ent, label)
            elif not (len(ent) == 1 and ent.text.isupper() and len(ent.text) <= 5):
                # A bare acronym the stock model calls ORG is mostly an agency or a standard
                # (NASA, FDA, CGI); known ones come from the gazetteer.
                add(resolve.MODEL_PRIORITY, ent, label)
        candidates = self._without_people(candidates)
        chosen = resolve.consistent(resolve.resolve(candidates))
        chosen += [span for span in resolve.repeats(doc, chosen)
                   if self._acceptable(span, spam)]  # not "View at Apple" after "Apple said"
        chosen = resolve.rivals(resolve.coordinated(doc, [self._role(span) for span in chosen], spam))
        # A list's other words ("funds held in Tether and Bitcoin") are no names either.
        chosen = [span for span in chosen if not self._never_a_name(span.text.strip())]
        # A list's person ("backed by Accel, Jason Portnoy and Foundation Capital") is no company.
        chosen = [span for _, span in self._without_people([(1, span) for span in chosen])]
        others = [ent for ent in doc.ents if ent.label_ not in resolve.LABEL_MAP
                  and ent.label_ not in resolve.TRAINED_LABELS
                  and not any(ent.start < c.end and c.start < ent.end for c in chosen)]
        doc.ents = sorted(filter_spans(chosen) + others, key=lambda span: span.start)
        return doc

    def _without_people(self, candidates: list[tuple[int, Span]]) -> list[tuple[int, Span]]:
        """Drop a person's full name ("Kirsten Korosec"), unless the gazetteer knows it or its
        first word names a business here too ("Hollis Learning … its app, Hollis Class"), and
        a common surname no cue noun called a business ("Lamm said")."""
        brands = {span[0].text for _, span in candidates
                  if len(span) > 1 and not names.full_name(span)}
        return [(priority, span) for priority, span in candidates
                if priority == 0 or span.kb_id_ in self.known or span[0].text in brands
                or not (names.full_name(span) or priority >= resolve.STRONG
                        and names.lone_surname(span))]

    def _never_a_name(self, text: str) -> bool:
        """A metric, a technology, a currency, or a legal form left alone ("McKinsey & Co.")."""
        return text.lower() in self.stop_names or text in names.LEGAL_FORMS

    def _acceptable(self, span: Span, spam: list[Span]) -> bool:
        text = span.text.strip()
        if self._never_a_name(text) or not any(ch.isalpha() for ch in text):
            return False
        if PUBLIC_BODY.search(text):
            return False  # regulators, courts, governments and universities are not companies
        if _job_title(span) or all(word in SECTION_WORDS for word in text.split()):
            return False  # ... "Home Tech Smartphones Mobile": a site's section path
        following = span.doc[span.end:span.end + 2].text.lower()
        if following.startswith(("data set", "dataset", "benchmark")):
            return False  # "the ImageNet data set": a data set, not its maker
        before = span.doc[max(0, span.start - 3):span.start].text
        if SHARE_OR_SHOP_BUTTON.search(before) or _in_a_share_row(span):
            return False  # "Share on Facebook", "View now at Walmart": a page's buttons
        if CREDIT.search(before) or _credited(span) or _a_breadcrumb(span):
            return False  # "Credit: Getty Images", "June Wan/ZDNET", "Tech / Nvidia / AI"
        if len(SITE_FURNITURE.findall(text)) >= 1 and len(span) >= 3 or MENU_WORD.search(text):
            return False  # a run of menu words is no name
        if EVENT_OR_REPORT.search(text):
            return False  # "TechCrunch Disrupt", "AI Impact Tour", "State of AI Report"
        following = span.doc[span.end] if span.end < len(span.doc) else None
        if following is not None and EVENT_WORD.match(following.text):
            return False  # the name of an event it runs: "TechCrunch Sessions: AI"
        return not any(span.start < bad.end and bad.start < span.end for bad in spam)


PUBLIC_BODY = re.compile(r"\b(?:Union|Commission|Ministry|Department|Agency|Court|Parliament|"
                         r"Council|Authority|Bureau|Administration|University|Government|Senate|"
                         r"Congress|Regulator|Police|Committee|Air Force|Army|Navy|Medicine|"
                         r"Institute|College|School|Foundation|NASA|UN|FDA|FTC|SEC|FCC|DOJ|NHS|"
                         r"Commissioner|Stock Exchange|Hospital|Institutes|Academy|"
                         r"White House|Congressional|"
                         r"Stanford|Harvard|Cornell|Princeton|Yale|Caltech|Carnegie Mellon)\b")
# Site menus pasted into the text: "Toggle Navigation News Events", "Jobs Contact News".
SITE_FURNITURE = re.compile(r"\b(?:Toggle|Navigation|Newsletters?|Podcasts|Subscribe|Menu|"
                            r"Programs|Contact|Jobs|Topics|Spaces)\b")
# The buttons a page puts before a network's or a shop's name.
SHARE_OR_SHOP_BUTTON = re.compile(r"\b(?:(?:Share|Follow us|Follow|Post|Pin it) on|"
                                  r"(?:View|Shop|Buy)(?: now)? at|See it at|See at)\s*$")
# Words only a site's menu or comment button puts in front of a name ("Latest", "Topics",
# "Comment Sandvine, the makers of …").
MENU_WORD = re.compile(r"\b(?:Topics|Latest|Corporates|Gadgets|Newsletters|Podcasts|Toggle|"
                       r"Comment)\b")
EVENT_WORD = re.compile(r"^(?:Tour|Conference|Summit|Awards|Expo|Festival|Disrupt|Sessions|"
                        r"Show)$")
EVENT_OR_REPORT = re.compile(r"\b(?:Tour|Conference|Summit|Awards|Expo|Festival|Disrupt|"
                             r"Hackathon|Keynote)\b|\b(?:Transform \d{4}|Report|Day|Podcast)\s*$")


# What a picture's credit puts before a name.
CREDIT = re.compile(r"\b(?:Credit|Credits|Image by|Images?|Photo|Photograph)\s*:\s*$")
SHARE_ROW_WORDS = frozenset({"Facebook", "Twitter", "Email", "Reddit", "Link", "LinkedIn",
                             "WhatsApp", "Pinterest", "Flipboard", "Share", "Copy"})


def _in_a_share_row(span: Span) -> bool:
    """"Facebook Twitter Email Reddit Link": a network's name beside another button."""
    doc = span.doc
    beside = [doc[i].text for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return span.text in SHARE_ROW_WORDS and any(word in SHARE_ROW_WORDS for word in beside)


def _credited(span: Span) -> bool:
    """"June Wan/ZDNET": the outlet after a photographer's name and a slash."""
    doc = span.doc
    if span.start < 3 or doc[span.start - 1].text != "/" or doc[span.start - 1].whitespace_:
        return False
    given = names.given_names()
    return doc[span.start - 2].ent_type_ == "PERSON" or (
        doc[span.start - 2].is_title and doc[span.start - 3].is_title
        and doc[span.start - 3].lower_ in given)


def _a_breadcrumb(span: Span) -> bool:
    """"Tech / Nvidia / Artificial Intelligence": a section tag between a menu's slashes."""
    doc = span.doc
    return span.start >= 1 and span.end < len(doc) and doc[span.start - 1].text == "/" \
        and doc[span.end].text == "/" and bool(doc[span.start - 1].whitespace_)


# The words of a site's section path ("Home Tech Smartphones Mobile Accessories").
SECTION_WORDS = frozenset({"Home", "Tech", "&", "Office", "Entertainment", "Smartphones",
                           "Mobile", "Computing", "Wearables", "Household", "Kitchen", "Laptops",
                           "Accessories", "Headphones", "TVs", "Gaming", "Reviews", "Deals"})


# A job title's words: "Executive Vice President", "Chief Technology Officer".
TITLE_OPENERS = frozenset({"chief", "executive", "principal", "senior", "vice", "deputy",
                           "associate", "assistant", "staff", "contributing", "managing", "lead"})
OFFICE_NOUNS = frozenset({"officer", "president", "scientist", "consultant", "editor", "writer",
                          "director", "manager", "engineer", "producer", "correspondent",
                          "contributor", "reporter", "analyst", "architect", "researcher"})


def _job_title(span: Span) -> bool:
    """"Microsoft's Executive Vice President", "Principal Technology Consultant at …": a title
    opener with an office noun at its end or right after it is a job, not a company."""
    following = span.doc[span.end] if span.end < len(span.doc) else None
    return span[0].lower_ in TITLE_OPENERS and (
        span[-1].lower_ in OFFICE_NOUNS or following is not None
        and following.lower_ in OFFICE_NOUNS)


def _about_technology(doc: Doc, candidates: list[tuple[int, Span]]) -> bool:
    """Whether a text may be about technology: it is short (a headline or a post gives no
    context to judge by), names a known tech name or one a cue noun called so, or uses the
    trade's words. Sport and politics reports have none of these."""
    return (len(doc) < LONG_TEXT_TOKENS
            or any(priority < resolve.STRONG for priority, _ in candidates)
            or any(token.lower_ in names.TECH_WORDS for token in doc))


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


NOT_TECH_LABELS = frozenset({"GPE", "LOC", "DATE", "TIME", "LANGUAGE"})
PLACES_AND_PEOPLE = NOT_TECH_LABELS | {"PERSON", "FAC", "NORP"}
LONG_TEXT_TOKENS = 80


# What a person is in an appositive ("X, co-founder of Y"); a company is "the maker of".
PERSONAL_ROLES = frozenset({"ceo", "founder", "co-founder", "cofounder", "cto", "cfo", "coo",
                            "chairman", "chairwoman", "president", "chief", "director",
                            "spokesperson", "spokeswoman", "spokesman", "head", "vp"})
ROLE_QUALIFIERS = frozenset({"former", "senior", "managing", "executive", "general", "chief",
                             "deputy", "the", "a"})


def _after_a_comma(role: Token) -> int | None:
    """Where the comma before a role word stands ("X, co-founder", "X, former CEO")."""
    doc, i = role.doc, role.i
    if i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ == "co":
        i -= 2  # "co-founder" in three tokens
    if i >= 2 and doc[i - 1].lower_ in ROLE_QUALIFIERS:
        i -= 1
    return i - 1 if i >= 2 and doc[i - 1].text == "," else None


def _told_as_people(doc: Doc) -> set[str]:
    """Names the text treats as people: "Wosarek, who led the lab", "“…,” says Sassolin",
    "Ana Ruiz, co-founder of …". A company is "which", and speaks before its verb."""
    people = set()
    for token in names.tokens_of(doc)[2:]:
        if token.lower_ == "who" and doc[token.i - 1].text == ",":
            name = doc[token.i - 2]
        elif token.is_punct and doc[token.i - 2].lower_ in {"says", "said"} \
                and token.i - 3 >= 0 and doc[token.i - 3].is_punct:
            name = doc[token.i - 1]  # "“…,” says Sassolin."
        elif token.lower_ in PERSONAL_ROLES and (comma := _after_a_comma(token)) is not None:
            # "Nikola Vance, co-founder of …", "Udo Brandt, chief data officer": the whole
            # name is a person's, and so is its last word alone
            full = names.name_ending_at(doc, comma)
            if full is None or full.root.pos_ != "PROPN":
                continue
            people.add(full.text)
            name = full[-1]
        elif token.lower_ in {"he", "she"} and token.dep_ == "nsubj" \
                and token.head.dep_ == "ccomp" and token.head.head.lemma_ in {"say", "tell"}:
            # "Mullarkey has said he wants …": who says "he" of himself is a person
            name = next((c for c in token.head.head.children if c.dep_ == "nsubj"), token)
        else:
            continue
        if name.pos_ == "PROPN" and name.text[:1].isupper() and name.is_alpha:
            people.add(name.text)
    return people


def _inside_a_name(span: Span) -> bool:
    """A one-letter known name (X, the app) within a longer name: "the Tarsi X 14"."""
    if len(span.text) != 1:
        return False
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    return before is not None and not before.is_sent_start and names.is_name_word(before) \
        or after is not None and after.like_num


def _written_in_lowercase(doc: Doc) -> bool:
    """Text whose sentences mostly open in lowercase: names there are lowercase too."""
    openings = [sent[0] for sent in doc.sents if sent[0].is_alpha]
    return len(openings) >= 2 and sum(token.is_lower for token in openings) >= 0.6 * len(openings)


def _a_table_row(ent: Span) -> bool:
    """"0 Cardiff 2", "3 1 1 1 3 3 4\nQueen": the model's name across a results table; a bug
    id or a standard ("CVE-2025", "ERC-1155") is no name either."""
    return ent[0].like_num or any(token.is_space for token in ent) \
        or bool(_patterns.NOT_A_MODEL.search(ent.text))


# A function word glued to the name by a lost space: "toHalvard", "onQuillo", "theLumeo".
GLUED_FUNCTION_WORD = re.compile(r"^(?:to|the|on|its|of|in|at|by|for|and|with|from)[A-Z]")
# Sentence adverbs spaCy's stop list leaves out ("Finally, a sturdy phone").
DISCOURSE_WORDS = frozenset({"finally", "additionally", "furthermore", "overall", "instead",
                             "similarly", "separately", "likewise", "notably", "ultimately",
                             "currently", "recently", "previously", "eventually", "initially",
                             "importantly", "meanwhile", "today"})


def _no_name(span: Span, lowercase_text: bool) -> bool:
    """What only a rule or the model took for a name: a sentence adverb or other function
    word ("Moreover, …", "Finally, a sturdy phone"), a word in lowercase where names are
    capitalised ("is called training"), or a name run into the word before it."""
    if len(span) == 1 and (span[0].is_stop or span[0].lower_ in DISCOURSE_WORDS):
        return True
    if span.text.islower():
        return not lowercase_text
    return bool(GLUED_FUNCTION_WORD.match(span.text))


def _not_a_company_here(ent: Span, people: list[Span]) -> bool:
    """An organisation a statistical model saw that its sentence says is something else: a name
    as a modifier names a group, a family, an event or a product line ("the LockBit group",
    "the Corvex Club program"); a name in a list of people is a person ("Elif Duru Kaya and
    Sean Brody"); a photo credit or a link is no name."""
    if ent.root.dep_ == "compound" or ent[-1].text == "Project":
        return True  # ... and a project is no company ("the Nightingale Genome Project")
    if "http" in ent.text or "](" in ent.text or "/" in ent.text or ":" in ent.text:
        return True
    listed = [ent.root.head] if ent.root.dep_ == "conj" else []
    listed += [token for token in ent.root.children if token.dep_ == "conj"]
    # `people` holds full names: the model calls many unfamiliar one-word brands PERSON.
    return any(person.start <= token.i < person.end for token in listed for person in people)


def _titled_person(ent: Span) -> bool:
    """"COO Tamsin Oduya": a title before a name, whatever label the model gave it."""
    return len(ent) > 1 and ent[0].lower_ in names.ROLE_WORDS | names.TITLES


RUMOUR_OPENING = re.compile(r"(?:in|on|around) the (?:industry|market|street)\b|"
                            r"(?:is|has it|says) that\b")


def _ambiguous_without_context(span: Span) -> bool:
    """A one-word known name opening a sentence may be a common word ("Threads of …",
    "Signal strength …"); it counts if written oddly (WeChat, iOS), tagged a name, or the
    sentence's subject not followed by "of" ("Threads became available …")."""
    if len(span) != 1 or not span[0].is_sent_start:
        return False
    word = span[0]
    if RUMOUR_OPENING.match(word.doc[word.i + 1:word.i + 4].text):
        return True  # "Word in the industry is that …" (业内消息), not Microsoft Word
    oddly_written = word.text[1:] != word.text[1:].lower() or word.text[0].islower()
    followed_by_of = word.i + 1 < len(word.doc) and word.doc[word.i + 1].lower_ == "of"
    subject = word.dep_ in {"nsubj", "nsubjpass"} and not followed_by_of
    return not oddly_written and word.pos_ != "PROPN" and not subject
