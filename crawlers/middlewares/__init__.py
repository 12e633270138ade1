"""Downloader middlewares: network safety and the crawl log."""
