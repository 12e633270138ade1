"""Decode fetched bytes: gzip unpacked within a bound, HTML to Unicode whatever the page
declared or failed to declare."""

from __future__ import annotations

import codecs
import struct
import zlib

import charset_normalizer
from scrapy.utils.gz import gunzip
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding

GZIP_MAGIC = b"\x1f\x8b"

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))


class CorruptGzip(ValueError):
    """A body that starts as gzip and cannot be unpacked."""


def gunzipped(body: bytes, max_size: int) -> bytes:
    """A body unpacked when it is gzip (a sitemap.xml.gz, a saved page.html.gz), else as it is.

    body (bytes): what was fetched or read.
    max_size (int): the most bytes it may unpack to: a few KB of gzip can hold gigabytes.
    RAISES (CorruptGzip): a corrupt gzip body; (ValueError) Scrapy's, one that unpacks past
        `max_size` (#12).
    """
    if body[:2] != GZIP_MAGIC:
        return body
    try:
        return gunzip(body, max_size=max_size)
    except (OSError, EOFError, struct.error, zlib.error) as error:
        raise CorruptGzip(str(error)) from error


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
