"""What a launch fact says besides who and what: when, on which platforms, where, at what price.

Read from the fact's sentence and the sentences after it that still talk about the same
product ("It will be available on November 20 for $599 in North America and Europe").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser
from spacy.tokens import Span

from nlp.metrics import figure_phrase

PLATFORM = (r"(?:iOS|iPadOS|Android(?: phones)?|iPhones?|iPads?|macOS|Mac|Windows(?: \d+)?|Linux|"
            r"ChromeOS|the web|web|Hugging Face|Visual Studio Code|JetBrains(?: editors)?|"
            r"browsers?|PCs?|PlayStation 5|PS5|Xbox(?: Series X)?|Nintendo Switch|Switch|Steam|"
            r"Apple Watch|Wear OS|HarmonyOS|WeChat|smart TVs?|phones|smartphones|tablets|desktop|"
            r"mobile|Microsoft Teams|Teams|Zoom|Slack|Chrome)")
PLATFORMS = re.compile(rf"\b(?:on|for|to|via|inside|within|across|through)\s+(?:both\s+)?"
                       rf"({PLATFORM}(?:(?:,\s*|,?\s+(?:and|or)\s+){PLATFORM})*)\b")
ONE_PLATFORM = re.compile(PLATFORM)
# Who gets a product: "Anyone can now sign up on the web, iOS and Android".
USERS = frozenset({"anyone", "user", "customer", "people", "developer", "buyer", "player",
                   "subscriber", "shopper", "driver", "owner", "reader", "parent", "school"})
REGION_PREPOSITIONS = frozenset({"in", "across", "to", "throughout"})
NOT_REGION_BEFORE = frozenset({"based", "headquartered", "founded", "born", "office", "offices"})
COUNTRIES = re.compile(r"\b(?:(?:more than|over|about|nearly) )?\d+ (?:countries|markets|"
                       r"countries and territories|regions)\b|\b(?:worldwide|globally)\b")
REGION_ORGS = frozenset({"European Union", "EU", "the European Union"})
FREE = re.compile(r"\b(?:is|are|will be|as a|for|remains?|stays?) (?:\w+ )?free\b(?! trial)", re.I)
PRICE_TAIL = re.compile(r"^(?:\s*(?:a|per|each) (?:month|year|week|user|seat|farm|database|"
                        r"device|person))+", re.I)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EXACT_DAY = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|"
                       r"yesterday|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
                       r"\.? \d{1,2}\b|\d{4}-\d{2}-\d{2})", re.I)
FUTURE = re.compile(r"\b(?:will|would|from|starting|next|plans?|expected|set to)\b", re.I)


@dataclass
class LaunchDetails:
    date: str | None
    platform: str | None
    region: str | None
    price: str | None


def _window(sentence: Span, product: Span) -> list[Span]:
    """The fact's sentence and, among the three after it, those still about the product: its
    subject is the product's name, "it" or "the device" ("The hybrid console costs $449.99")."""
    words = {token.lower_ for token in product if token.is_alpha}
    window = [sentence]
    following = [sent for sent in sentence.doc.sents if sent.start >= sentence.end][:3]
    for sent in following:
        subject = next((t for t in sent.root.children if t.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is None:
            continue
        phrase = list(subject.subtree)
        if subject.lower_ in {"it", "they"} or any(t.lower_ in words for t in phrase) or (
                subject.lemma_.lower() in USERS) or (
                phrase[0].lower_ in {"the", "this", "its"} and subject.pos_ == "NOUN"):
            window.append(sent)
        elif any(e.label_ in {"APP", "PRODUCT"} for e in sent.ents if e.root == subject):
            break  # the text has moved on to another product
    return window


def _platform(window: list[Span]) -> str | None:
    for sent in window:
        match = PLATFORMS.search(sent.text)
        if match:
            return match.group(1)
    return None


def _region(window: list[Span]) -> str | None:
    for sent in window:
        match = COUNTRIES.search(sent.text)
        if match:
            return match.group(0)
        for ent in sent.ents:
            if ent.label_ not in {"GPE", "LOC"} and ent.text not in REGION_ORGS or ent.start == 0:
                continue
            doc = ent.doc
            before = doc[ent.start - 1]
            if before.lower_ == "the" and ent.start > 1:
                before = doc[ent.start - 2]
            if before.lower_ not in REGION_PREPOSITIONS or (
                    before.i > 0 and doc[before.i - 1].lower_ in NOT_REGION_BEFORE):
                continue
            start = before.i + 1
            end = ent.end
            # "in Indonesia and Brazil", "in Sweden, Norway and Denmark"
            for other in sent.ents:
                if other.start < end or other.label_ not in {"GPE", "LOC"}:
                    continue
                gap = doc[end:other.start].text.strip().lower()
                if gap in {",", "and", ", and", "or", "the", "and the", ", the"}:
                    end = other.end
            return doc[start:end].text
    return None


PRICE_CUE = frozenset({"for", "at", "costs", "cost", "priced", "price", "of", "from"})


def _stated_prices(sent: Span, prices: list[Span]) -> list[Span]:
    """The metric component's prices, and amounts a launch sentence sells at ("on sale …
    for A$1,099", "the £179 device")."""
    found = [span for span in prices if sent.start <= span.start < sent.end]
    for ent in sent.ents:
        if ent.label_ != "MONEY" or any(span.start <= ent.start < span.end for span in found):
            continue
        doc = ent.doc
        before = {t.lower_ for t in doc[max(sent.start, ent.start - 2):ent.start]}
        after = doc[ent.end] if ent.end < sent.end else None
        if before & PRICE_CUE or (before & {"the", "a"} and after is not None
                                  and after.pos_ == "NOUN"):
            found.append(figure_phrase(ent))
    return sorted(found, key=lambda span: span.start)


def _price(window: list[Span], prices: list[Span]) -> str | None:
    for sent in window:
        for span in _stated_prices(sent, prices):
                tail = PRICE_TAIL.match(span.doc.text[span.end_char:span.sent.end_char])
                return span.text + (tail.group(0) if tail else "")
        if FREE.search(sent.text):
            return "free"
    return None


def stated_day(window: list[Span], published: str | None) -> str | None:
    """The first exact day these sentences give ("on Tuesday", "November 20"), read against
    the article's date."""
    base = _parse_published(published)
    for sent in window[:2]:
        for ent in sent.ents:
            if ent.label_ != "DATE" or not EXACT_DAY.search(ent.text):
                continue
            text = ent.text.lower()
            if base is None and not re.search(r"\d{4}", text):
                continue  # "on Tuesday" means nothing without the day it was written
            if text in WEEKDAYS:
                # News says "on Tuesday" of the last Tuesday up to the day it is published.
                back = (base.weekday() - WEEKDAYS.index(text)) % 7
                return (base - timedelta(days=back)).isoformat()
            found = dateparser.parse(ent.text, languages=["en"], settings={
                "RELATIVE_BASE": datetime.combine(base or date.today(), datetime.min.time()),
                "PREFER_DATES_FROM": "future" if FUTURE.search(sent.text) else "past"})
            if found is not None:
                return found.date().isoformat()
    return None


def _parse_published(published: str | None) -> date | None:
    try:
        return date.fromisoformat((published or "")[:10])
    except ValueError:
        return None


def launch_details(sentence: Span, product: Span, prices: list[Span],
                   published: str | None) -> LaunchDetails:
    """Date, platform, region and price of the launch a sentence states.

    sentence (Span): the fact's sentence.
    product (Span): the launched product, so that sentences about another product are left out.
    prices (list[Span]): the text's price figures (the metric component's).
    published (str | None): the article's date (ISO), against which "on Tuesday" is read.
    """
    window = _window(sentence, product)
    return LaunchDetails(stated_day(window, published), _platform(window), _region(window),
                         _price(window, prices))
