"""Analyse texts with the pipeline into plain dataclasses (DESIGN's `analyze` contract)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from itertools import repeat
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.genre import COMMENTARY, NEWS, genre
from nlp.launch_details import launch_details, stated_day
from nlp.launches import (
    NOT_A_PRODUCT, LaunchFact, described_lead_launch, headline_fact, headline_text,
    lead_modality, worth_reading,
)
from nlp.names import TECH_LABELS
from nlp.quotes import quotable_sentences, quote_budget
from nlp.summarize import summary_length, textrank_sentences


@dataclass
class Entity:
    text: str
    label: str
    start: int
    end: int
    canonical: str
    sentence: str = field(default="", repr=False)


@dataclass
class Metric:
    subject: str | None
    metric: str
    value: float
    unit: str | None
    qualifier: str
    modality: str
    text: str
    start: int
    end: int
    claimant: str = "outlet"
    as_of: str | None = None
    subject_label: str | None = None
    sentence: str = field(default="", repr=False)
    quotable: bool = False  # a public site may show its sentence (nlp.quotes)


@dataclass
class Launch:
    company: str | None
    product: str
    modality: str
    date: str | None
    sentence: str
    platform: str | None = None
    region: str | None = None
    price: str | None = None
    start: int = 0
    end: int = 0
    product_label: str = "PRODUCT"
    about: bool = True  # the launch the article is about, not one it mentions in passing
    quotable: bool = False  # a public site may show its sentence (nlp.quotes)


@dataclass
class Analysis:
    entities: list[Entity]
    metrics: list[Metric]
    launches: list[Launch]
    summary: str
    launch_facts: list[Launch] = field(default_factory=list)
    summary_sentences: list[str] = field(default_factory=list)
    kind: str = "coverage"  # launch, other (funding, earnings, a deal…) or coverage
    genre: str = NEWS  # news, or commentary that argues (nlp.genre)

    def to_contract(self) -> dict:
        """The JSON shape DESIGN.md promises for `launchwire analyze`."""
        def public(item: object, hidden: set[str]) -> dict:
            return {k: v for k, v in asdict(item).items() if k not in hidden}

        launch_hidden = {"product_label", "start", "end", "about", "quotable"}

        return {
            "entities": [public(e, {"sentence"}) for e in self.entities],
            "metrics": [public(m, {"sentence", "subject_label", "quotable"}) for m in self.metrics],
            "launches": [public(launch, launch_hidden) for launch in self.launches],
            "launch_facts": [public(fact, launch_hidden) for fact in self.launch_facts],
            "summary": self.summary,
            "genre": self.genre,
        }

    def to_record(self) -> dict:
        """Everything, as plain data for storage."""
        return asdict(self)


def canonical_name(span: Span) -> str:
    text = span.text.strip(" \"'“”‘’")
    return re.sub(r"(?:'s|’s)$", "", text)


def _entities(doc: Doc) -> list[Entity]:
    return [Entity(ent.text, ent.label_, ent.start_char, ent.end_char,
                   ent.kb_id_ or canonical_name(ent), ent.sent.text.strip())
            for ent in doc.ents if ent.label_ in TECH_LABELS]


def _metrics(doc: Doc, published: str | None) -> list[Metric]:
    found = []
    for figure in doc._.metrics:
        subject = figure.subject
        found.append(Metric(
            subject=(subject.kb_id_ or canonical_name(subject)) if subject is not None else None,
            metric=figure.metric, value=figure.value, unit=figure.unit,
            qualifier=figure.qualifier, modality=figure.modality, text=figure.span.text,
            start=figure.span.start_char, end=figure.span.end_char, claimant=figure.claimant,
            # "as of June 30", "on Tuesday": the day the sentence gives, else the article's.
            as_of=stated_day([figure.span.sent], published) or (published or "")[:10] or None,
            subject_label=subject.label_ if subject is not None else None,
            sentence=figure.span.sent.text.strip()))
    return found


# A lead that presents the headline's "launch" as a feature of an existing product.
FEATURE_LEAD = re.compile(r"\b(?:is|are) an? (?:[\w-]+ ){0,3}feature\b|\bnew features?\b", re.I)
IS_A_FEATURE = re.compile(r"\b(?:is|are) an? (?:[\w-]+ ){0,3}feature\b", re.I)


def _called_a_feature(doc: Doc, product: Span) -> bool:
    """Whether the lead calls the headline's product a feature, in a sentence that names it
    ("Kestrel Canvas is a new feature …") or that names nothing ("It is a feature …"); a
    lead's "new features" of something else ("a host of new features for its users") do
    not count."""
    name = product.text.lower()
    return any(FEATURE_LEAD.search(sent.text) and name in sent.text.lower()
               or IS_A_FEATURE.search(sent.text) and not any(
                   e.label_ in {"APP", "PRODUCT"} for e in sent.ents)
               for _, sent in zip(range(2), doc.sents))


def _main_company(doc: Doc) -> Span | None:
    """The company the text names most often (the first named on a tie)."""
    named: dict[str, list[Span]] = {}
    for ent in doc.ents:
        if ent.label_ == "COMPANY":
            named.setdefault(ent.kb_id_ or ent.text, []).append(ent)
    if not named:
        return None
    return max(named.values(), key=lambda spans: (len(spans), -spans[0].start))[0]


def _names_its_maker(fact: LaunchFact) -> bool:
    """A headline fact whose "product" is its company's name: the product went unnamed."""
    product = fact.product
    return product.label_ == "COMPANY" or fact.company is not None and _same_product(
        fact.company.text, product.text) or any(t.ent_type_ == "COMPANY" for t in product)


