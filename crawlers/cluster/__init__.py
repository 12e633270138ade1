"""A crawl spread over processes and machines through Redis (#18): one writer owns SQLite,
crawl workers fetch. See crawlers/cluster/broker.py for what lives in Redis."""
