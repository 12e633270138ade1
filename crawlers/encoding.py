"""Decode fetched HTML to Unicode, whatever the page declared or failed to declare."""

from __future__ import annotations

import codecs

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))


def _strict(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(resolve_encoding(encoding) or encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The page's text and the encoding that produced it.

    Order: a BOM; valid UTF-8 (multi-byte UTF-8 is almost never valid by accident, while
    single-byte charsets such as windows-1252 decode anything, so a page that is valid UTF-8
    is read as UTF-8 whatever its meta says); the HTTP header's charset, then the meta tag's,
    if the bytes really decode with it; then detection; windows-1252 with replacements last.

    body (bytes): the raw response body.
    content_type (str | None): the Content-Type header.
    RETURNS (tuple[str, str]): (text, encoding name).
    """
    for bom, name in BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace"), name
    as_utf8 = _strict(body, "utf-8")
    if as_utf8 is not None:
        return as_utf8, "utf-8"
    for declared in (http_content_type_encoding(content_type or ""),
                     html_body_declared_encoding(body)):
        text = _strict(body, declared)
        if text is not None:
            return text, resolve_encoding(declared) or declared
    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        return str(best), best.encoding
    return body.decode("cp1252", errors="replace"), "cp1252"
