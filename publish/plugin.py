"""Datasette hooks for the launchwire site (the `datasette` entry point loads `publish`)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from typing import Any, Callable

from datasette import hookimpl
from markupsafe import Markup, escape

from publish.access import public_permission
from publish.conditional import AnswerCache, State, conditional, file_states
from publish.config import PLUGIN_NAME, is_private, page_cache_bytes, site_url
from publish.counts import count_from_kept_totals
from publish.errors import error_response
from publish.facets import (ArrayFacetOfTheSet, CountedColumnFacet, DateFacetOfTheSet,
                            facet_deduplicator, replace_datasette_facets)
from publish.feeds import ROUTES as FEED_ROUTES
from publish.guard import guarded
from publish.inline import cheap_requests, run_cheap_sql_here
from publish.launch_page import launch_page
from publish.links import is_web_url
from publish.pages import entity_context, home_context, home_page, search_page, sources_page
from publish.rows_table import rows_table_renderer
from publish.search import fts_query
from publish.table_search import reading_common_words

__all__ = ["asgi_wrapper", "extra_body_script", "extra_css_urls", "extra_template_vars",
           "filters_from_request", "handle_exception", "permission_allowed", "prepare_connection",
           "prepare_jinja2_environment", "register_facet_classes", "register_routes",
           "render_cell", "startup"]


@cache
def installed_version() -> str:
    """launchwire's version, read from its installed distribution (which the entry point that
    loads these hooks implies) rather than imported from the shell, which publish may not
    import (#15); read once, as it cannot change while the site runs."""
    return version(PLUGIN_NAME)


@hookimpl
def startup(datasette: Any) -> Any:
    replace_datasette_facets()

    async def prepare_databases() -> None:
        for database in datasette.databases.values():
            run_cheap_sql_here(database)
            await count_from_kept_totals(database)
    return prepare_databases


@hookimpl
def register_facet_classes() -> list[type]:
    # Datasette's own facet plugin is blocked at startup: its other two facets come back.
    return [CountedColumnFacet, DateFacetOfTheSet, ArrayFacetOfTheSet]


@hookimpl(wrapper=True)
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """Every table filter as Datasette builds it, but a search for a common word read without
    sorting all its matches (publish.table_search, #17)."""
    results = yield
    return reading_common_words(results, request, database, table, datasette)


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.static_plugins(PLUGIN_NAME, "launchwire.css")]


# Datasette's filter form (table.html, outside any block a plugin can override) has no labels
# on its column, operator and value fields; screen readers announce them as unnamed (#16).
FILTER_LABELS = """
for (const [name, label] of [["_filter_column", "Column to filter"],
                             ["_filter_op", "How to compare"],
                             ["_filter_value", "Value to compare with"]]) {
  document.querySelectorAll(`form.filters [name^="${name}"]`)
    .forEach(field => field.setAttribute("aria-label", label));
}
"""


@hookimpl
def extra_body_script(template: str) -> str | None:
    return FILTER_LABELS if template == "table.html" else None


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None, request: Any,
                        datasette: Any) -> Any:
    async def variables() -> dict[str, Any]:
        found = {"launchwire_version": installed_version(),
                 "launchwire_tagline": "Product launches from the tech press, fact by fact"}
        if template in ("table.html", "row.html") and request is not None:
            found["launchwire_rows_table"] = rows_table_renderer(datasette, request)
        if template == "index.html":
            found.update(await home_context(datasette))
        if template == "row.html" and not is_private(datasette):
            found["foreign_key_tables"] = []  # they link the raw tables a public site closes
        if template == "row.html" and table == "entities" and request is not None:
            found.update(await entity_context(datasette, database,
                                              request.url_vars.get("pks", "")))
        return found
    return variables


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/$", home_page), (r"^/-/launch/(?P<key>[^/]+)$", launch_page),
            (r"^/-/search(?P<as_json>\.json)?$", search_page),
            (r"^/-/sources$", sources_page), *FEED_ROUTES]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, row: Any, datasette: Any) -> Any:
    """A launch's headline links to its launch page."""
    if table == "launches" and column == "headline" and value is not None:
        url = datasette.urls.path(f"/-/launch/{row['id']}")
        return Markup(f'<a href="{escape(url)}">{escape(value)}</a>')
    return None


@hookimpl(trylast=True)
def permission_allowed(datasette: Any, action: str, resource: Any) -> bool | None:
    """Deny by default on a public site: called last, so its answer is the one Datasette
    keeps; a private site keeps Datasette's defaults (everything readable) (#12)."""
    return None if is_private(datasette) else public_permission(action, resource)


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable:
    snapshots: dict[str, State] = {}

    def database_states() -> list[State]:
        databases = [db for db in datasette.databases.values() if db.path]
        for db in databases:
            if not db.is_mutable and db.path not in snapshots:
                # Read once: an immutable file does not change while it is served (#18).
                snapshots[db.path] = ((db.hash, db.size), db.mtime_ns)
        return file_states([db.path for db in databases if db.is_mutable]) + [
            snapshots[db.path] for db in databases if not db.is_mutable]
    code = f"launchwire {installed_version()}, datasette {version('datasette')}"
    def default_facets(database: str, table: str) -> list[str]:
        facets = datasette.table_metadata(database, table).get("facets") or []
        return [facet for facet in facets if isinstance(facet, str)]
    def offered_sorts(database: str, table: str) -> list[str]:
        return list(datasette.table_metadata(database, table).get("sortable_columns") or [])
    # The guard first: a refused request never reaches the conditional answer (#17).
    kept = page_cache_bytes(datasette)
    cache = AnswerCache(max_bytes=kept) if kept else None
    return lambda app: guarded(conditional(app, database_states, code, cache),
                               public=not is_private(datasette), site_url=site_url(datasette),
                               rewrite=facet_deduplicator(default_facets),
                               cheap=cheap_requests(default_facets, offered_sorts))


@hookimpl
def prepare_connection(conn: Any) -> None:
    # The ranked search builds its MATCH from words only, as the feeds do (#12).
    conn.create_function("launchwire_fts", 1, fts_query, deterministic=True)


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.tests["web_url"] = is_web_url


@hookimpl(wrapper=True)
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Any:
    """Answer every error with launchwire's handler alone: the other handlers' answers
    (Datasette's default prints a rich traceback with locals, ~250 ms a 404) are dropped
    unawaited, so they never run (#12)."""
    yield
    return [error_response(datasette, request, exception)]
