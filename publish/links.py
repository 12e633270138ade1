"""Which stored URLs a page or feed may link: http(s) only (#12).

An article's URL comes from a publisher's feed; a `javascript:` or `data:` one must reach a
reader as text, never as a link that runs in the site's origin.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

# Browsers drop tabs and newlines inside a URL, and ignore leading control characters, so
# "java\tscript:" is still javascript: a URL holding any of them is not linked at all.
CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def is_web_url(value: Any) -> bool:
    """Whether `value` is an absolute http or https URL with a host, safe to put in href.

    value (Any): what the database holds.
    """
    if not isinstance(value, str) or CONTROL_OR_SPACE.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # an unbalanced [ in the host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
