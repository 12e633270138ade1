"""Error pages that cost what a 403 costs (#12).

Datasette 0.65's own handler prints every error with rich's print_exception(show_locals=True)
when rich is installed: a ~19 KB traceback and 220–370 ms of CPU for each 404, which any
client can ask for in a loop. This one renders the same page and logs only server faults.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

logger = logging.getLogger(__name__)


def status_of(exception: Exception) -> int:
    """The HTTP status for an exception raised while answering a request."""
    if isinstance(exception, Base400):
        return exception.status
    if isinstance(exception, DatasetteError):
        # Datasette raises these for what the request asked (`_sort` by an unknown column);
        # their default status, 500, blamed the server for a client's mistake.
        return 400 if exception.status == 500 else exception.status
    if isinstance(exception, sqlite3.ProgrammingError):
        # Parameters that do not fit the SQL: Datasette builds both from the URL (one key for
        # a row of a two-column primary key); launchwire's own SQL is fixed and tested.
        return 400
    return 500


def _message(exception: Exception, status: int) -> tuple[Any, str | None, dict]:
    if status >= 500:  # its text may name files or SQL: the log has it, the client does not
        return "Internal error", None, {}
    if isinstance(exception, DatasetteError):
        message = Markup(exception.message) if exception.message_is_html else exception.message
        return message, exception.title, dict(exception.error_dict)
    return (exception.args[0] if exception.args else str(exception)), None, {}


async def error_response(datasette: Any, request: Any, exception: Exception) -> Response:
    """Datasette's error page or JSON for `exception`; a server fault is logged as a plain
    traceback, a client's mistake not at all.

    datasette (Datasette): the site.
    request (Request): the request that failed.
    exception (Exception): what was raised.
    """
    status = status_of(exception)
    if status >= 500:
        logger.error("%s %s failed", request.method, request.path, exc_info=exception)
    message, title, info = _message(exception, status)
    info.update({"ok": False, "error": message, "status": status, "title": title})
    if request.path.endswith(".json"):
        return Response.json(info, status=status)
    template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
    html = await template.render_async(dict(info, urls=datasette.urls, menu_links=lambda: [],
                                            app_css_hash=datasette.app_css_hash()))
    return Response.html(html, status=status)
