"""URL hygiene: the URL to fetch for a link as a document gives it, one canonical form per
story URL (the frontier's key), and the links a crawler must refuse."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

FOLLOWED_SCHEMES = frozenset({"http", "https"})
# Parameters that say how a reader arrived, never which story it is.
TRACKING_PARAMETER = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|"
    r"_hsenc|_hsmi|mkt_tok|ref_src|ref_url|cmpid|ncid|ocid|sr_share|guccounter|taid)$",
    re.IGNORECASE)
DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, int]
# Scrapy's URLLENGTH_LIMIT: longer links are junk or attacks, and Scrapy would drop their
# requests silently, leaving the entry pending for ever (#12).
MAX_URL_LENGTH = 2083
# A DNS name after IDNA: labels of letters, digits, "-" and "_" (seen in real hosts), 1-63 long.
HOST_NAME = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)(\.(?!-)[a-z0-9_-]{1,63}(?<!-))*\.?$")
# What a browser drops inside a URL (WHATWG URL standard); other control characters refuse it.
DROPPED_INSIDE = str.maketrans("", "", "\t\n\r")


class RefusedLink(ValueError):
    """A link the crawler will not fetch; its message is the reason logged in `fetches`."""


def refused_scheme(url: str) -> str | None:
    """The scheme of a link the crawler must not follow (javascript:, data:, file: …), or None."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return None if scheme in FOLLOWED_SCHEMES else (scheme or "relative")


def loggable(link: str) -> str:
    """A link as the fetch log can store it: cut to MAX_URL_LENGTH, lone surrogates escaped."""
    cut = link if len(link) <= MAX_URL_LENGTH else link[:MAX_URL_LENGTH] + "…"
    return cut.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_host(host: str | None) -> None:
    if not host:
        raise RefusedLink("no host")
    if ":" in host:  # an IPv6 literal: urlsplit has already checked it
        return
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise RefusedLink(f"invalid host: {host}") from error
    if not HOST_NAME.match(ascii_host):
        raise RefusedLink(f"invalid host: {host}")


def fetch_url(link: str, base: str) -> str:
    """The URL to fetch for a link, as the document gives it: absolute, trimmed, else unchanged.

    link (str): the link, perhaps relative.
    base (str): the document's URL.
    RETURNS (str): e.g. "http://[::1]:8334/x?b=2&a=1" for " /x?b=2&a=1" on http://[::1]:8334/feed.
    RAISES (RefusedLink): unreadable (bad IPv6 literal, invalid port), too long, with control
        characters or lone surrogates, not http(s), or with no valid host; each link on its own,
        so one bad link never drops the rest of its feed (#12).
    """
    text = link.strip().translate(DROPPED_INSIDE)
    if len(text) > MAX_URL_LENGTH:
        raise RefusedLink(f"too long: {len(text)} characters")
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        raise RefusedLink("control character or lone surrogate in URL")
    try:
        absolute = urljoin(base, text)
        parts = urlsplit(absolute)
        port = parts.port
    except ValueError as error:
        raise RefusedLink(f"malformed URL: {error}") from error
    scheme = refused_scheme(absolute)
    if scheme is not None:
        raise RefusedLink(f"{scheme}: scheme")
    _check_host(parts.hostname)
    if port == 0:
        raise RefusedLink("invalid port: 0")
    if len(absolute) > MAX_URL_LENGTH:
        raise RefusedLink(f"too long: {len(absolute)} characters")
    return absolute


def canonical_url(url: str) -> str:
    """One spelling per story, the frontier's key (never fetched as such, #12): no fragment,
    no tracking parameters, no default port, parameters sorted.

    url (str): an absolute http(s) URL, as `fetch_url` returns or a response's URL.
    RETURNS (str): e.g. "https://example.com/a?id=1" for
        "HTTPS://Example.com:443/a?utm_source=rss&id=1#comments"; an IPv6 host keeps its
        brackets ("http://[::1]:8334/x").
    RAISES (RefusedLink): a URL urlsplit cannot read (a bad IPv6 literal, an invalid port).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise RefusedLink(f"malformed URL: {error}") from error
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAMETER.match(key)]
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if port and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        netloc += f":{port}"
    cleaned = urlunsplit((parts.scheme, netloc, parts.path or "/", urlencode(query), ""))
    return canonicalize_url(cleaned)


def origin(url: str) -> Origin:
    """(host, port) of a URL, the default port filled in; RAISES ValueError when unreadable."""
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 0)


def same_site(first: str, second: str) -> bool:
    """Whether two URLs share a host (ignoring "www." and "amp."), so a canonical link is trusted."""
    def host(url: str) -> str:
        name = (urlsplit(url).hostname or "").lower()
        return re.sub(r"^(www|amp|m)\.", "", name)
    return host(first) == host(second)
