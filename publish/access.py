"""What a public site serves: an allow-list of tables, views, canned queries and routes.

Everything not listed is closed, so a table added later, or a search index's shadow tables
(`<index>_data`, `_idx`, `_docsize`, `_config`, which rebuild every article's words), stay
closed without anyone remembering to close them (#12). `serve --private` shows everything.
"""

from __future__ import annotations

from typing import Any

# Stories, the names they are about, the outlets, and what a public site may show of an
# article and of the facts found in it: the *_public views leave out the publishers' full
# text and every sentence beyond an article's quotable budget.
PUBLIC_TABLES = frozenset({
    "launches", "launch_articles", "launch_merges", "entities", "sources",
    "articles_public", "mentions_public", "metrics_public", "facts_public",
})
# Reviewed SQL: each reads sentences only through the public views (a test checks).
PUBLIC_QUERIES = frozenset({
    "search", "latest_launches", "launches_by_company", "metric_history", "apps_above_users",
    "rumored_not_confirmed", "most_covered", "first_to_report", "disagreeing_figures",
    "mentioned_with", "articles_mentioning", "launch_facts_of",
})
# Under /-/ only the plugin's own pages and the static files: Datasette's introspection pages
# (databases with their file path, settings, versions, threads, metadata…) stay closed.
PUBLIC_ROUTES = ("/-/launch/", "/-/feeds/", "/-/feeds.opml", "/-/static/", "/-/static-plugins/",
                 "/-/search", "/-/sources")
INTERNAL_DATABASE = "_internal"


def public_route(path: str) -> bool:
    """Whether a public site answers `path` at all (pages outside /-/ are checked later,
    table by table, through the permission hook).

    path (str): the request's path, percent-decoded.
    """
    return not path.startswith("/-/") or path.startswith(PUBLIC_ROUTES)


def public_permission(action: str, resource: Any) -> bool:
    """A public site's answer to every permission Datasette asks: True only for what the
    allow-lists name; no SQL, no database download, no debugging pages, no writes.

    action (str): Datasette's action, e.g. "view-table".
    resource (Any): None, a database name, or a (database, table or query) pair.
    """
    if action == "view-instance":
        return True
    if action == "view-database":
        return resource != INTERNAL_DATABASE
    if action in ("view-table", "view-query") and isinstance(resource, tuple):
        database, name = resource
        listed = PUBLIC_TABLES if action == "view-table" else PUBLIC_QUERIES
        return database != INTERNAL_DATABASE and name in listed
    return False
