"""The Datasette site: metadata, plugin hooks, templates and static files. Reads only."""
