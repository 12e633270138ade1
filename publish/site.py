"""Build and serve the Datasette instance for a launchwire database."""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

from db.snapshot import snapshot_inspect_path
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
                   base_url: str = DEFAULT_SITE_URL, immutable: bool = False,
                   page_cache_mb: float = DEFAULT_PAGE_CACHE_MB) -> Datasette:
    """A Datasette over the database with launchwire's metadata (templates come with the
    plugin). Public by default: the plugin serves only its allow-list (publish/access.py);
    `private` shows everything. Nothing grants a write permission, so the site only reads.

    The live file stays mutable because `run` may be adding to it while the site serves.
    A snapshot (`publish --snapshot`, #18) is served `immutable`: no locks, no change checks,
    its table counts read from the inspect data beside it. A link is followed once, here, so
    pointing it at a newer snapshot leaves this process serving the one it started with.
    """
    settings = dict(DATASETTE_SETTINGS, **({} if private else PUBLIC_SETTINGS))
    metadata = site_metadata(db_path, private, base_url, page_cache_mb)
    if not immutable:
        return Datasette([str(db_path)], metadata=metadata, settings=settings)
    served, name = Path(db_path).resolve(), Path(db_path).stem
    datasette = Datasette(immutables=[str(served)], metadata=metadata, settings=settings,
                          inspect_data=snapshot_inspect_data(db_path))
    # Named after the path served, not the link's target: URLs stay put across snapshots.
    database = next(db for db in datasette.databases.values() if db.path == str(served))
    datasette.remove_database(database.name)
    datasette.add_database(database, name=name)
    return datasette


def snapshot_inspect_data(db_path: str | Path) -> dict[str, Any] | None:
    """The inspect data written beside a snapshot, keyed by the name Datasette gives the path
    served; None when there is none or it is another file's (its size differs).

    db_path (str | Path): the snapshot, or a link to it.
    """
    served = Path(db_path).resolve()
    inspect_path = snapshot_inspect_path(served)
    if not inspect_path.is_file():
        return None
    found = list(json.loads(inspect_path.read_text(encoding="utf-8")).values())
    if len(found) != 1 or found[0].get("size") != served.stat().st_size:
        return None
    return {Path(db_path).stem: found[0]}


# How `serve` tells its worker processes what to serve: uvicorn spawns them afresh, and each
# builds its own Datasette from this (publish.site:app_from_environment).
SERVE_OPTIONS_ENV = "LAUNCHWIRE_SERVE_OPTIONS"


def frozen_after_first_answer(app: Any) -> Any:
    """`app`, which moves every object alive once it has answered its first request (its
    startup ran, its templates compiled) out of the garbage collector's sight.

    A full collection walked those ~70k long-lived objects every few hundred pages, 25-40 ms
    each time, the tail of every page's latency: p95 of the busiest companies' pages
    28 -> 25 ms, the slowest 66 -> 29 ms at a million articles. Objects made later are
    collected as before.
    """
    frozen = False

    async def asgi(scope: dict, receive: Any, send: Any) -> None:
        nonlocal frozen
        await app(scope, receive, send)
        if not frozen and scope.get("type") == "http":
            frozen = True
            gc.collect()
            gc.freeze()
    return asgi


def app_from_environment() -> Any:
    """The ASGI app of one `serve` worker, from the options serve() left in the environment.
    Datasette runs its startup hooks on the first request each worker answers."""
    return frozen_after_first_answer(
        make_datasette(**json.loads(os.environ[SERVE_OPTIONS_ENV])).app())


def serve(db_path: str | Path, host: str, port: int, private: bool = False,
          base_url: str = DEFAULT_SITE_URL, immutable: bool = False,
          page_cache_mb: float = DEFAULT_PAGE_CACHE_MB, workers: int = 1) -> None:
    """Serve until interrupted (Ctrl-C), as `datasette serve` does, in `workers` processes.

    Rendering a page is Python holding the GIL, so one process answers on one core however
    many SQL threads it has; uvicorn's workers share the socket and use the others (#17).
    """
    import uvicorn

    os.environ[SERVE_OPTIONS_ENV] = json.dumps({
        "db_path": str(db_path), "private": private, "base_url": base_url,
        "immutable": immutable, "page_cache_mb": page_cache_mb})
    uvicorn.run(f"{__name__}:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning", lifespan="on", server_header=False)
