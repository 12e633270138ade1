"""`publish --out DIR`: every feed and an OPML list of them as static files.

A feed's file is named by its slug, as its URL on the site is (publish/slugs.py), never by
the name itself: a name such as `../../x`, one holding a NUL, or one of 300 characters once
wrote outside DIR, raised, or stopped the export (#12). `feeds/company/meta.atom` here is
`/-/feeds/company/meta.atom` there (#16).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from publish.feeds import (feed_id, feed_list, feed_path, launch_feed_body, opml_document,
                           source_feed_body)
from publish.site import make_datasette


async def _feed(datasette: Any, kind: str, by: str | None, name: str, self_url: str) -> bytes:
    if by == "source":
        body, _ = await source_feed_body(datasette, kind, name, feed_id(by, name, kind), self_url)
    else:
        body, _ = await launch_feed_body(datasette, kind, by, name, None,
                                         feed_id(by, name, kind), self_url)
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
        listed = []
        for title, by, name, slug in await feed_list(datasette.get_database()):
            for kind in ("atom", "rss"):
                path = feed_path(by, slug, kind)
                target = out / "feeds" / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(await _feed(datasette, kind, by, name, f"{base}/feeds/{path}"))
            listed.append((title, f"{base}/feeds/{feed_path(by, slug)}"))
        (out / "feeds.opml").write_text(opml_document(listed), encoding="utf-8")
        return 2 * len(listed) + 1

    return asyncio.run(write_all())
