"""When to check a feed next: as often as it publishes, backing off while it fails."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta
from typing import Any, Mapping

MIN_INTERVAL = timedelta(minutes=15)
MAX_INTERVAL = timedelta(hours=24)
DEFAULT_INTERVAL = timedelta(hours=1)
# Entries are compared over the most recent ones only: a feed's old archive says little.
RECENT_ENTRIES = 10


def publishing_interval(published: list[datetime]) -> timedelta:
    """The median gap between a feed's recent entries, clamped to [15 min, 24 h].

    published (list[datetime]): entry dates, any order.
    RETURNS (timedelta): how long to wait before the next check.
    """
    recent = sorted(published, reverse=True)[:RECENT_ENTRIES]
    if len(recent) < 2:
        return DEFAULT_INTERVAL
    gaps = [newer - older for newer, older in zip(recent, recent[1:])]
    median = timedelta(seconds=statistics.median(gap.total_seconds() for gap in gaps))
    return min(max(median, MIN_INTERVAL), MAX_INTERVAL)


def after_success(now: datetime, published: list[datetime], interval: timedelta | None) -> tuple[datetime, timedelta]:
    """Next check and interval after a 200 (entry dates known) or a 304 (`published` empty)."""
    new_interval = publishing_interval(published) if published else (interval or DEFAULT_INTERVAL)
    return now + new_interval, new_interval


def after_failure(now: datetime, failures: int, interval: timedelta | None,
                  retry_after: timedelta | None = None) -> datetime:
    """Next check after the `failures`-th failure in a row: doubling, capped, honouring Retry-After."""
    base = interval or DEFAULT_INTERVAL
    backoff = min(base * (2 ** min(failures, 10)), MAX_INTERVAL)
    if retry_after is not None:
        backoff = max(backoff, retry_after)
    return now + backoff


def interval_of(feed: Mapping[str, Any]) -> timedelta | None:
    """The interval a stored feed row was last given, if any."""
    return timedelta(seconds=feed["interval_s"]) if feed.get("interval_s") else None
