"""Search input a client may send, and the one way it becomes an FTS5 query.

FTS5's own syntax (`a* OR b* OR …`, NEAR, column filters) lets one request scan the whole
index for a second; three such clients starved everyone else of Datasette's three SQL threads
(#12). A public site takes words only: each is quoted as a phrase, and there are few of them.
"""

from __future__ import annotations

import re
from typing import Iterable

from markupsafe import Markup, escape

MAX_SEARCH_CHARS = 200
MAX_SEARCH_TERMS = 10
# Datasette's table search (`_search`, `_search_<column>`) and the ranked search's and the
# feeds' `q`.
SEARCH_PARAMS = re.compile(r"^(_search(_.+)?|q)$")
# FTS5 reads a double quote as syntax, and SQLite a NUL as the end of the string.
UNSAFE = re.compile(r'["\x00-\x1f\x7f]')
NOTHING = '""'  # an empty phrase: matches no row, and is no syntax error


def search_problem(name: str, value: str) -> str | None:
    """Why a search parameter is refused, or None when it is acceptable.

    name (str): the query-string parameter's name.
    value (str): its value.
    """
    if not SEARCH_PARAMS.match(name):
        return None
    if len(value) > MAX_SEARCH_CHARS:
        return f"{name} is longer than {MAX_SEARCH_CHARS} characters"
    if len(value.split()) > MAX_SEARCH_TERMS:
        return f"{name} has more than {MAX_SEARCH_TERMS} words"
    return None


def terms(text: str | None) -> list[str]:
    """The words of a search, without quotes or control characters, at most MAX_SEARCH_TERMS."""
    words: Iterable[str] = UNSAFE.sub(" ", text or "").split()
    return list(words)[:MAX_SEARCH_TERMS]


def fts_query(text: str | None) -> str:
    """An FTS5 query matching rows with every word of `text` (each quoted, so `*`, OR and
    NEAR are words, not operators); one that matches nothing when there are no words.

    text (str | None): what the reader typed.
    RETURNS (str): the MATCH expression.
    """
    found = terms(text)
    return " ".join(f'"{word}"' for word in found) if found else NOTHING


def marked(text: str | None, open_mark: str, close_mark: str) -> Markup:
    """Text from the database, escaped, with only the matched words between the two markers
    wrapped in <mark>: an article's title or summary cannot add markup of its own (#16).

    text (str | None): a highlight() or snippet() result.
    open_mark (str): the character SQLite put before a matched word.
    close_mark (str): the one it put after.
    """
    safe = str(escape(text or ""))
    opened, closed = re.escape(open_mark), re.escape(close_mark)
    pairs = re.compile(f"{opened}([^{opened}{closed}]*){closed}")
    safe = pairs.sub(r"<mark>\1</mark>", safe)
    # A marker the text itself held, unpaired, is dropped rather than shown.
    return Markup(safe.replace(open_mark, "").replace(close_mark, ""))
