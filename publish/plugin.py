"""Datasette hooks for the launchwire site (registered via the `datasette` entry point)."""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

import launchwire

PLUGIN_NAME = "launchwire"


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.static_plugins(PLUGIN_NAME, "launchwire.css")]


@hookimpl
def extra_template_vars() -> dict[str, Any]:
    return {"launchwire_version": launchwire.__version__,
            "launchwire_tagline": "Product launches from the tech press, fact by fact"}
