"""Errors the stages raise; the CLI turns them into one clear line and a non-zero exit."""


class LaunchwireError(Exception):
    """Base class for errors a user can act on."""


class SourcesError(LaunchwireError):
    """The sources file is missing, malformed or holds a bad entry."""


class ModelError(LaunchwireError):
    """The configured spaCy model cannot be loaded."""


class CrawlError(LaunchwireError):
    """The crawl could not run."""
