"""Pages for readers (#16): the home page's lists, ranked search, entity pages, the sources."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from datasette.utils.asgi import Response
from datasette.version import __version__ as datasette_version
from markupsafe import Markup

from nlp.vocabulary import STAGES
from publish import reads
from publish.launch_page import launches_per_week_chart, metric_history_charts
from publish.rows_table import render_synchronously
from publish.search import fts_query, marked, terms

PER_PAGE = 20
MAX_PAGE = 50  # deep pages cost the whole ranking each time; nobody reads page 51


def _json_list(raw: str | None) -> list[str]:
    try:
        found = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(name) for name in found] if isinstance(found, list) else []


async def home_context(datasette: Any) -> dict[str, Any]:
    """What the home page shows: newest stories, this week's most covered, figures that
    disagree and the launches-per-week chart; nothing for a database not yet clustered."""
    db = datasette.get_database()
    found: dict[str, Any] = {"launchwire_chart": await launches_per_week_chart(datasette),
                             "launchwire_database": db.name}
    if "launches" not in await db.table_names():
        return found
    stories = await reads.latest_stories(db)
    for story in stories:
        story["outlets"] = _json_list(story["outlets"])
    found.update(launchwire_latest=stories,
                 launchwire_most_covered=await reads.most_covered_week(db),
                 launchwire_disagreeing=await reads.disagreeing_figures(db))
    return found


async def home_page(datasette: Any, request: Any) -> Response:
    """/: what is new (index.html, its lists from `home_context`). Datasette's own index view
    also lists every table of every database, checking each one's permissions with a copy of
    the metadata: four fifths of the page's time, for a list the page does not show (#17)."""
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    alternate = datasette.absolute_url(request, datasette.urls.path("/.json"))
    html = await datasette.render_template(
        "index.html", {"metadata": datasette.metadata(), "databases": [],
                       "datasette_version": datasette_version,
                       "alternate_url_json": alternate},
        request=request, view_name="index")
    return Response.html(html, headers={
        "Link": f'{alternate}; rel="alternate"; type="application/json+datasette"'})


def _page_number(raw: str | None) -> int:
    return min(int(raw), MAX_PAGE) if raw and raw.isdigit() and int(raw) > 0 else 1


def _result(row: dict, datasette: Any) -> dict[str, Any]:
    story = row["kind"] == "story"
    link = datasette.urls.path(f"/-/launch/{row['id']}") if story else row["url"]
    return {"kind": row["kind"], "id": row["id"], "url": link, "source": row["source"],
            "date": (row["seen"] or "")[:10],
            "title_html": marked(row["title"], reads.MARK_OPEN, reads.MARK_CLOSE),
            "snippet_html": marked(row["snippet"], reads.MARK_OPEN, reads.MARK_CLOSE)}


async def search_page(datasette: Any, request: Any) -> Response:
    """/-/search?q=words&page=N, best first; /-/search.json gives the same page as JSON."""
    query = request.args.get("q", "")
    page = _page_number(request.args.get("page"))
    rows = []
    if terms(query):
        rows = await reads.search_results(datasette.get_database(), fts_query(query),
                                          PER_PAGE + 1, (page - 1) * PER_PAGE)
    results = [_result(row, datasette) for row in rows[:PER_PAGE]]
    more = len(rows) > PER_PAGE and page < MAX_PAGE

    def link(number: int, suffix: str = "") -> str:
        params = {"q": query, **({"page": number} if number > 1 else {})}
        return datasette.urls.path(f"/-/search{suffix}?{urlencode(params)}")

    if request.url_vars.get("as_json"):
        return Response.json({"q": query, "page": page, "results": [
            dict(r, title_html=str(r["title_html"]), snippet_html=str(r["snippet_html"]))
            for r in results], "next": link(page + 1, ".json") if more else None})
    context = {"q": query, "page": page, "per_page": PER_PAGE, "results": results,
               "searched": bool(terms(query)),
               "next_url": link(page + 1) if more else None,
               "previous_url": link(page - 1) if page > 1 else None,
               "json_url": link(page, ".json"), "database": datasette.get_database().name}
    return Response.html(await datasette.render_template("search.html", context,
                                                         request=request))


async def sources_page(datasette: Any, request: Any) -> Response:
    """/-/sources: the outlets crawled and how each feed is doing (the feed_health view)."""
    rows = await reads.source_health(datasette.get_database())
    outlets: dict[str, dict] = {}
    for row in rows:
        outlet = outlets.setdefault(row["source"], {"name": row["source"],
                                                    "homepage": row["homepage"], "feeds": []})
        if row["url"]:
            outlet["feeds"].append(row)
    return Response.html(await datasette.render_template(
        "sources.html", {"outlets": list(outlets.values())}, request=request))


def _stages(story: dict) -> list[dict]:
    return [{"stage": stage, "date": story[f"{stage}_on"]} for stage in STAGES
            if story.get(f"{stage}_on")]


async def entity_context(datasette: Any, database: str, pks: str) -> dict[str, Any]:
    """What an entity's page adds to its row: stories with their stages, apps and products or
    their maker, aliases and parent, and its figures as charts and as written, rendered as
    its profile (_entity_profile.html)."""
    try:
        entity_id = int(pks.split(",")[0])
    except ValueError:
        return {}
    db = datasette.get_database(database)
    found = await reads.entity(db, entity_id)
    if found is None:
        return {}
    stories = await reads.entity_stories(db, entity_id)
    for story in stories:
        story["stages"] = _stages(story)
    charts: list[Markup] = await metric_history_charts(db, entity_id)
    entity = dict(found, aliases=_json_list(found["aliases"]))
    # The page itself needs only the entity (row.html asks whether there is one) and the
    # profile; the parts go to the profile's template alone.
    profile = render_synchronously(
        "_entity_profile.html", urls=datasette.urls, database=database,
        launchwire_entity=entity, launchwire_stories=stories,
        launchwire_products=await reads.entity_products(db, entity_id),
        launchwire_makers=await reads.entity_makers(db, entity_id),
        launchwire_figures=await reads.entity_figures(db, entity_id),
        launchwire_charts=charts)
    return {"launchwire_entity": entity, "launchwire_entity_profile": profile}
