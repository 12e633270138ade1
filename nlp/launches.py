"""Launch facts: which product a company launched, announced, plans or is rumoured to launch,
sentence by sentence, and the one launch (if any) an article is about."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from nlp import names
from nlp.gazetteer import company_spellings, makers
from nlp.genre import COMMENTARY, genre
from nlp.launch_details import ONE_PLATFORM

Doc.set_extension("launch_facts", default=[], force=True)
Doc.set_extension("launch", default=None, force=True)
# "launch" (the text tells a launch), "other" (its lead tells funding, earnings, a deal, a
# shutdown…) or "coverage" (anything else: reviews, analysis, follow-ups of a launch).
Doc.set_extension("story_kind", default="coverage", force=True)

# Verbs whose object is launched: "Meta launched Threads", "Apple unveiled the Vision Pro".
TRANSITIVE = frozenset({"launch", "release", "unveil", "introduce", "debut", "roll", "ship",
                        "announce", "open", "relaunch", "preview", "deploy", "rollout", "unleash",
                        "reveal"})
PREVIEW_NOUNS = frozenset({"beta", "preview", "version", "edition", "access"})
# Verbs whose subject is launched: "Threads went live", "the Tidy One goes on sale".
INTRANSITIVE = re.compile(r"\b(?:went live|goes live|is live|now live|is now available|are now "
                          r"available|became (?:generally )?available|arrives?|arrived|debuts?|"
                          r"debuted|hits? (?:stores|shelves)|goes on sale|went on sale|launched|"
                          r"launches|was released|were released|was launched|is launching|rolls? "
                          r"out|rolled out|opens? to|opened to|is available|is out now|out now|"
                          r"(?:made|makes|making) (?:[\w’',-]+ ){0,8}available|"
                          r"(?:is|are) getting an? (?:\w+ )?release|"
                          r"(?:opened|opens|taking|takes|began taking)"
                          r" pre-?orders|began shipping|started shipping|began accepting|"
                          r"in (?:players'|users'|customers') hands|handed the first|"
                          r"(?:will|plans to|intends to|is preparing to|preparing to|is set to|"
                          r"expected to|could|would) (?:launch|release|debut|introduce|roll out)|"
                          r"(?:is|are) due (?:for release|out|to (?:launch|arrive|ship|"
                          r"go on sale))|"
                          # Translated from Chinese (上线, 独立成APP, 公测): "went online",
                          # "was spun off as a standalone app", "opened its public test".
                          r"(?:went|goes|go|going|gone|is|was) online|spun off as a standalone|"
                          r"opened (?:its|a|the) public test|opens (?:its|a|the) public test|"
                          r"appeared (?:in|on) (?:the )?app stores?)\b",
                          re.I)
# Clauses that give background, not news: "nine months after its app became available".
BACKGROUND = re.compile(r"\b(?:after|since|before|when|two years after|months after)\b[^.;]*$", re.I)
MODALITY = (
    ("launched", r"\bon sale\b(?! (?:next|later|from|in|on \w+ \d))|\bavailable now\b|\bnow "
                 r"available\b|\bbegan shipping\b|\bstarted shipping\b|\bshipping "
                 r"immediately\b|\bis out now\b|\bwent live\b|\bbecame (?:generally )?available\b|"
                 r"\bthe same day\b"),
    ("rumored", r"\breportedly\b|\bpeople (?:familiar|close|briefed|with knowledge|who have)|"
                r"\b(?:is|are|was|were) (?:widely )?expected to (?:announce|unveil|launch|release|"
                r"introduce|debut|show)\b|"
                r"\bsources?\b(?: said| say| told| familiar| with)|\baccording to (?:people|sources|"
                r"a person|two|three|supply|job listings)|\ba person (?:briefed|familiar)|\brumou?r|"
                r"\bis said to\b|\bare said to\b|\bleak|"
                r"\bword (?:in|on|around) the (?:industry|market|street)\b|"
                r"\bword (?:is|has it|says) that\b|\bword says\b|"
                # Hearsay, as translated Chinese media puts it (据报道): "according to reports".
                r"\baccording to (?:(?:media|press|news|local|earlier|some|several|multiple|"
                r"foreign|online) )?reports\b(?=\s*[,.;]|\s+(?:that|in|from|say)\b)"),
    ("planned", r"\bplans? to\b|\bplanning to\b|\bintends? to\b|\bdue (?:for release|out|to "
                r"(?:launch|arrive|ship|go on sale))\b|"
                r"\b(?:is|are) to (?:offer|launch|release|sell|introduce|bring|roll out)\b|"
                r"\bwill (?:launch|release|roll|"
                r"debut|introduce|bring|open|ship|start|go online|go live)|"
                r"\bset to (?:launch|release|debut)|"
                r"\bexpected to (?:launch|release|debut|arrive)|\baims? to (?:launch|release)|"
                r"\bexpects? to (?:launch|release|ship|unveil|debut|introduce)\b|"
                r"\bnext (?:year|month|quarter|week)\b|\blater this year\b|\bcoming soon\b|"
                r"\btomorrow\b"),
    ("announced", r"\bannounc|\bunveil|\bpre-?orders?\b|\bintroduc|\brevealed\b|\bwill be "
                  r"available|\bwill go on sale|\bwill ship\b|\bavailable (?:from|starting|next|"
                  r"in (?:january|february|march|april|may|june|july|august|september|"
                  r"october|november|december|the spring|the fall|autumn|summer|winter))"),
)
# Leads that tell another kind of story: funding, earnings, deals, shutdowns, hiring,
# lawsuits and regulators, feature updates and price cuts. Not launch coverage.
OTHER_STORY = re.compile(
    r"\b(?:rais(?:ed|es|ing) \$?[\d.]+|funding round|series [a-f] round|seed round|earnings|"
    r"quarterly results|(?:first|second|third|fourth)[- ]quarter (?:revenue|results|profit)|"
    r"acquir(?:e|es|ed|ing)|acquisition|agreed to buy|to buy \w+ for|shut(?:s|ting)? down|"
    r"will close|layoffs?|lays? off|laid off|cuts? \d+ jobs|hires?|hired|appoint|lawsuit|sued|"
    r"fine[sd]?\b|adds? (?:a |an |support)|gets? (?:a |an )|now lets|update[sd]? (?:its|the)|"
    r"new feature|redesign|cut (?:the )?prices?|price cut|cuts? (?:the )?price|profit|net income|"
    r"postpone|work together|partner(?:ship|ed|s)? with|"
    r"lower(?:s|ing|ed)? the price|price (?:drop|cut)s?|discount|watchdog|regulators?|"
    r"privacy (?:authority|regulator)|bann?ed|blocked|probe|investigation|antitrust|deliveries|"
    r"in (?:market )?value|is coming to|comes to|reverses course|requested features?|"
    r"(?:web|desktop) version)\b", re.I)
# Milestones of a launched product: coverage of its launch story, but not a launch.
MILESTONE = re.compile(r"\b(?:passed (?:one|\d)|passes|crossed|milestone|"
                       r"downloads?, (?:two|three|\d+) years)\b", re.I)


def _not_a_launch(lead: str) -> bool:
    return bool(OTHER_STORY.search(lead) or MILESTONE.search(lead))


NEGATION = re.compile(r"\b(?:has not|hasn't|have not|haven't|did not|didn't|won't|will not|"
                      r"does not plan|no plans to|not yet|declined to launch|scrapped|postponed|"
                      r"cancell?ed|denied|shelved|pulled the plug)\b", re.I)
HYPOTHETICAL = re.compile(r"\bif\b.*\b(?:would|could)\b|\b(?:would|could)\b.*\bif\b", re.I)


@dataclass
class LaunchFact:
    company: Span | None
    product: Span
    modality: str
    sentence: Span


def _tech(doc: Doc) -> dict[int, Span]:
    return {i: ent for ent in doc.ents if ent.label_ in {"COMPANY", "APP", "PRODUCT"}
            for i in range(ent.start, ent.end)}


def _tech_in(sent: Span, by_token: dict[int, Span]) -> list[Span]:
    """A sentence's companies, apps and products, in order (`sent.ents` rebuilds every Span
    of the doc on each call)."""
    return [ent for i in range(sent.start, sent.end) if (ent := by_token.get(i)) is not None
            and ent.start == i]


def sentence_modality(sent: Span) -> str:
    """Rumour first (a rumoured plan is a rumour), then launched-now words, then plans and
    announcements; a plain launch verb means launched."""
    text = sent.text
    order = ("rumored", "launched", "planned", "announced")
    cues = dict(MODALITY)
    for modality in order:
        if re.search(cues[modality], text, re.I):
            return modality
    return "launched"


AVAILABLE_LATER = re.compile(r"\bwill be available\b|\bwill go on sale\b|\bwill ship\b|"
                             r"\bpre-?orders?\b|\bavailable (?:from|starting|later|next)\b", re.I)


def lead_modality(doc: Doc, modality: str) -> str:
    """How far along the article's launch is, told anywhere in its lead: a launch whose lead
    says it goes on sale or ships later is an announcement, unless the lead also says it is
    on sale now. (Raising an unveiling to a launch on a lead's "available now" cost the
    team's set a right answer and gained none on the dev split: not done.)"""
    if modality != "launched":
        return modality
    lead = " ".join(sent.text for sent in list(doc.sents)[:3])
    if AVAILABLE_LATER.search(lead) and not re.search(dict(MODALITY)["launched"], lead, re.I):
        return "announced"
    return modality


def _maker_in_name(product: Span) -> Span | None:
    """The known maker a product's name opens with ("Microsoft Fabric", "Google Pixel 8")."""
    for end in range(product.end - 1, product.start, -1):
        canonical = company_spellings().get(product.doc[product.start:end].text)
        if canonical is not None:
            return Span(product.doc, product.start, end, label="COMPANY", kb_id=canonical)
    return None


def _company_for(sent: Span, product: Span, by_token: dict[int, Span]) -> Span | None:
    doc = sent.doc
    # "Halvard's upcoming Tarsi 3": the owner named before the product, over a brand its
    # name opens with.
    for start in range(product.start - 1, max(sent.start, product.start - 4) - 1, -1):
        if doc[start].tag_ == "POS":
            owner = by_token.get(start - 1)
            if owner is not None and owner.label_ == "COMPANY" and owner.end == start:
                return owner
            break
    maker = _maker_in_name(product)
    if maker is not None:
        return maker
    companies = [e for e in _tech_in(sent, by_token) if e.label_ == "COMPANY"
                 and e.start != product.start]
    before = [e for e in companies if e.end <= product.start]
    # The sentence's subject over a company named inside its description ("Halvard Robotics,
    # a startup backed by a former Google chief, has unveiled …").
    subjects = [e for e in before if e.root.dep_ in {"nsubj", "nsubjpass"}]
    if subjects:
        return subjects[0]
    return (before or companies or [None])[-1] if companies else None


def sentence_facts(sent: Span, by_token: dict[int, Span]) -> list[LaunchFact]:
    """Launches stated in one sentence; none when it is negated or hypothetical."""
    text = sent.text  # spaCy joins a span's tokens anew on every read
    if NEGATION.search(text) or HYPOTHETICAL.search(text):
        return []
    spun_off = _spun_off(sent, by_token, text)
    if spun_off is not None:
        # "carved out of WeChat as a standalone app named X": X, Tencent's; "it will be
        # spun off as a standalone APP": a spin-off another sentence names, not WeChat.
        return spun_off
    facts = []
    for token in sent:
        offered = token.lemma_.lower() in {"offer", "sell"} and token.head.lemma_ == "be" \
            and any(c.lower_ == "to" for c in token.children)  # "Pennock is to offer X"
        if token.pos_ in {"VERB", "NOUN"} and token.lemma_.lower() in TRANSITIVE or offered:
            if _in_background_clause(token):
                continue  # "two years after Marelo Labs released it"
            objects = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass", "pobj", "attr"}]
            if any(c.dep_ == "dobj" and (c.lemma_.lower() in FEATURE_NOUNS or "in-app" in
                                          sent.doc[c.left_edge.i:c.i].text.lower())
                   for c in objects):
                continue  # "Uber is launching an in-app translation tool": a feature
            # "opened a public beta of X", "released a preview of X": what the beta is of.
            objects += [g for c in list(objects) if c.lemma_.lower() in PREVIEW_NOUNS
                        for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                        for g in p.children if g.dep_ == "pobj"]
            if _an_organisation(token):
                continue  # "the launch of a new organization, xAI": a company is founded
            # "the launch of Threads"; not "launched in Leeds", a place.
            objects += [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                        for g in c.children if g.dep_ == "pobj"
                        and token.lemma_.lower() in {"launch", "release", "debut"}]
            product = (_product_in(objects, by_token) or _proper_object(objects)
                       or _named_after(token, by_token) or _named_later(sent, objects)
                       or _named_like_its_maker(token, objects, by_token))
            if product is not None and _launchable(product):
                facts.append(LaunchFact(_company_for(sent, product, by_token), product,
                                        sentence_modality(sent), sent))
    if not facts:
        facts = _introduced(sent, by_token)
    match = None if facts else INTRANSITIVE.search(text)
    if match and not BACKGROUND.search(text[:match.start()]):
        # The launched thing is the subject ("X went live"), except where the phrase names
        # it after ("opened preorders for X", "handed the first X to customers").
        after_ok = re.search(r"pre-?orders|handed|made|makes|making|spun off", match.group(0),
                             re.I)
        limit = len(text) if after_ok else match.start()
        products = [e for e in _tech_in(sent, by_token) if e.label_ in {"APP", "PRODUCT"}
                    and e.start_char - sent.start_char < limit
                    and (after_ok or not _in_a_phrase_of(e))]
        if "spun off" in match.group(0):
            # "the orchard game of X was spun off as a standalone APP named Y": Y is new.
            named = [e for e in products if e.start_char - sent.start_char >= match.end()]
            products = named or products
        product = products[0] if products else _unlisted_product(sent, limit, by_token)
        if product is not None and _launchable(product):
            facts.append(LaunchFact(_company_for(sent, product, by_token), product,
                                    sentence_modality(sent), sent))
    return facts


def _introduced(sent: Span, by_token: dict[int, Span]) -> list[LaunchFact]:
    """A product introduced as new without a launch verb: "Ai2's Olmo 2 1B is a new
    1-billion-parameter model", "ChatGPT Agent is a new tool from OpenAI", "Alibaba's new
    chip, the Zhenwu M890, …", "OpenAI's new ChatGPT Agent can …", "has a new app called X"."""
    for ent in _tech_in(sent, by_token):
        if ent.label_ not in {"APP", "PRODUCT"} or not _launchable(ent):
            continue
        root = ent.root
        head = root.head
        # "X is a new tool": X the subject of "be", its attribute described as new.
        is_new = root.dep_ == "nsubj" and head.lemma_ == "be" and any(
            child.dep_ == "attr" and any(g.lower_ == "new" for g in child.children)
            for child in head.children)
        # "Alibaba's new chip, the Zhenwu M890": a new noun with the name set beside it.
        beside = root.dep_ == "appos" and any(g.lower_ == "new" for g in head.children)
        # "OpenAI's new ChatGPT Agent", "a new app called Shelf".
        before = sent.doc[max(sent.start, ent.start - 2):ent.start]
        # Not "building a radio into the new iPhone 6": a new thing named in passing.
        described = any(t.lower_ == "new" for t in before) and root.dep_ != "pobj" \
            or ent.start >= 2 and sent.doc[ent.start - 1].lower_ in {"called", "named", "dubbed"} \
            and any(t.lower_ == "new" for t in sent.doc[max(sent.start, ent.start - 5):ent.start])
        # "Halvard's upcoming Halvard Go 3 phones will …": a product still to come.
        upcoming = any(t.lower_ in {"upcoming", "forthcoming"} for t in before) \
            and root.dep_ != "pobj"
        if is_new or beside or described or upcoming:
            modality = sentence_modality(sent)
            if upcoming and modality == "launched":
                modality = "planned"
            return [LaunchFact(_company_for(sent, ent, by_token), ent, modality, sent)]
    return []


# A feature made an app of its own, as commentary translated from Chinese tells it:
# "Channels Lite, carved out of WeChat", "carved Roaming Notes out of Little Red Book",
# "spun off from Alipay as a standalone app named Ant Fortune"; or one still to come:
# "ahead of its debut, Douyin's new shopping app Tide …".
SPIN_OFF = re.compile(r"\b(?:carved (?:[\w'’ -]+ )?out of|(?:spun|split|broken) (?:off|out)"
                      r"(?: (?:from|of))?)\b|\bahead of its (?:debut|launch|release)\b", re.I)
FROM_PARENT = re.compile(r"(?:of|from)$", re.I)
NAMED = re.compile(r"\b(?:named|called|dubbed)\s*$", re.I)
AN_APP = re.compile(r"\b(?:standalone|stand-alone|separate|independent|its own)\b[^.;]*?\b"
                    r"(?:app|application)\b", re.I)


def _spun_off(sent: Span, by_token: dict[int, Span], sentence: str) -> list[LaunchFact] | None:
    """A spin-off and its maker: the company the sentence (whose text is `sentence`) names,
    else the parent app's. None where the sentence tells of no spin-off of an app."""
    match = SPIN_OFF.search(sentence)
    if match is None:
        return None
    doc, text = sent.doc, sent.doc.text  # `doc.text` joins every token on each read
    at, end = sent.start_char + match.start(), sent.start_char + match.end()
    ahead = match.group(0).lower().startswith("ahead")
    tech = _tech_in(sent, by_token)
    # What it came out of: an app named right after "out of" or "from".
    parent = next((e for e in tech if end <= e.start_char <= end + 24 and e.label_ != "PRODUCT"
                   and not NAMED.search(text[sent.start_char:e.start_char])), None) \
        if FROM_PARENT.search(match.group(0)) else None
    # The spin-off is an app whatever the model called it ("Channels Lite, carved out of …").
    candidates = [e for e in tech if e is not parent and _launchable(e)
                  and (e.label_ != "COMPANY" or not e.kb_id_ or e.kb_id_ == e.text)
                  and not (e.end < len(doc) and doc[e.end].tag_ == "POS")]
    named = [e for e in candidates if NAMED.search(text[sent.start_char:e.start_char])]
    inside = [e for e in candidates if at < e.start_char < end]
    before = [e for e in candidates if e.end_char <= at]
    after = [e for e in candidates if e.start_char >= end]
    if not (ahead or parent is not None and parent.label_ == "APP" or AN_APP.search(sentence)):
        return None  # "Siemens spun off Siemens Energy": a company's, not an app's
    product = (named or inside or before[-1:] or (after if ahead else []) or [None])[0]
    if product is None or product.label_ == "COMPANY" and product.kb_id_ in company_spellings():
        return []
    if product.label_ == "COMPANY":
        product = Span(doc, product.start, product.end, label="APP", kb_id=product.kb_id_)
    # The company the sentence tells of ("Tencent spun off …", "ByteDance confirmed that …"),
    # else the parent's maker: "carved out of WeChat" is Tencent's, "Douyin's new app"
    # ByteDance's; not a company the spin-off's name opens with ("Orange Theatre").
    company = next((e for e in tech if e.label_ == "COMPANY" and e.start < product.start
                    and e.root.dep_ in {"nsubj", "nsubjpass"}), None)
    if company is None:
        owner = parent or next((e for e in tech if e.end <= product.start and (
            e.end < len(doc) and doc[e.end].tag_ == "POS" or (e.kb_id_ or e.text) in makers())),
            None)
        if owner is not None and not makers().get(owner.kb_id_ or owner.text):
            # "carved out of Jitter (Douyin)": the name in brackets may be the known one.
            owner = next((e for e in tech if e.start == owner.end + 1 and doc[owner.end].text
                          == "(" and (e.kb_id_ or e.text) in makers()), owner)
        maker = makers().get(owner.kb_id_ or owner.text) if owner is not None else None
        company = None if owner is None or not (maker or owner.label_ == "COMPANY") else Span(
            doc, owner.start, owner.end, label="COMPANY", kb_id=maker or owner.kb_id_)
    modality = sentence_modality(sent)
    if ahead and modality == "launched":
        modality = "announced"  # not out yet, and told of
    return [LaunchFact(company, product, modality, sent)]


def _in_a_phrase_of(ent: Span) -> bool:
    """"Meta's app, built on top of Instagram accounts, arrived": Instagram hangs off a
    preposition and is not what arrived."""
    root = ent.root
    return root.dep_ == "pobj" or root.dep_ == "compound" and root.head.dep_ == "pobj"


def _launchable(product: Span) -> bool:
    """Platforms and places are where a launch happens, not what is launched."""
    return not ONE_PLATFORM.fullmatch(product.text) and product.root.ent_type_ not in {"GPE", "LOC"} \
        and not (len(product) == 1 and names.noun_label(product.text))  # "SUV", "Phone"


def _unlisted_product(sent: Span, limit: int, by_token: dict[int, Span]) -> Span | None:
    """A launch sentence's product the entity rules missed: its first capitalised name that is
    not its company ("… a smart thermostat called the Wintergate Dial"), within `limit`
    characters of the sentence's start."""
    # Not the company, nor a name hanging off a preposition ("built on top of Instagram").
    companies = {i for e in _tech_in(sent, by_token) if e.label_ == "COMPANY"
                 or e.label_ in {"APP", "PRODUCT"}
                 and _in_a_phrase_of(e) and e.end_char - sent.start_char <= limit
                 and limit < len(sent.text) for i in range(e.start, e.end)}
    for token in sent:
        if token.idx - sent.start_char >= limit:
            break
        if token.i in companies or token.i == sent.start or not token.text[:1].isupper():
            continue
        name = names.name_at(sent.doc, token.i)
        if name is not None and name.root.ent_type_ not in {"GPE", "PERSON", "DATE", "NORP", "LOC"}:
            doc, end = sent.doc, name.end
            if end + 1 < sent.end and doc[end].lower_ == "of" and doc[end + 1].text[:1].isupper():
                end += 2  # titles of games and shows: "Lanterns of Vell"
            return Span(doc, name.start, end, label="PRODUCT")
    return None


def _in_background_clause(verb: Token) -> bool:
    clause = verb
    for _ in range(3):
        if any(c.dep_ == "mark" and c.lower_ in {"after", "since", "before", "until", "when"}
               or c.dep_ == "advmod" and c.lower_ == "when" and c.i < clause.i
               for c in clause.children):
            return True  # "When OpenAI first unveiled GPT-4, …": told as background
        if clause.dep_ == "pcomp" and clause.head.lower_ in {"after", "since", "before"}:
            return True
        if clause.head == clause:
            break
        clause = clause.head
    return False


def _object_phrase(token: Token) -> list[Token]:
    """An object and its own words, not the phrases hanging off it ("an agent mode for
    Hexley Coder" is an agent mode)."""
    words = [token]
    for child in token.children:
        if child.dep_ in {"compound", "appos", "amod", "nmod", "nummod", "det", "poss", "punct"}:
            words.extend(child.subtree if child.dep_ == "appos" else [child])
        elif child.dep_ in {"acl", "oprd"} and child.lower_ in {"called", "named", "dubbed", "known"}:
            words.extend(child.subtree)  # "an AI search engine called Findlay Search"
    return words


GENERIC_OBJECT = re.compile(r"^(?:its|a|an|the|their)\b.*?\b(app|service|card|version|model|"
                            r"phone|smartphone|handset|brand|line|car|sedan|earbuds|lawnmower|mower|"
                            r"device|product|robot|laptop|console|tablet|watch|headset|platform|"
                            r"tool|assistant|chatbot)s?\b", re.I)


def _proper_object(objects: list[Token]) -> Span | None:
    """A launch verb's proper-noun object the entity rules did not name ("released Lumenfold")."""
    for token in objects:
        if token.pos_ == "PROPN" and token.ent_type_ not in {"GPE", "PERSON", "DATE", "NORP", "LOC"}:
            name = names.name_at(token.doc, token.left_edge.i if token.left_edge.pos_ == "PROPN"
                                 else token.i)
            if name is not None:
                return Span(token.doc, name.start, name.end, label="PRODUCT")
    return None


def _named_after(verb: Token, by_token: dict[int, Span]) -> Span | None:
    """An app or product named straight after the verb, where the parse lost the object
    ("Tarnwell announced the Tarnwell Go on Tuesday")."""
    i = verb.i + 1
    while i < verb.sent.end and verb.doc[i].lower_ in {"the", "its", "a", "an", "new", "first"}:
        i += 1
    ent = by_token.get(i)
    return ent if ent is not None and ent.start == i and ent.label_ in {"APP", "PRODUCT"} else None


SERVICE_OBJECT = re.compile(r"^(?:its|a|an|the|their)\b.*\b(?:app|service|platform|marketplace|"
                            r"website|site)s?\b", re.I)


def _named_like_its_maker(verb: Token, objects: list[Token], by_token: dict[int, Span]) -> Span | None:
    """"Jakarta startup Fyndra launches a group-buying app": a startup's unnamed app or
    service goes by the startup's name."""
    if not objects:
        return None
    phrase = verb.doc[objects[0].left_edge.i:objects[0].i + 1].text
    subject, clause = None, verb
    for _ in range(3):  # "Pickwell intends to launch its app": the subject of "intends"
        subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if subject is not None or clause.dep_ not in {"xcomp", "ccomp"}:
            break
        clause = clause.head
    if subject is None or not SERVICE_OBJECT.match(phrase):
        return None
    # "São Paulo startup Maruvo launches …": the company named in the subject phrase.
    company = next((by_token[t.i] for t in subject.subtree if t.i in by_token
                    and by_token[t.i].label_ == "COMPANY"), None)
    if company is None:
        return None
    return Span(company.doc, company.start, company.end, label="APP", kb_id=company.kb_id_)


def _named_later(sent: Span, objects: list[Token]) -> Span | None:
    """"plans to launch a credit card … The product, to be called Bellhaven Card": a launch
    of a thing not yet named takes the first product the next sentences name."""
    if not objects:
        return None
    phrase = sent.doc[objects[0].left_edge.i:objects[0].right_edge.i + 1].text
    if not GENERIC_OBJECT.match(phrase):
        return None
    doc = sent.doc
    later = doc[objects[0].i + 1:min(sent.end + 60, len(doc))]
    # A device is named by a PRODUCT, a service by an APP; "brand", "line" or "product" by either.
    wanted = names.noun_label(GENERIC_OBJECT.match(phrase).group(1)) or "APP PRODUCT"
    return next((e for e in doc.ents if e.label_ in {"APP", "PRODUCT"} and e.label_ in wanted
                 and later.start <= e.start and e.end <= later.end
                 and not ONE_PLATFORM.fullmatch(e.text)), None)


ORGANISATIONS = frozenset({"organization", "organisation", "venture", "lab", "nonprofit"})


def _an_organisation(noun: Token) -> bool:
    """"a new venture", "a new organization", also as "the launch of a new organization"."""
    if noun.lemma_.lower() in {"launch", "release", "debut"}:
        return any(_an_organisation(g) for c in noun.children if c.dep_ == "prep"
                   and c.lower_ == "of" for g in c.children if g.dep_ == "pobj")
    return names.noun_label(noun.text) == "COMPANY" or noun.lemma_.lower() in ORGANISATIONS


def _product_in(tokens: list[Token], by_token: dict[int, Span]) -> Span | None:
    """The launched thing among a launch verb's objects. What is launched is a product even
    where the entity rules took its name for a company's ("launched the Skerrywing Mini")."""
    for token in tokens:
        if _an_organisation(token):
            continue  # "announced a new venture, Quarrystone AI": a company, not a product
        phrase = _object_phrase(token)
        for t in phrase:
            ent = by_token.get(t.i)
            if ent is not None and ent.label_ in {"APP", "PRODUCT"} and _launchable(ent):
                return ent  # "three new Mac processors, the M3, …": the M3, not the Mac
        named = next((by_token[t.i] for t in phrase if t.i in by_token and t.i != token.i
                      and t.dep_ in {"appos", "oprd", "dobj", "attr"}), None)
        if named is not None:  # "its route-planning service, Routemere Fleet,"
            return Span(named.doc, named.start, named.end, label="PRODUCT", kb_id=named.kb_id_)
        ent = by_token.get(token.i)
        if ent is not None and len(ent) > 1:
            return Span(ent.doc, ent.start, ent.end, label="PRODUCT", kb_id=ent.kb_id_)
    return None


SCENE_LINES, SCENE_WORDS = 2, 10


def _a_scene(sent: Span) -> bool:
    return sum(1 for token in sent if token.is_alpha) <= SCENE_WORDS and not any(
        ent.label_ in {"COMPANY", "APP", "PRODUCT"} for ent in sent.ents)


def article_launch(doc: Doc, facts: list[LaunchFact]) -> LaunchFact | None:
    """The one launch an article is about: a launch stated in its opening sentences whose
    product the article keeps naming, unless the opening tells another kind of story or
    says the product has not launched."""
    sentences = list(doc.sents)
    denied = {e.kb_id_ or e.text for sent in sentences[:2] if NEGATION.search(sent.text)
              for e in sent.ents if e.label_ in {"APP", "PRODUCT"}}
    facts = [f for f in facts if (f.product.kb_id_ or f.product.text) not in denied]
    # A commentary's scene ("Things have been noisy lately. Then it went quiet.") comes
    # before its opening: short lines that name nothing.
    scene = 0
    while scene < min(SCENE_LINES, len(sentences) - 1) and _a_scene(sentences[scene]):
        scene += 1
    if scene and genre(doc) != COMMENTARY:
        scene = 0  # a report's short opening is its lead
    opening = sentences[scene:scene + 3]
    lead = " ".join(s.text for s in opening[:2])
    early = [f for f in facts if f.sentence.start < (opening[-1].end if opening else 0)]
    if not early:
        return None
    if _not_a_launch(lead) and not any(f.sentence == opening[0] for f in early):
        return None
    mentions: dict[str, int] = {}
    for ent in doc.ents:
        if ent.label_ in {"APP", "PRODUCT"}:
            key = ent.kb_id_ or ent.text
            mentions[key] = mentions.get(key, 0) + 1
    return max(early, key=lambda f: (mentions.get(f.product.kb_id_ or f.product.text, 0),
                                     -f.sentence.start))


@Language.factory("launchwire_launches", default_config={})
def make_launch_detector(nlp: Language, name: str) -> "LaunchDetector":
    return LaunchDetector()


class LaunchDetector:
    """Sets `doc._.launch_facts` (every sentence's launches) and `doc._.launch` (the one
    launch the text is about, or None)."""

    def __call__(self, doc: Doc) -> Doc:
        by_token = _tech(doc)
        facts = [fact for sent in doc.sents for fact in sentence_facts(sent, by_token)]
        doc._.launch_facts = facts
        doc._.launch = article_launch(doc, facts)
        doc._.story_kind = "launch" if doc._.launch is not None else (
            "other" if OTHER_STORY.search(" ".join(s.text for s in list(doc.sents)[:2]))
            else "coverage")
        return doc


# Headlines (#13): a launch is often told in the title alone ("HeyGen launches Avatar IV")
# while the lead describes the product. Headlines in Title Case are set in sentence case
# for the parser ("Meta Releases Muse Code" -> "Meta releases Muse Code").
HEADLINE_SMALL_WORDS = frozenset(
    "a an the and or but for nor on in at to by of with from as into its it is are be new now "
    "vs via over up out than this that after before ahead".split())
# What a company adds to a product it already has, not a product of its own.
FEATURE_NOUNS = frozenset({"feature", "redesign", "update", "setting", "option", "mode",
                           "integration", "translation", "control", "upgrade"})
HEADLINE_VERB = re.compile(
    r"^(?:launch|releas|unveil|introduc|debut|roll|ship|announc|open|reveal|preview|bring|add|"
    r"get|go|come|arriv|mak|expand|start|begin|plan|prepar|teas|drop|offer|build|tak|rais|buy|"
    r"acquir|sue|cut|say|tell|unleash|deploy)(?:e|es|ed|d|s|ing)?$", re.I)
# Words telling that a title names no new product but a feature, a programme or a fund.
NOT_A_PRODUCT = re.compile(r"\b(?:features?|controls|integrations?|translations?|redesign|"
                           r"upgrades?|competition|fund|program(?:me)?|"
                           r"initiative|grants?|update|settings|options?|mode|contest|"
                           r"prize|challenge)\b", re.I)
HEADLINE_HINT = re.compile(r"\b(?:launch|releas|unveil|introduc|debut|roll|ship|reveal|preview|"
                           r"available|arriv|plan|prepar|to (?:unveil|launch|release)|"
                           r"goes on sale|opens?|new)\w*", re.I)


def headline_text(title: str) -> str:
    """A headline as the parser reads it best: Title Case set in sentence case."""
    words = title.split()
    alphabetic = [word for word in words if word[:1].isalpha()]
    if not alphabetic or sum(word[:1].isupper() for word in alphabetic) < 0.6 * len(alphabetic):
        return title
    out = []
    for index, word in enumerate(words):
        core = word.strip(":,.!?'\"‘’“”")
        if index and core[:1].isupper() and core[1:].islower() and (
                core.lower() in HEADLINE_SMALL_WORDS or HEADLINE_VERB.match(core)):
            word = word.replace(core, core.lower(), 1)
        out.append(word)
    return " ".join(out)


def worth_reading(title: str | None) -> bool:
    """Whether a title may tell a launch (the others are not run through the pipeline)."""
    return bool(title and HEADLINE_HINT.search(title))


def headline_fact(title: Doc) -> LaunchFact | None:
    """The launch a headline tells, unless it tells another kind of story (funding, a deal),
    denies it, or names a feature, a programme or a fund."""
    if OTHER_STORY.search(title.text) or NEGATION.search(title.text):
        return None
    features = re.search(r"\bfeatures?\b", title.text, re.I)
    by_token = _tech(title)
    for sent in title.sents:
        for fact in sentence_facts(sent, by_token):
            root = fact.product.root
            if features and (features.start() < fact.product.start_char or root.dep_ == "pobj"):
                continue  # "… launches new features for X"; not "X unveils Y 2, new features"
            if root.dep_ in {"nsubj", "nsubjpass"} and any(
                    child.dep_ == "dobj" for child in root.head.children):
                continue  # "Rookery Health rolls out Nightjar …": the subject is the maker
            if not NOT_A_PRODUCT.search(fact.product.text) and len(fact.product.text) > 1:
                return fact
    if features:
        return None
    return next(filter(None, (_described_launch(sent) for sent in title.sents)), None)


COLLECTIVES = frozenset({"set", "suite", "range", "family", "line", "lineup", "series", "pair",
                         "trio", "duo", "collection"})


def described_lead_launch(doc: Doc) -> LaunchFact | None:
    """"Halvard Labs unveiled a new storm forecasting model": an opening
    sentence in which a named maker launches a new thing it describes rather than names,
    unless the lead tells another kind of story."""
    first = next(iter(doc.sents), None)
    if first is None or _not_a_launch(first.text) or NEGATION.search(first.text) \
            or HYPOTHETICAL.search(first.text):
        return None
    fact = _described_launch(first)
    if fact is None or not any(t.lower_ == "new" for t in
                               doc[max(0, fact.product.start - 3):fact.product.end]):
        return None
    return fact


def _described_launch(sent: Span) -> LaunchFact | None:
    """"Avride launches sidewalk delivery bots", "Capsule introduces its AI-powered video
    editor": a named maker launching a thing the headline describes rather than names; what
    it launches must be an app or a product by its nouns ("bots", "editor"), not a fund."""
    for verb in sent:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in TRANSITIVE:
            continue
        thing = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if thing is not None and thing.lemma_.lower() in COLLECTIVES:
            # "a new set of tools for shops": what the set is of
            thing = next((g for c in thing.children if c.dep_ == "prep" and c.lower_ == "of"
                          for g in c.children if g.dep_ == "pobj"), thing)
        maker = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if maker is None and verb.dep_ in {"advcl", "xcomp"} and verb.head.dep_ == "ROOT":
            maker = verb.head  # "Uber Eats to launch Google-powered chatbot"
        # A headline's first word is capitalised whatever it is: a singular one may be a
        # startup's name the parser does not know ("Avride launches …"); "Researchers" not.
        if thing is None or maker is None or not (
                maker.pos_ == "PROPN" or maker.text[:1].isupper() and maker.tag_ == "NN"):
            continue
        words = [t for t in sent.doc[thing.left_edge.i:thing.i + 1]
                 if t.dep_ not in {"det", "poss"} and t.lower_ not in {"new", "its", "their"}]
        label = next((names.word_label(t) for t in reversed(words)
                      if names.word_label(t) in {"APP", "PRODUCT"}), None)
        if label is None or not words or NOT_A_PRODUCT.search(" ".join(t.text for t in words)):
            continue
        company = next((e for e in sent.ents if e.label_ in {"COMPANY", "APP"}
                        and e.start <= maker.i < e.end), None) or names.name_ending_at(
            sent.doc, maker.i + 1)
        if company is None:
            continue
        product = Span(sent.doc, words[0].i, words[-1].i + 1, label=label)
        modality = sentence_modality(sent)
        if modality == "launched" and any(c.dep_ == "aux" and c.lower_ == "to"
                                          for c in verb.children):
            modality = "planned"  # a headline's "X to launch Y" is a plan
        return LaunchFact(Span(sent.doc, company.start, company.end, label="COMPANY",
                               kb_id=company.kb_id_), product, modality, sent)
    return None
