"""Datasette hooks for the launchwire site (the `datasette` entry point loads `publish`)."""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils import await_me_maybe

import launchwire
from publish.feeds import ROUTES as FEED_ROUTES
from publish.launch_page import launch_page, launches_per_week_chart, metric_history_charts

# Datasette names an entry-point plugin after its distribution, and serves its static/ folder.
PLUGIN_NAME = "launchwire"

__all__ = ["extra_css_urls", "extra_template_vars", "handle_exception", "register_routes",
           "render_cell"]


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.static_plugins(PLUGIN_NAME, "launchwire.css")]


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None, request: Any,
                        datasette: Any) -> Any:
    async def variables() -> dict[str, Any]:
        found = {"launchwire_version": launchwire.__version__,
                 "launchwire_tagline": "Product launches from the tech press, fact by fact"}
        if template == "index.html":
            found["launchwire_chart"] = await launches_per_week_chart(datasette)
        elif template == "row.html" and table == "entities" and request is not None:
            found["launchwire_charts"] = await metric_history_charts(
                datasette.get_database(database), request.url_vars.get("pks", ""))
        return found
    return variables


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/launch/(?P<key>[^/]+)$", launch_page), *FEED_ROUTES]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, row: Any, datasette: Any) -> Any:
    """A launch's headline links to its launch page."""
    if table == "launches" and column == "headline" and value is not None:
        from markupsafe import Markup, escape

        url = datasette.urls.path(f"/-/launch/{row['id']}")
        return Markup(f'<a href="{escape(url)}">{escape(value)}</a>')
    return None


@hookimpl(wrapper=True)
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Any:
    """Run every error handler where rich can see the exception.

    Datasette 0.65 prints errors with rich's print_exception(), which raises ValueError
    outside an except block: that is where Datasette handles an unrouted URL, so with rich
    installed (launchwire's CLI uses it) every such 404 became a 500.
    """
    handlers = yield
    return [_in_except_block(handler, exception) for handler in handlers]


def _in_except_block(handler: Any, exception: Exception) -> Any:
    async def run() -> Any:
        try:
            raise exception
        except type(exception):
            return await await_me_maybe(handler)
    return run