def _same_product(one: str, other: str) -> bool:
    one, other = one.lower(), other.lower()
    return one == other or one in other or other in one


def _headline_launch(doc: Doc, fact: LaunchFact, published: str | None) -> Launch:
    """A headline's launch, pointing to the text's first sentence that names its product (or
    its company, or the first sentence): every fact points to a sentence of the article."""
    sentences = [sent for sent in doc.sents if sent.text.strip()]
    wanted = [fact.product.text.lower()] + ([fact.company.text.lower()] if fact.company else [])
    anchor = next((sent for name in wanted for sent in sentences if name in sent.text.lower()),
                  sentences[0])
    at = anchor.text.lower().find(fact.product.text.lower())
    in_text = anchor.doc.char_span(anchor.start_char + at, anchor.start_char + at
                                   + len(fact.product.text), label=fact.product.label_) \
        if at >= 0 else None
    if in_text is not None:
        return _launch(doc, LaunchFact(fact.company, in_text, fact.modality, anchor), published,
                       about=True)
    return Launch(
        company=(fact.company.kb_id_ or canonical_name(fact.company)) if fact.company else None,
        product=fact.product.kb_id_ or canonical_name(fact.product),
        product_label=fact.product.label_, modality=fact.modality,
        date=(published or "")[:10] or None if fact.modality in {"launched", "announced"} else None,
        sentence=anchor.text.strip(), start=anchor.start_char, end=anchor.end_char, about=True)


def _launch(doc: Doc, fact: LaunchFact, published: str | None, about: bool) -> Launch:
    prices = [m.span for m in doc._.metrics if m.metric == "price"]
    details = launch_details(fact.sentence, fact.product, prices, published)
    sent = fact.sentence
    return Launch(
        company=(fact.company.kb_id_ or canonical_name(fact.company)) if fact.company is not None else None,
        product=fact.product.kb_id_ or canonical_name(fact.product),
        product_label=fact.product.label_, modality=fact.modality,
        # A launch told without its day happened when the article says so; a plan has no date yet.
        date=details.date or ((published or "")[:10] or None
                              if fact.modality in {"launched", "announced"} else None),
        sentence=sent.text.strip(), platform=details.platform, region=details.region,
        price=details.price, start=sent.start_char, end=sent.end_char, about=about)


def _launch_facts(doc: Doc, published: str | None) -> list[Launch]:
    """Every launch the text states, sentence by sentence; the one it is about is marked."""
    main = doc._.launch
    return [_launch(doc, fact, published, fact is main) for fact in doc._.launch_facts]


def article_launches(facts: list[Launch]) -> list[Launch]:
    """The launch the text is about (at most one), its details gathered from every sentence
    that states it ("… on Tuesday." then "It costs $599 in Europe.")."""
    main = next((fact for fact in facts if fact.about), None)
    if main is None:
        return []
    same = [fact for fact in facts if fact.product == main.product]
    fields = {name: next((getattr(f, name) for f in [main] + same if getattr(f, name)), None)
              for name in ("platform", "region", "price", "company")}
    return [replace(main, **fields)]


def mark_quotable(doc: Doc, facts: list[Launch], metrics: list[Metric],
                  argues: bool = False) -> list[str]:
    """The article's summary within its quoting budget (of a commentary, the sentences that
    carry its argument); marks which fact and figure sentences a public site may show beside
    it (#12)."""
    sentences = sum(1 for sent in doc.sents if sent.text.strip())
    budget = quote_budget(sentences)
    summary = textrank_sentences(doc, min(summary_length(sentences), budget), argues)
    ordered = sorted(facts, key=lambda fact: (not fact.about, fact.start))
    shown = quotable_sentences(summary, [fact.sentence for fact in ordered]
                               + [metric.sentence for metric in metrics], budget)
    for item in (*facts, *metrics):
        item.quotable = item.sentence in shown
    return summary


