"""Searches and facets take turns, so they cannot take every SQL thread (#12).

Datasette answers from three SQL threads. A search for a word in every article costs a
second on a large database (its matches sorted, counted and faceted); three clients asking
for one in a loop held all three threads and cut everyone else from ~100 to 3 requests a
second. At most RUNNING costly requests run at once, so a thread stays free for every other
page; up to WAITING more queue, and beyond that a client is told to come back (429).
"""

from __future__ import annotations

import asyncio
import re
from contextlib import asynccontextmanager
from typing import AsyncIterator

RUNNING = 2  # one of Datasette's three SQL threads always free (num_sql_threads is 3)
WAITING = 32
# A non-empty search (`_search`, `_search_<column>`, `q`) or a facet.
COSTLY = re.compile(rb"(?:^|&)(?:_search[^=&]*|q|_facet[^=&]*)=[^&]")


def is_costly(query_string: bytes) -> bool:
    """Whether a request's query asks for a search or a facet."""
    return COSTLY.search(query_string) is not None


class Gate:
    """Lets at most `running` costly requests in at once and queues at most `waiting`."""

    def __init__(self, running: int = RUNNING, waiting: int = WAITING) -> None:
        self.running, self.waiting = running, waiting
        self._queued = 0
        self._slots: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[bool]:
        """Yields True once it is this request's turn, or False at once when the queue is full."""
        if self._queued >= self.waiting:
            yield False
            return
        self._slots = self._slots or asyncio.Semaphore(self.running)
        slots = self._slots
        self._queued += 1
        try:
            await slots.acquire()
        finally:
            self._queued -= 1
        try:
            yield True
        finally:
            slots.release()
