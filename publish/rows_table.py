"""Parts of pages rendered in one synchronous call: the rows of a table or row page, and
an entity's profile.

Datasette renders its pages with async Jinja, where every piece of output passes up through
each template the page extends. A page of 30 launches is some 6,000 pieces and spent about
two thirds of its rendering there (#17); a busy company's profile, ~1,800 pieces, most of
its page. These parts are data only, so a synchronous environment renders them, and they
reach the page as one piece.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import jinja2
from datasette.utils import path_with_replaced_args, to_css_class
from markupsafe import Markup, escape

from publish.links import is_web_url

TEMPLATE = "_rows_table.html"
ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True)
# A page repeats its few column names in every row; md5 for an odd name once is enough.
ENVIRONMENT.filters["to_css_class"] = lru_cache(maxsize=4096)(to_css_class)
ENVIRONMENT.tests["web_url"] = is_web_url  # as the site's environment has it (_macros.html)


def render_synchronously(template: str, **context: Any) -> Markup:
    """`template` (in publish/templates) rendered with `context`, as one piece of markup."""
    return Markup(ENVIRONMENT.get_template(template).render(**context))


@lru_cache(maxsize=4096)
def _cell_class(column: str, value_type: str) -> str:
    return f"col-{escape(to_css_class(column))} type-{escape(value_type)}"


def body_rows(display_rows: list[Any]) -> Markup:
    """The table's rows as HTML: one cell per column, Datasette's classes on each.

    Built here rather than in the template: a page of 30 launches has ~750 cells, and a
    template escapes and looks up three expressions in each (2 of a launches page's 15 ms
    of CPU at 100k articles).
    The classes repeat per column, so they are made once; each value is escaped as it goes.
    """
    parts = []
    for row in display_rows:
        parts.append("<tr>")
        for cell in row:
            parts.append(f'\n<td class="{_cell_class(cell["column"], cell["value_type"])}">'
                         f'{escape(cell["value"])}</td>')
        parts.append("\n</tr>\n")
    return Markup("".join(parts))


def rows_table_renderer(datasette: Any, request: Any) -> Callable[..., Markup]:
    """The template function that renders a page's rows, its sort links kept on the request.

    datasette (Datasette): the site, for its URL prefix.
    request (Request): the page's request, whose arguments the sort links keep.
    """
    def render(display_columns: list[dict[str, Any]], display_rows: list[Any],
               sort: str | None = None, sort_desc: str | None = None) -> Markup:
        def sorted_path(column: str, descending: bool = False) -> str:
            replaced = ({"_sort_desc": column, "_sort": None} if descending
                        else {"_sort": column, "_sort_desc": None})
            return datasette.urls.path(
                path_with_replaced_args(request, {**replaced, "_next": None}))
        return render_synchronously(
            TEMPLATE, display_columns=display_columns, body_rows=body_rows(display_rows),
            sort=sort, sort_desc=sort_desc, sorted_path=sorted_path)
    return render
