"""The entity labels, launch stages and timestamps launchwire's records are written in
(DESIGN.md).

Free of spaCy, so the site can share them without loading a language model.
"""

from __future__ import annotations

from datetime import datetime, timezone

# The tech entity labels launchwire adds to the model's own.
LABELS = ("COMPANY", "APP", "PRODUCT")
# What a launch is of: an app or a product, never a company.
PRODUCT_LABELS = tuple(label for label in LABELS if label != "COMPANY")
# A launch's stages, in the order a product goes through them.
STAGES = ("rumored", "planned", "announced", "launched")


def parse_time(value: str | None) -> datetime:
    """A stored ISO timestamp as an aware datetime (UTC when it names no zone; the epoch
    when there is none or it does not parse)."""
    try:  # str(): a column SQLite typed loosely may hand back a number
        moment = datetime.fromisoformat(str(value or "").replace("Z", "+00:00"))
    except ValueError:
        moment = datetime(1970, 1, 1)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
