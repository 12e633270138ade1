"""Server-drawn SVG charts: escaped, script-free, and shown where people look."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
import sqlite_utils

from publish.charts import bar_chart, line_chart
from publish.site import make_datasette


def test_line_chart_is_valid_svg_with_a_dot_per_figure_and_escaped_labels() -> None:
    svg = line_chart("mau <script>", [("2025-01-01", 1e6, "reported"), ("2025-06-01", 3e6, "forecast")])
    tree = ElementTree.fromstring(str(svg))
    dots = tree.findall("{http://www.w3.org/2000/svg}circle")
    assert [dot.get("class") for dot in dots] == ["dot-reported", "dot-forecast"]
    assert "<script>" not in str(svg) and "&lt;script&gt;" in str(svg)


def test_one_figure_or_no_weeks_draw_nothing() -> None:
    assert line_chart("mau", [("2025-01-01", 1e6, "reported")]) is None
    assert bar_chart("Launches per week", []) is None
    bars = ElementTree.fromstring(str(bar_chart("Launches per week", [("2025-W01", 2), ("2025-W02", 5)])))
    heights = [float(rect.get("height")) for rect in bars.findall("{http://www.w3.org/2000/svg}rect")]
    assert heights[0] < heights[1]


@pytest.mark.slow
async def test_home_page_and_entity_pages_show_their_charts(crawled_db: Path) -> None:
    datasette = make_datasette(crawled_db)
    home = await datasette.client.get("/")
    assert home.status_code == 200 and "Launches per week" in home.text
    assert home.text.count("<rect") == 26  # every week of the half year, quiet ones too
    assert f"/{crawled_db.stem}/latest_launches" in home.text
    db = sqlite_utils.Database(crawled_db)
    entity = db.execute("""select entity_id from metrics where modality != 'hypothetical'
                           group by entity_id, metric having count(*) > 1 limit 1""").fetchone()[0]
    page = await datasette.client.get(f"/{crawled_db.stem}/entities/{entity}")
    assert page.status_code == 200 and "Figures over time" in page.text and "<circle" in page.text
