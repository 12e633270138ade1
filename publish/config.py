"""What `serve` tells the plugin: public or private, the site's own URL and how much of its
answers it keeps."""

from __future__ import annotations

from typing import Any

# Datasette names an entry-point plugin after its distribution, and serves its static/ folder.
PLUGIN_NAME = "launchwire"
# `launchwire serve` passes Settings.site_url; this is only for a Datasette built without it.
DEFAULT_SITE_URL = "http://127.0.0.1:8001"
DEFAULT_PAGE_CACHE_MB = 64


def _config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN_NAME) or {}


def is_private(datasette: Any) -> bool:
    """Only an explicit `private` opens the site: a Datasette started any other way with this
    plugin installed is a public one (#12)."""
    return _config(datasette).get("private") is True


def site_url(datasette: Any) -> str:
    """The site's public URL, without a trailing slash, for links in feeds and OPML: never
    the request's Host header, which a client chooses and a cache keeps (#12)."""
    return str(_config(datasette).get("base_url") or DEFAULT_SITE_URL).rstrip("/")


def page_cache_bytes(datasette: Any) -> int:
    """How many bytes of answers the site keeps to send again (0: none)."""
    return int(_config(datasette).get("page_cache_mb", DEFAULT_PAGE_CACHE_MB) * 1024 * 1024)
