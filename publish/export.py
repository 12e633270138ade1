"""`publish --out DIR`: every feed and an OPML list of them as static files.

A feed's file is named by a slug of its company, product or outlet, never by the name itself:
a name such as `../../x`, one holding a NUL, or one of 300 characters once wrote outside DIR,
raised, or stopped the export (#12).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from pathlib import Path
from typing import Any

from db.store import slugify
from publish.feeds import feed_list, feed_path, launch_feed_body, opml_document, source_feed_body
from publish.site import make_datasette

MAX_SLUG = 60
SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def file_stem(by: str | None, value: str, taken: set[str]) -> str:
    """A feed's file path under feeds/, without its extension: `launches`, or `<by>/<slug>`
    where the slug is ASCII letters, digits and hyphens, unique within `taken`.

    by (str | None): what the feed is narrowed by (None: all launches).
    value (str): the name it is narrowed to.
    taken (set): stems already given; the new one is added.
    """
    if by is None:
        return "launches"
    slug = slugify(value)[:MAX_SLUG].strip("-")
    slug = slug if SAFE_SLUG.fullmatch(slug) else ""
    stem = f"{by}/{slug}"
    if not slug or stem in taken:  # no Latin letters, or two names with one slug
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        stem = f"{by}/{slug + '-' if slug else ''}{digest}"
    taken.add(stem)
    return stem


async def _feed(datasette: Any, kind: str, by: str | None, value: str, self_url: str) -> bytes:
    feed_id = feed_path(by, value, kind)
    if by == "source":
        body, _ = await source_feed_body(datasette, kind, value, f"source:{value}", self_url)
    else:
        body, _ = await launch_feed_body(datasette, kind, by, value, None, feed_id, self_url)
    return body


def export_feeds(db_path: str | Path, out: str | Path, base_url: str) -> int:
    """Write every feed (Atom and RSS) under `out`/feeds/ and `out`/feeds.opml listing them,
    with links under `base_url`, for a site served from files.

    db_path (str | Path): the database.
    out (str | Path): the folder to write into; nothing is written outside it.
    base_url (str): where `out` is served, for the links in the files.
    RETURNS (int): the number of files written.
    """
    out, base = Path(out), base_url.rstrip("/")
    datasette = make_datasette(db_path, base_url=base)

    async def write_all() -> int:
        taken: set[str] = set()
        listed = []
        for title, by, value in await feed_list(datasette.get_database()):
            stem = file_stem(by, value, taken)
            for kind in ("atom", "rss"):
                target = out / "feeds" / f"{stem}.{kind}"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(await _feed(datasette, kind, by, value,
                                               f"{base}/feeds/{stem}.{kind}"))
            listed.append((title, f"{base}/feeds/{stem}.atom"))
        (out / "feeds.opml").write_text(opml_document(listed), encoding="utf-8")
        return 2 * len(listed) + 1

    return asyncio.run(write_all())
