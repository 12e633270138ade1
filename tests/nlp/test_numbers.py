"""Number phrases from news text."""

from __future__ import annotations

import pytest

from nlp.numbers import parse_qualifier, parse_unit, parse_value


@pytest.mark.parametrize("phrase, value", [
    ("260 million", 260e6), ("more than 260 million", 260e6), ("1.5B", 1.5e9), ("$18M", 18e6),
    ("3.4 billion yuan", 3.4e9), ("€1,890", 1890), ("12,000", 12000), ("27%", 27),
    ("hundreds of thousands", 1e5), ("a tenth", None), ("no number here", None),
])
def test_parse_value(phrase: str, value: float | None) -> None:
    assert parse_value(phrase) == value


@pytest.mark.parametrize("phrase, following, unit", [
    ("$18 million", "", "USD"), ("3.4 billion", "yuan in revenue", "CNY"), ("€1,890", "", "EUR"),
    ("27%", "", "percent"), ("£399", "", "GBP"), ("260 million", "monthly active users", None),
])
def test_parse_unit(phrase: str, following: str, unit: str | None) -> None:
    assert parse_unit(phrase, following) == unit


@pytest.mark.parametrize("phrase, qualifier", [
    ("more than 260 million", "more_than"), ("about $40 million", "about"),
    ("up to 5,000", "up_to"), ("between 4 million and 5 million", "range"), ("12,000", "exact"),
])
def test_parse_qualifier(phrase: str, qualifier: str) -> None:
    assert parse_qualifier(phrase) == qualifier
