"""Errors the stages raise; the CLI turns them into one clear line and a non-zero exit."""


class LaunchwireError(Exception):
    """Base class for errors a user can act on."""


class CrawlError(LaunchwireError):
    """The crawl could not run."""


class ProcessError(LaunchwireError):
    """A worker of `process` stopped, or disagreed with the parent, or (distributed) no
    worker analysed a batch in its leases (#17, #18)."""


class BrokerError(LaunchwireError):
    """The distributed mode's broker did not answer, even after waiting a while (#18)."""
