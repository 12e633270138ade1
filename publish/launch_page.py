"""The launch page: one story with its timeline, figures, facts and coverage."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any
from urllib.parse import unquote

from datasette.utils.asgi import Response
from markupsafe import Markup

from publish.charts import bar_chart, line_chart

STAGES = ("rumored", "planned", "announced", "launched")


async def _one(db: Any, sql: str, params: list) -> dict | None:
    rows = (await db.execute(sql, params)).rows
    return dict(rows[0]) if rows else None


async def rows_of(db: Any, sql: str, params: list | dict) -> list[dict]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


async def launch_page(datasette: Any, request: Any) -> Response:
    """/-/launch/<id or story key>: a merged story's old key redirects to the story it joined."""
    db = datasette.get_database()
    key = unquote(request.url_vars["key"])  # story keys may hold any script's letters
    story = await _one(db, """
        select l.*, p.name as product, p.label as product_label, c.name as company
        from launches l left join entities p on p.id = l.product_id
        left join entities c on c.id = l.company_id
        where l.story_key = ? or cast(l.id as text) = ?""", [key, key])
    if story is None:
        merged = await _one(db, "select launch_id from launch_merges where story_key = ?", [key])
        if merged is not None:
            return Response.redirect(datasette.urls.path(f"/-/launch/{merged['launch_id']}"))
        return Response.html(await datasette.render_template(
            "launch.html", {"story": None, "key": key, "database": db.name}, request=request),
            status=404)
    context = await _story_context(db, story)
    return Response.html(await datasette.render_template("launch.html", context, request=request))


async def _story_context(db: Any, story: dict) -> dict[str, Any]:
    """What launch.html shows of a story: its coverage, facts, figures and timeline."""
    launch_id = story["id"]
    coverage = await rows_of(db, """
        select a.id, a.title, a.source, a.url, coalesce(a.published, a.fetched_at) as seen, a.summary
        from launch_articles la join articles a on a.id = la.article_id
        where la.launch_id = ? order by seen, a.id""", [launch_id])
    # Sentences only through the public views, on a private site too: what the page quotes
    # stays within each article's budget (#12).
    facts = await rows_of(db, """
        select f.modality, f.date, f.platform, f.region, f.price, f.sentence, a.source, a.url,
               a.title, f.product
        from facts_public f join launch_articles la on la.article_id = f.article_id
        join articles_public a on a.id = f.article_id
        where la.launch_id = ? and f.product_id is ? order by f.date, a.published""",
                        [launch_id, story["product_id"]])
    metrics = await rows_of(db, """
        select m.metric, m.value, m.unit, m.qualifier, m.modality, m.claimant, m.text, m.as_of,
               m.sentence, a.source, a.url, m.entity as subject
        from metrics_public m join launch_articles la on la.article_id = m.article_id
        join articles_public a on a.id = m.article_id
        where la.launch_id = ? and m.entity_id in (?, ?) order by m.as_of, m.metric""",
                          [launch_id, story["product_id"], story["company_id"]])
    return {
        "story": story, "coverage": coverage, "facts": facts, "metrics": metrics,
        "timeline": [{"stage": stage, "date": story.get(f"{stage}_on")} for stage in STAGES
                     if story.get(f"{stage}_on")],
        "database": db.name,
        "outlets": json.loads(story["outlets"] or "[]"),
        "summary_sources": json.loads(story["summary_sources"] or "[]"),
        "key_metrics": json.loads(story["key_metrics"] or "[]"),
    }


async def metric_history_charts(db: Any, entity_id: Any) -> list[Markup]:
    """One chart per kind of figure reported about an entity, over time."""
    try:
        entity = int(str(entity_id).split(",")[0])
    except ValueError:
        return []
    rows = await rows_of(db, """
        select metric, as_of, value, unit, modality from metrics_public
        where entity_id = ? and as_of is not null and modality != 'hypothetical'
        order by metric, as_of, id""", [entity])
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
    db = datasette.get_database()
    if "launches" not in await db.table_names():
        return None
    rows = await rows_of(db, """
        select date(first_seen, '-' || strftime('%w', first_seen) || ' days') as week_start,
               count(*) as launches
        from launches
        where first_seen >= (select datetime(max(first_seen), '-182 days') from launches)
        group by week_start order by week_start""", [])
    if not rows:
        return None
    counts = {row["week_start"]: row["launches"] for row in rows}
    newest = date.fromisoformat(rows[-1]["week_start"])
    weeks = [newest - timedelta(weeks=back) for back in range(25, -1, -1)]
    return bar_chart("Launches per week", [(week.isoformat(), counts.get(week.isoformat(), 0))
                                           for week in weeks])
