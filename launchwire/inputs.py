"""What the CLI reads from files and standard input, checked before any work (#12)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from crawlers.encoding import CorruptGzip, gunzipped
from launchwire.errors import LaunchwireError


def page_bytes(name: str, limit: int) -> bytes:
    """A saved page's bytes, gunzipped when gzipped, never more than `limit` (29 KB of gzip
    can hold gigabytes).

    name (str): a file name, or "-" for standard input.
    limit (int): most bytes read or decompressed (the `download_maxsize` setting).
    RETURNS (bytes): the page.
    """
    if name == "-":
        body = sys.stdin.buffer.read(limit + 1)
    else:
        with Path(name).open("rb") as file:
            body = file.read(limit + 1)
    if len(body) > limit:
        raise LaunchwireError(f"{name}: larger than {limit} bytes (download_maxsize)")
    try:
        return gunzipped(body, max_size=limit)
    except CorruptGzip as error:
        raise LaunchwireError(f"{name}: not a readable gzip file ({error})") from error
    except ValueError as error:  # Scrapy's "decompressed size exceeded"
        raise LaunchwireError(f"{name}: more than {limit} bytes once decompressed") from error


# `analyze` is for a story's worth of text; `process` takes articles of any length.
ANALYZE_MAX_CHARS = 1_000_000


def plain_text(file: BinaryIO) -> str:
    """The text of a file: UTF-8, not binary, at most ANALYZE_MAX_CHARS characters.

    file (BinaryIO): opened in binary mode (click.File("rb")).
    RETURNS (str): its text.
    """
    data = file.read(ANALYZE_MAX_CHARS * 4 + 1)
    name = getattr(file, "name", "-")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LaunchwireError(f"{name}: not UTF-8 text (byte {error.start})") from error
    if "\x00" in text:
        raise LaunchwireError(f"{name}: binary data, not text")
    if len(text) > ANALYZE_MAX_CHARS or len(data) > ANALYZE_MAX_CHARS * 4:
        raise LaunchwireError(f"{name}: longer than {ANALYZE_MAX_CHARS:,} characters; store "
                              "long articles and run `launchwire process`")
    return text
