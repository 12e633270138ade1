"""URL hygiene: one canonical form per story URL, and the schemes a crawler may follow."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

FOLLOWED_SCHEMES = frozenset({"http", "https"})
# Parameters that say how a reader arrived, never which story it is.
TRACKING_PARAMETER = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|"
    r"_hsenc|_hsmi|mkt_tok|ref_src|ref_url|cmpid|ncid|ocid|sr_share|guccounter|taid)$",
    re.IGNORECASE)
DEFAULT_PORTS = {"http": 80, "https": 443}


def refused_scheme(url: str) -> str | None:
    """The scheme of a link the crawler must not follow (javascript:, data:, file: …), or None."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return None if scheme in FOLLOWED_SCHEMES else (scheme or "relative")


def canonical_url(url: str) -> str:
    """One spelling per story: no fragment, no tracking parameters, no default port.

    url (str): an absolute http(s) URL.
    RETURNS (str): e.g. "https://example.com/a?id=1" for
        "HTTPS://Example.com:443/a?utm_source=rss&id=1#comments".
    """
    parts = urlsplit(url.strip())
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAMETER.match(key)]
    netloc = parts.hostname or ""
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme.lower()):
        netloc += f":{parts.port}"
    cleaned = urlunsplit((parts.scheme, netloc, parts.path or "/", urlencode(query), ""))
    return canonicalize_url(cleaned)


def same_site(first: str, second: str) -> bool:
    """Whether two URLs share a host (ignoring "www." and "amp."), so a canonical link is trusted."""
    def host(url: str) -> str:
        name = (urlsplit(url).hostname or "").lower()
        return re.sub(r"^(www|amp|m)\.", "", name)
    return host(first) == host(second)
