"""Turn number phrases from news text into plain values ("$18 million" -> 18000000)."""

from __future__ import annotations

import re

SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
          "b": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12, "lakh": 1e5, "crore": 1e7}
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
                "a": 1, "an": 1, "hundreds": 100, "thousands": 1000, "millions": 1e6,
                "tens": 10, "dozens": 12}
FRACTIONS = {"half": 0.5, "quarter": 0.25, "tenth": 0.1, "fifth": 0.2}
CURRENCIES = {"₹": "INR", "₩": "KRW", "$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "€": "EUR",
              "eur": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "pounds": "GBP",
              "yuan": "CNY", "rmb": "CNY", "cny": "CNY", "¥": "CNY", "yen": "JPY",
              "hk$": "HKD", "won": "KRW", "rupees": "INR"}
QUALIFIERS = (("more than", "more_than"), ("over", "more_than"), ("at least", "more_than"),
              ("nearly", "about"), ("almost", "about"), ("about", "about"),
              ("around", "about"), ("roughly", "about"), ("some", "about"),
              ("approximately", "about"), ("up to", "up_to"), ("less than", "less_than"),
              ("fewer than", "less_than"), ("under", "less_than"), ("between", "range"))

_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)\s*(thousand|million|billion|trillion|lakh|crore|mn|bn|tn|"
                     r"[kmb])?\b", re.IGNORECASE)


def parse_value(phrase: str) -> float | None:
    """The numeric value of a phrase, or None when it holds no number.

    phrase (str): e.g. "more than 260 million", "$1.5B", "hundreds of thousands".
    RETURNS (float | None): 260000000.0, 1500000000.0, 100000.0.
    """
    match = _NUMBER.search(phrase)
    if match:
        digits = match.group(1).replace(",", "")
        if digits.count(".") > 1:
            return None
        scale = SCALES.get((match.group(2) or "").lower(), 1)
        return float(digits) * scale
    words = [w for w in re.findall(r"[a-z]+", phrase.lower())
             if w in WORD_NUMBERS or w in SCALES or w in FRACTIONS]
    if not any(w not in {"a", "an"} and w not in FRACTIONS for w in words):
        return None  # "a tenth" alone is a share, not a figure
    value = 1.0
    for word in words:
        value *= WORD_NUMBERS.get(word, SCALES.get(word, FRACTIONS.get(word, 1)))
    return value


def parse_unit(phrase: str, following: str = "") -> str | None:
    """The currency of a money phrase, "percent" for a percentage, else None."""
    lowered = phrase.lower()
    if "%" in phrase or "percent" in lowered or "per cent" in lowered:
        return "percent"
    for mark in ("hk$", "us$", "$", "€", "£", "¥", "₹", "₩"):
        if mark in lowered:
            return CURRENCIES[mark]
    for word in re.findall(r"[a-z]+", lowered + " " + following.lower()[:12]):
        if word in CURRENCIES:
            return CURRENCIES[word]
    return None


def parse_qualifier(phrase: str) -> str:
    lowered = phrase.lower()
    for words, qualifier in QUALIFIERS:
        if re.search(rf"\b{words}\b", lowered):
            return qualifier
    return "exact"
