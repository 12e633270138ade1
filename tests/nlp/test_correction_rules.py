"""The corrections file's rules: what each kind takes, and errors that name the entry (#16)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from launchwire.corrections_file import add_correction, load_corrections
from nlp.corrections import (Correction, CorrectionsFileError, concerning, make_correction,
                             parse_corrections, story_overrides)

GOOD = """\
# the newsroom's own comment
[[correction]]
kind = "company"
story = "phone-1-2022-07"
company = "Nothing"
note = "Nothing makes it"
date = 2026-12-01

[[correction]]
kind = "figure-wrong"
article = "https://news.example/a"
metric = "mau"
value = 2_000_000
note = "a typo in the article"
date = 2026-12-02
"""


def test_a_good_file_reads_in_order_with_lines() -> None:
    first, second = parse_corrections(GOOD)
    assert (first.kind, first.fields, first.date, first.line) == (
        "company", {"story": "phone-1-2022-07", "company": "Nothing"}, date(2026, 12, 1), 2)
    assert second.fields["value"] == 2_000_000 and second.line == 9
    assert first.describe() == "company set to Nothing"
    assert "mau figure 2e+06" in second.describe()


def _entry(body: str, before: int = 0) -> str:
    padding = '[[correction]]\nkind = "modality"\nstory = "k"\nmodality = "launched"\n' \
              'note = "n"\n\n' * before
    return padding + "[[correction]]\n" + body


@pytest.mark.parametrize("text, message", [
    (_entry('kind = "company"\nstory = "k"\nnote = "n"\n'),
     "correction 1 (line 1): company: 'company' must be a non-empty string"),
    (_entry('kind = "colour"\nnote = "n"\n', before=1),
     "correction 2 (line 7): unknown kind 'colour'"),
    (_entry('kind = "modality"\nstory = "k"\nmodality = "shipped"\nnote = "n"\n'),
     "'shipped' is not one of rumored, planned, announced, launched"),
    (_entry('kind = "merge"\nentity = "A"\ninto = "B"\n'), "a 'note' saying why is required"),
    (_entry('kind = "merge"\nentity = "A"\ninto = "B"\nnote = "n"\ncolour = "red"\n'),
     "unexpected field(s) colour"),
    (_entry('kind = "merge"\nentity = "A"\ninto = "B"\nnote = "n"\ndate = "2026-12-01"\n'),
     "'date' must be a TOML date such as 2026-12-02, not '2026-12-01'"),
    (_entry('kind = "figure-wrong"\narticle = "u"\nmetric = "mau"\nvalue = "two"\n'
            'note = "n"\n'), "'value' must be a number"),
    (_entry('note = "n"\n'), "correction 1 (line 1): no 'kind'"),
    ('[[correction]]\nkind = "merge\n', "not valid TOML"),
    ('[corrections]\nkind = "merge"\n', "unexpected key(s) corrections"),
])
def test_a_malformed_file_names_the_entry_and_line(text: str, message: str) -> None:
    with pytest.raises(CorrectionsFileError) as raised:
        parse_corrections(text, "here.toml")
    assert str(raised.value).startswith("here.toml: ") and message in str(raised.value)


def test_toml_syntax_errors_give_tomllib_line() -> None:
    with pytest.raises(CorrectionsFileError, match=r"line 3"):
        parse_corrections('[[correction]]\nkind = "merge"\nentity = \n')


def test_a_date_and_time_counts_as_its_day() -> None:
    text = _entry('kind = "merge"\nentity = "A"\ninto = "B"\nnote = "n"\n'
                  'date = 2026-12-01T10:30:00Z\n')
    assert parse_corrections(text)[0].date == date(2026, 12, 1)


def test_a_correction_is_dated_today_by_default() -> None:
    made = make_correction("merge", {"entity": " A ", "into": "B", "value": None}, "why")
    assert made.date == date.today() and made.fields == {"entity": "A", "into": "B"}


def test_written_corrections_read_back_and_keep_the_newsroom_comments(tmp_path: Path) -> None:
    path = tmp_path / "corrections.toml"
    path.write_text(GOOD, encoding="utf-8")
    added = make_correction("alias-add", {"entity": "Xiaohongshu", "alias": "RedNote"}, "same app",
                            date(2026, 12, 3))
    add_correction(path, added)
    assert "# the newsroom's own comment" in path.read_text(encoding="utf-8")
    assert load_corrections(path)[-1] == added and len(load_corrections(path)) == 3


def test_nothing_is_appended_to_a_malformed_file(tmp_path: Path) -> None:
    path = tmp_path / "corrections.toml"
    path.write_text(_entry('kind = "colour"\n'), encoding="utf-8")
    with pytest.raises(CorrectionsFileError):
        add_correction(path, make_correction("merge", {"entity": "A", "into": "B"}, "n"))
    assert path.read_text(encoding="utf-8") == _entry('kind = "colour"\n')
    assert load_corrections(tmp_path / "none.toml") == []


def _made(kind: str, when: int, **fields: object) -> Correction:
    return make_correction(kind, fields, "n", date(2026, 12, when))


def test_a_story_shows_what_concerns_it_and_the_last_word_wins() -> None:
    corrections = [_made("company", 2, story="old-key", company="Nothing"),
                   _made("company", 3, story="key", company="Nothing Technology"),
                   _made("merge", 1, entity="nothing tech", into="Nothing"),
                   _made("fact-wrong", 4, article="https://a.example/1"),
                   _made("modality", 5, story="another", modality="planned")]
    keys = {"key", "old-key"}
    assert story_overrides(corrections, keys) == {"company": "Nothing Technology"}
    shown = concerning(corrections, keys, {"Phone (1)", "nothing"}, {"https://a.example/1"})
    assert [c.date.day for c in shown] == [1, 2, 3, 4]
