"""Pages as a site answers them, for tests that compare two sites (#18)."""

from __future__ import annotations

import json
import re
from typing import Any

QUERY_TIME = re.compile(rb"Queries took [0-9.]+ms")


def settled(body: bytes) -> bytes:
    """A page without the one thing that changes from one answer to the next."""
    return QUERY_TIME.sub(b"Queries took ?ms", body)


async def answers(datasette: Any, pages: list[str]) -> dict[str, tuple[int, bytes]]:
    """{page: (status, settled body)} of each page, asked of Datasette's test client."""
    answered = {}
    for page in pages:
        response = await datasette.client.get(page)
        answered[page] = (response.status_code, settled(response.content))
    return answered


def found(answer: tuple[int, bytes]) -> list[str]:
    """A search's results (a JSON answer), in no particular order and without their score."""
    results = json.loads(answer[1])
    rows = results["results"] if isinstance(results, dict) else results
    return sorted(json.dumps({k: v for k, v in row.items() if k != "score"}, sort_keys=True)
                  for row in rows)
