"""launchwire: a tech-news launch tracker built on Scrapy, spaCy, SQLite and Datasette."""

__version__ = "0.1.0"
