"""Build and serve the Datasette instance for a launchwire database."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

from publish.config import DEFAULT_PAGE_CACHE_MB, DEFAULT_SITE_URL, PLUGIN_NAME

HERE = Path(__file__).parent
METADATA = HERE / "metadata.yml"
METADATA_DB_KEY = "launchwire"

# Facet *suggestion* cost ~970 ms a request on 105k articles (MEASURED.md); facets we name stay.
DATASETTE_SETTINGS = {"suggest_facets": False, "default_page_size": 50, "sql_time_limit_ms": 2000,
                      "facet_time_limit_ms": 500}
# A public site's SQL answers within a second or not at all, so a costly request holds one of
# Datasette's three SQL threads for a second at most (#12); no SQL editor, no file download.
PUBLIC_SETTINGS = {"sql_time_limit_ms": 1000, "default_allow_sql": False, "allow_download": False}


def site_metadata(db_path: str | Path, private: bool = False,
                  base_url: str = DEFAULT_SITE_URL,
                  page_cache_mb: float = DEFAULT_PAGE_CACHE_MB) -> dict[str, Any]:
    """metadata.yml, keyed to the database name Datasette derives from the file name, with
    the plugin's configuration: public or private, and the site's URL for feeds.

    db_path (str | Path): the database file.
    private (bool): show everything (a newsroom's own site) instead of the allow-list.
    base_url (str): where the site is served, for absolute links.
    page_cache_mb (float): answers kept to send again until the database changes (0: none).
    """
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if METADATA_DB_KEY in databases:
        databases[Path(db_path).stem] = databases.pop(METADATA_DB_KEY)
    metadata.setdefault("plugins", {})[PLUGIN_NAME] = {
        "private": private, "base_url": base_url.rstrip("/"), "page_cache_mb": page_cache_mb}
    return metadata


def make_datasette(db_path: str | Path, private: bool = False,
                   base_url: str = DEFAULT_SITE_URL,
                   page_cache_mb: float = DEFAULT_PAGE_CACHE_MB) -> Datasette:
    """A Datasette over the database with launchwire's metadata (templates come with the
    plugin). Public by default: the plugin serves only its allow-list (publish/access.py);
    `private` shows everything. Nothing grants a write permission, so the site only reads;
    the file stays mutable because `run` may be adding to it while the site serves."""
    settings = dict(DATASETTE_SETTINGS, **({} if private else PUBLIC_SETTINGS))
    return Datasette([str(db_path)],
                     metadata=site_metadata(db_path, private, base_url, page_cache_mb),
                     settings=settings)


def serve(db_path: str | Path, host: str, port: int, private: bool = False,
          base_url: str = DEFAULT_SITE_URL, page_cache_mb: float = DEFAULT_PAGE_CACHE_MB) -> None:
    """Serve until interrupted (Ctrl-C), as `datasette serve` does."""
    import uvicorn

    datasette = make_datasette(db_path, private, base_url, page_cache_mb)
    asyncio.run(datasette.invoke_startup())
    asyncio.run(datasette.refresh_schemas())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on",
                server_header=False)
