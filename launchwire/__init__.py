"""launchwire: a tech-news launch tracker built on Scrapy, spaCy, SQLite and Datasette."""

# The only copy (#15): setup.cfg reads it (`attr:`), so importlib.metadata.version("launchwire")
# and `launchwire --version` report it too.
__version__ = "0.1.0"
