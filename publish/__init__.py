"""The Datasette site: metadata, plugin hooks, templates and static files. Reads only.

Datasette registers the hooks it finds on this package (entry point `launchwire = publish`),
and serves `static/` and `templates/` beside it.
"""

from publish.plugin import *  # noqa: F401,F403  (the hook implementations)