def _lead_product(doc: Doc, maker: Span | None) -> Span | None:
    """The first app or product the text's first two sentences name as the maker's own
    ("Hugging Face's Open Computer Agent") or as what a sentence is about, not a rival
    named in passing ("rivals such as Uber")."""
    maker_name = maker.text if maker is not None else None
    for _, sent in zip(range(2), doc.sents):
        for ent in sent.ents:
            if ent.label_ not in {"APP", "PRODUCT"}:
                continue
            owner = doc[max(sent.start, ent.start - 2):ent.start].text
            if maker_name and (owner.startswith(maker_name) or ent.text.startswith(maker_name)) \
                    or ent.root.dep_ in {"nsubj", "nsubjpass"}:
                return ent
    return None


def _named(span: Span) -> bool:
    """Whether a headline's product is a name, not a description ("a robot lawnmower")."""
    return any(ent.start == span.start and ent.end == span.end for ent in span.doc.ents)


def analyze_doc(doc: Doc, published: str | None = None, headline: Doc | None = None) -> Analysis:
    """Turn one processed Doc into an Analysis. A launch its headline (the processed title)
    tells is the one the article is about; the text says how far along it is, and gives the
    sentence the fact points to."""
    facts = _launch_facts(doc, published)
    told = headline_fact(headline) if headline is not None and doc.text.strip() else None
    if told is None and not any(fact.about for fact in facts) and not (
            headline is not None and NOT_A_PRODUCT.search(headline.text)):
        # "… unveiled a new storm forecasting model"; not under "… introduces Feed Controls"
        told = described_lead_launch(doc)
    if told is not None and _called_a_feature(doc, told.product):
        told = None  # "Google Sheets canvas is a Gemini-powered feature that …"
    if told is not None and _names_its_maker(told) and any(fact.about for fact in facts):
        told = None  # "Tindale Health launches at-home kidney test": the text names it
    if told is not None and not _named(told.product) and any(fact.about for fact in facts):
        told = None  # "Quenby Home will launch a robot lawnmower": the text names it
    if told is not None and not _named(told.product):
        # "Hugging Face releases a free agentic AI tool" over "Hugging Face's Open Computer
        # Agent is …": the product the lead names, where it names one.
        named = _lead_product(doc, told.company)
        if named is not None:
            told = replace(told, product=named)
    if told is not None:
        # The headline names what the article is about; the text, how far along it is
        # ("Google launches X" over "Google will release X next month").
        main = _headline_launch(doc, told, published)
        same = [fact for fact in facts if _same_product(fact.product, main.product)]
        if same:
            main = replace(main, modality=same[0].modality)
        facts = [replace(fact, about=False) for fact in facts] + [main]
        doc._.story_kind = "launch"
    launches = article_launches(facts)
    if launches:  # "X debuts Y …; it will go on sale next year": announced
        launches[0] = replace(launches[0], modality=lead_modality(doc, launches[0].modality))
    if launches and launches[0].company is None:
        # "The company today announced AWS AppFabric": the maker is the company the article
        # (or else its headline) names, where the launch sentence names none.
        maker = (told.company if told is not None else None) or _main_company(doc) or next(
            (e for e in (headline.ents if headline is not None else ()) if e.label_ == "COMPANY"),
            None)
        if maker is not None:
            launches[0] = replace(launches[0], company=maker.kb_id_ or canonical_name(maker))
    facts = [launches[0] if fact.about else fact for fact in facts]
    metrics = _metrics(doc, published)
    writing = genre(doc)
    summary = mark_quotable(doc, facts, metrics, argues=writing == COMMENTARY)
    if launches:
        launches[0].quotable = any(fact.quotable for fact in facts if fact.about)
    return Analysis(_entities(doc), metrics, launches, " ".join(summary), facts,
                    summary, doc._.story_kind, writing)


# spaCy refuses a text over `nlp.max_length` (E088), and the metric rules look across the
# whole Doc for each figure (40k characters took 8x the time of 10k): a longer article is
# analysed in pieces, never dropped (#12). 20k characters is a long feature's length.
PIECE_CHARS = 20_000


