"""One spider per kind of source."""
