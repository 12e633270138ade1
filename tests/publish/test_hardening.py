"""Hardening (#12): protective headers on every response, and stored URLs linked only when
they are http(s)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from publish.guard import SECURITY_HEADERS
from publish.links import is_web_url
from publish.site import make_datasette
from tests.publish.stories import story_db

HOSTILE_URLS = ["javascript:alert(document.domain)", "JavaScript:alert(1)", "java\tscript:alert(1)",
                "data:text/html,<script>alert(1)</script>", " javascript:alert(1)", "vbscript:x"]


@pytest.mark.parametrize("path", [
    "/", "/.json", "/{db}", "/{db}/launches", "/{db}/launches.json", "/{db}/launches.csv",
    "/{db}/latest_launches.json", "/-/launch/1", "/-/launch/nope", "/-/feeds/launches.atom",
    "/-/feeds.opml", "/-/static/app.css", "/-/static-plugins/launchwire/launchwire.css",
    "/{db}/articles", "/{db}/no_such_table", "/-/versions.json", "/{db}/launches?_sort=nope",
])
async def test_every_response_carries_the_protective_headers(tmp_path: Path, path: str) -> None:
    db_path = story_db(tmp_path / "site.db", "Kivo launches an AI companion", "Kivo")
    for private in (False, True):
        response = await make_datasette(db_path, private).client.get(path.format(db=db_path.stem))
        for name, value in SECURITY_HEADERS:
            assert response.headers.get_list(name.decode()) == [value.decode()], (path, name)


async def test_a_not_modified_feed_and_a_refused_method_carry_them_too(tmp_path: Path) -> None:
    datasette = make_datasette(story_db(tmp_path / "site.db", "Kivo launches an AI companion", "Kivo"))
    etag = (await datasette.client.get("/-/feeds/launches.atom")).headers["etag"]
    for response in (await datasette.client.get("/-/feeds/launches.atom", headers={"If-None-Match": etag}),
                     await datasette.client.post("/-/feeds/launches.atom")):
        assert response.status_code in (304, 405)
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-security-policy"] == "frame-ancestors 'none'"


@pytest.mark.parametrize("url", HOSTILE_URLS)
async def test_a_stored_script_url_is_shown_as_text_never_linked(tmp_path: Path, url: str) -> None:
    db_path = story_db(tmp_path / "site.db", "Kivo launches an AI companion", "Kivo", url=url)
    datasette = make_datasette(db_path)
    for page in ("/-/launch/1", f"/{db_path.stem}/articles_public", f"/{db_path.stem}/search?q=Kivo",
                 "/-/feeds/launches.atom", "/-/feeds/launches.rss",
                 "/-/feeds/source/example-co.atom", "/-/feeds/source/example-co.rss"):
        text = (await datasette.client.get(page)).text
        targets = re.findall(r'(?:href|src)="\s*([^"]*)"', text) + re.findall(r"<link>([^<]*)</link>", text)
        targets += re.findall(r'href=&#34;([^&]*)&#34;|href=&quot;([^&]*)&quot;', text)
        flat = [t if isinstance(t, str) else "".join(t) for t in targets]
        assert not [t for t in flat if t and not t.startswith(("/", "http://", "https://", "#", "?"))], (page, flat)
    launch = (await datasette.client.get("/-/launch/1")).text
    assert html.escape(url.strip()[:10]) in launch  # shown, as text


@pytest.mark.parametrize(("url", "linked"), [
    ("https://news.example/a?x=1&y=2", True), ("http://news.example/", True), ("HTTPS://X.EXAMPLE/", True),
    *[(url, False) for url in HOSTILE_URLS],
    ("//news.example/a", False), ("https://", False), ("", False), (None, False), ("https://[::1", False),
    ("https://news.example/a b", False),
])
def test_only_http_urls_are_links(url: str | None, linked: bool) -> None:
    assert is_web_url(url) is linked