def text_pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """A text in pieces of at most `limit` characters, cut at a paragraph's end where one
    falls in the second half of a piece, else at a sentence's end, else at a space.

    RETURNS (list[tuple[int, str]]): (offset in the text, piece), in order.
    """
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = next((at + len(mark) for mark in ("\n", ". ", " ")
                    if (at := window.rfind(mark)) >= limit // 2), limit)
        pieces.append((start, window[:cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def _shifted(items: list, offset: int) -> list:
    return [replace(item, start=item.start + offset, end=item.end + offset) for item in items]


def merge_pieces(parts: list[tuple[int, Analysis]]) -> Analysis:
    """One article's analysis from its pieces': offsets into the whole text; the summary,
    kind and launch of the first piece that has one."""
    if len(parts) == 1:
        return parts[0][1]
    first = parts[0][1]
    main = next((index for index, (_, part) in enumerate(parts) if part.launches), None)
    launches = [] if main is None else _shifted(parts[main][1].launches, parts[main][0])
    facts = [replace(fact, about=fact.about and index == main)
             for index, (offset, part) in enumerate(parts)
             for fact in _shifted(part.launch_facts, offset)]
    return Analysis(
        entities=[e for offset, part in parts for e in _shifted(part.entities, offset)],
        metrics=[m for offset, part in parts for m in _shifted(part.metrics, offset)],
        launches=launches, summary=first.summary, launch_facts=facts,
        summary_sentences=first.summary_sentences, kind=first.kind, genre=first.genre)


def _headlines(pipeline: Language, titles: Iterable[str | None] | None,
               batch_size: int) -> dict[int, Doc]:
    """The titles that may tell a launch, parsed in one `nlp.pipe` run, by text index."""
    wanted = [(index, headline_text(title)) for index, title in enumerate(titles or ())
              if worth_reading(title)]
    # A headline is read for its launch alone: its figures and the text's launch facts are not.
    unused = [name for name in ("launchwire_metrics", "launchwire_launches")
              if name in pipeline.pipe_names]
    parsed = pipeline.pipe((text for _, text in wanted), batch_size=batch_size, disable=unused)
    return {index: doc for (index, _), doc in zip(wanted, parsed)}


def analyze(pipeline: Language, texts: Iterable[str], published: Iterable[str | None] | None = None,
            batch_size: int = 32, piece_chars: int = PIECE_CHARS,
            titles: Iterable[str | None] | None = None) -> Iterator[Analysis]:
    """Analyse many texts with `nlp.pipe`, in order; a text longer than PIECE_CHARS in pieces.

    texts (Iterable[str]): article texts.
    published (Iterable[str | None]): each text's publication date, for as-of and launch dates.
    batch_size (int): texts per batch.
    piece_chars (int): longest text analysed in one piece.
    titles (Iterable[str | None]): each text's headline, read for a launch the text leaves
        untold; only headlines with a launch word are run through the pipeline.
    YIELDS (Analysis): one per text.
    """
    dates = published if published is not None else repeat(None)
    headlines = _headlines(pipeline, titles, batch_size)
    jobs = ((piece, (index, offset, date))
            for index, (text, date) in enumerate(zip(texts, dates))
            for offset, piece in text_pieces(text, piece_chars))
    parts: list[tuple[int, Analysis]] = []
    current = None
    for doc, (index, offset, date) in pipeline.pipe(jobs, as_tuples=True, batch_size=batch_size):
        if index != current and parts:
            yield merge_pieces(parts)
            parts = []
        current = index
        headline = headlines.get(index) if offset == 0 else None
        parts.append((offset, analyze_doc(doc, date, headline)))
    if parts:
        yield merge_pieces(parts)


def analyze_in_language(pipeline: Language, texts: Iterable[str], languages: Iterable[str | None],
                        published: Iterable[str | None] | None = None, batch_size: int = 32,
                        titles: Iterable[str | None] | None = None) -> Iterator[Analysis]:
    """`analyze`, with each text read in its language: Chinese ones by `nlp.chinese` (#14),
    the rest by the pipeline given. YIELDS (Analysis): one per text, in order."""
    from nlp.chinese import CHINESE, analyze_chinese

    texts, languages = list(texts), list(languages)
    dates = list(published) if published is not None else [None] * len(texts)
    headlines = list(titles) if titles is not None else [None] * len(texts)
    chinese = [index for index, language in enumerate(languages) if language in CHINESE]
    if not chinese:
        yield from analyze(pipeline, texts, dates, batch_size=batch_size, titles=headlines)
        return
    others = sorted(set(range(len(texts))) - set(chinese))
    results = dict(zip(others, analyze(pipeline, [texts[i] for i in others],
                                       [dates[i] for i in others], batch_size=batch_size,
                                       titles=[headlines[i] for i in others])))
    results.update(zip(chinese, analyze_chinese([texts[i] for i in chinese],
                                                [dates[i] for i in chinese],
                                                [headlines[i] for i in chinese], batch_size)))
    yield from (results[index] for index in range(len(texts)))
