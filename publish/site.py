"""Build and serve the Datasette instance for a launchwire database."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

HERE = Path(__file__).parent
METADATA = HERE / "metadata.yml"
METADATA_DB_KEY = "launchwire"

# Facet *suggestion* cost ~970 ms a request on 105k articles (MEASURED.md); facets we name stay.
DATASETTE_SETTINGS = {"suggest_facets": False, "default_page_size": 50, "sql_time_limit_ms": 2000,
                      "facet_time_limit_ms": 500}


# A public site shows titles, links, summaries and fact sentences, never the publishers' full
# text: the tables holding it are closed, and so is arbitrary SQL, which could read them.
PRIVATE_TABLES = ("articles", "articles_fts", "pages")


def site_metadata(db_path: str | Path, private: bool = False) -> dict[str, Any]:
    """metadata.yml, keyed to the database name Datasette derives from the file name; a
    public site (the default) closes the tables with full text, and arbitrary SQL."""
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if METADATA_DB_KEY in databases:
        databases[Path(db_path).stem] = databases.pop(METADATA_DB_KEY)
    if not private:
        for database in databases.values():
            database["allow_sql"] = False
            tables = database.setdefault("tables", {})
            for table in PRIVATE_TABLES:
                tables.setdefault(table, {})["allow"] = False
    return metadata


def make_datasette(db_path: str | Path, private: bool = False) -> Datasette:
    """A Datasette over the database with launchwire's metadata (templates come with the
    plugin); `private` shows everything, for a newsroom's own instance. Nothing grants a
    write permission, so the site only reads; the file stays mutable because `run` may be
    adding to it while the site serves."""
    return Datasette([str(db_path)], metadata=site_metadata(db_path, private),
                     settings=DATASETTE_SETTINGS)


def serve(db_path: str | Path, host: str, port: int, private: bool = False) -> None:
    """Serve until interrupted (Ctrl-C), as `datasette serve` does."""
    import uvicorn

    datasette = make_datasette(db_path, private)
    asyncio.run(datasette.invoke_startup())
    asyncio.run(datasette.refresh_schemas())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")


def export_feeds(db_path: str | Path, out: str | Path, base_url: str) -> int:
    """Write every feed (Atom and RSS) and an OPML list of them as static files under `out`,
    with links under `base_url`, for a site served from files.

    RETURNS (int): the number of files written.
    """
    from urllib.parse import unquote, urlsplit

    from publish.feeds import feed_list, opml_document

    out = Path(out)
    parts = urlsplit(base_url.rstrip("/") + "/")
    datasette = make_datasette(db_path)
    headers = {"host": parts.netloc}

    async def write_all() -> int:
        written = 0
        for _, path in await feed_list(datasette.get_database()):
            for kind in ("atom", "rss"):
                name = path[:-len(".atom")] + "." + kind
                response = await datasette.client.get(f"/-/feeds/{name}", headers=headers)
                response.raise_for_status()
                target = out / "feeds" / unquote(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(response.content.replace(
                    b"http://" + parts.netloc.encode() + b"/", base_url.rstrip("/").encode() + b"/"))
                written += 1
        (out / "feeds.opml").write_text(await opml_document(
            datasette.get_database(), base_url.rstrip("/") + "/feeds/"), encoding="utf-8")
        return written + 1

    return asyncio.run(write_all())
