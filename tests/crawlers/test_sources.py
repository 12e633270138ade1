"""Sources files: valid ones load, bad ones fail naming the file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawlers.sources import SourcesFileError, load_sources, parse_sources
from tests.conftest import run_launchwire

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
[[source]]
name = "Example Tech"
homepage = "https://tech.example.com/"
feeds = ["https://tech.example.com/feed"]
sitemaps = ["https://tech.example.com/news-sitemap.xml"]
language = "en"
region = "us"

[[source]]
name = "Local"
homepage = "http://127.0.0.1:8000/"
feeds = ["http://127.0.0.1:8000/rss.xml"]
allow_private = true
"""


def test_good_file_loads() -> None:
    first, second = parse_sources(GOOD, "good.toml")
    assert first.name == "Example Tech" and first.sitemaps and not first.allow_private
    assert second.allow_private and second.language == "en"


@pytest.mark.parametrize("broken, message", [
    (GOOD.replace('name = "Local"', 'name = "Example Tech"'), "bad.toml:9: duplicate source name"),
    (GOOD.replace('feeds = ["http://127.0.0.1:8000/rss.xml"]',
                  'feeds = ["https://tech.example.com/feed"]'), "bad.toml:12: duplicate feed"),
    (GOOD.replace('homepage = "http://127.0.0.1:8000/"\n', ""), "bad.toml:9: missing homepage"),
    (GOOD.replace('"http://127.0.0.1:8000/rss.xml"', '"ftp://x/rss"'),
     "bad.toml:12: feeds must be"),
    (GOOD.replace("allow_private = true", 'allow_private = "yes"'),
     "bad.toml:13: allow_private must be true or false"),
    (GOOD.replace('region = "us"', 'regoin = "us"'), "bad.toml:7: unknown key(s) regoin"),
    (GOOD.replace("[[source]]\nname = \"Local\"", "[[source]\nname = \"Local\""), "bad.toml:"),
    ("# nothing here\n", "bad.toml: no [[source]] tables"),
    # Wrong types and unusable URLs (#12): one line naming the line, never a traceback.
    (GOOD.replace('language = "en"', "language = 5"), "bad.toml:6: language must be a non-empty "
                                                      "string, got 5"),
    (GOOD.replace('region = "us"', "region = 5"), "bad.toml:7: region must be a string, got 5"),
    (GOOD.replace('name = "Local"', "name = 5"), "bad.toml:10: name must be a non-empty string"),
    (GOOD.replace('name = "Local"', 'name = ["Local"]'), "bad.toml:10: name must be"),
    (GOOD.replace('["http://127.0.0.1:8000/rss.xml"]', '"http://127.0.0.1:8000/rss.xml"'),
     "bad.toml:12: feeds must be a list of URLs"),
    (GOOD.replace('["http://127.0.0.1:8000/rss.xml"]', "[5]"), "bad.toml:12: feeds must be an "
                                                               "http(s) URL, got 5"),
    (GOOD.replace('["http://127.0.0.1:8000/rss.xml"]', "[{url = 'x'}]"), "bad.toml:12: feeds must"),
    (GOOD.replace('sitemaps = ["https://tech.example.com/news-sitemap.xml"]', "sitemaps = [true]"),
     "bad.toml:5: sitemaps must be an http(s) URL, got True"),
    (GOOD.replace('homepage = "http://127.0.0.1:8000/"', "homepage = 8000"),
     "bad.toml:11: homepage must be an http(s) URL, got 8000"),
    (GOOD.replace('"http://127.0.0.1:8000/rss.xml"', '"http://[::1/"'),
     "bad.toml:12: feeds must be an http(s) URL, got 'http://[::1/' (malformed URL"),
    (GOOD.replace('"http://127.0.0.1:8000/rss.xml"', '"http://127.0.0.1:99999/rss.xml"'),
     "bad.toml:12: feeds must be an http(s) URL, got 'http://127.0.0.1:99999/rss.xml' (malformed"),
    (GOOD.replace('"https://tech.example.com/"', '"https://tech example.com/"'),
     "bad.toml:3: homepage must be an http(s) URL, got 'https://tech example.com/' (invalid host"),
    ("# inline\nsource = [1, 2]\n", "bad.toml:2: each source must be a table, got 1"),
])
def test_bad_entries_name_file_and_line(broken: str, message: str) -> None:
    with pytest.raises(SourcesFileError, match="^" + re.escape(message)):
        parse_sources(broken, "bad.toml")


def test_ipv6_sources_load_and_keep_their_origin() -> None:
    text = GOOD.replace("127.0.0.1:8000", "[::1]:8000")
    local = parse_sources(text, "v6.toml")[1]
    assert local.feeds == ("http://[::1]:8000/rss.xml",)
    assert local.private_origins == frozenset({("::1", 8000)})


def test_a_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(GOOD.replace('name = "Local"', 'name = "Caf\u00e9"').encode("latin-1"))
    with pytest.raises(SourcesFileError, match=rf"^{re.escape(str(path))}:10: not UTF-8"):
        load_sources(path)
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))  # a byte-order mark is fine
    assert len(load_sources(path)) == 2


@pytest.mark.parametrize("content", [
    GOOD.replace('language = "en"', "language = 5").encode("utf-8"),
    GOOD.replace('"http://127.0.0.1:8000/rss.xml"', '"http://[::1/"').encode("utf-8"),
    GOOD.encode("utf-16"),
])
def test_the_cli_says_one_line_and_no_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "sources.toml"
    path.write_bytes(content)
    result = run_launchwire("sources", "--sources", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"{path}:" in lines[0], result.stderr


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="sources file not found"):
        load_sources(tmp_path / "nope.toml")


def test_default_sources_file_is_valid() -> None:
    sources = load_sources(REPO / "sources.toml")
    assert len(sources) >= 5 and not any(source.allow_private for source in sources)
