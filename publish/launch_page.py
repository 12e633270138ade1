"""The launch page: one story with its timeline, figures, facts and coverage."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any
from urllib.parse import unquote

from datasette.utils.asgi import Response
from markupsafe import Markup

from nlp.vocabulary import STAGES
from publish import reads, slugs
from publish.charts import bar_chart, line_chart


async def launch_page(datasette: Any, request: Any) -> Response:
    """/-/launch/<id or story key>: a merged story's old key redirects to the story it joined."""
    db = datasette.get_database()
    key = unquote(request.url_vars["key"])  # story keys may hold any script's letters
    found = await reads.story(db, key)
    if found is None:
        joined = await reads.merged_into(db, key)
        if joined is not None:
            return Response.redirect(datasette.urls.path(f"/-/launch/{joined}"))
        return Response.html(await datasette.render_template(
            "launch.html", {"story": None, "key": key, "database": db.name}, request=request),
            status=404)
    context = await _story_context(db, found)
    return Response.html(await datasette.render_template("launch.html", context, request=request))


async def _story_context(db: Any, story: dict) -> dict[str, Any]:
    """What launch.html shows of a story: its coverage, facts, figures and timeline."""
    launch_id = story["id"]
    return {
        "story": story,
        "coverage": await reads.story_coverage(db, launch_id),
        "facts": await reads.story_facts(db, launch_id, story["product_id"]),
        "metrics": await reads.story_metrics(db, launch_id, story["product_id"],
                                             story["company_id"]),
        "timeline": [{"stage": stage, "date": story.get(f"{stage}_on")} for stage in STAGES
                     if story.get(f"{stage}_on")],
        "database": db.name,
        "outlets": json.loads(story["outlets"] or "[]"),
        "summary_sources": json.loads(story["summary_sources"] or "[]"),
        "key_metrics": json.loads(story["key_metrics"] or "[]"),
        "product_feed": (await slugs.slug_of(db, "product", story["product"])
                         if story["product"] else None),
        # What the newsroom corrected, as `cluster` last applied corrections.toml (#16).
        "corrections": json.loads(story.get("corrections") or "[]"),
    }


async def metric_history_charts(db: Any, entity_id: Any) -> list[Markup]:
    """One chart per kind of figure reported about an entity, over time."""
    try:
        entity = int(str(entity_id).split(",")[0])
    except ValueError:
        return []
    rows = await reads.metric_history(db, entity)
    charts = []
    for metric in dict.fromkeys(row["metric"] for row in rows):
        points = [(row["as_of"], row["value"], row["modality"]) for row in rows
                  if row["metric"] == metric]
        unit = next((row["unit"] for row in rows if row["metric"] == metric and row["unit"]), "")
        chart = line_chart(f"{metric} ({unit})" if unit else metric, points)
        if chart is not None:
            charts.append(chart)
    return charts


async def launches_per_week_chart(datasette: Any) -> Markup | None:
    """Launch stories first seen per week, over the 26 weeks up to the newest (empty weeks
    drawn as empty, so a quiet month looks quiet)."""
    rows = await reads.launches_per_week(datasette.get_database())
    if not rows:
        return None
    counts = {row["week_start"]: row["launches"] for row in rows}
    newest = date.fromisoformat(rows[-1]["week_start"])
    weeks = [newest - timedelta(weeks=back) for back in range(25, -1, -1)]
    return bar_chart("Launches per week", [(week.isoformat(), counts.get(week.isoformat(), 0))
                                           for week in weeks])
