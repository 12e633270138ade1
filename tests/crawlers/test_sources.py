"""Sources files: valid ones load, bad ones fail naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.sources import SourcesFileError, load_sources, parse_sources

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
                  'feeds = ["https://tech.example.com/feed"]'), "bad.toml:9: duplicate feed"),
    (GOOD.replace('homepage = "http://127.0.0.1:8000/"\n', ""), "bad.toml:9: missing homepage"),
    (GOOD.replace('"http://127.0.0.1:8000/rss.xml"', '"ftp://x/rss"'), "bad.toml:9: feeds must be"),
    (GOOD.replace("allow_private = true", 'allow_private = "yes"'), "allow_private must be"),
    (GOOD.replace('region = "us"', 'regoin = "us"'), "bad.toml:1: unknown key(s) regoin"),
    (GOOD.replace("[[source]]\nname = \"Local\"", "[[source]\nname = \"Local\""), "bad.toml:"),
    ("# nothing here\n", "no [[source]] tables"),
])
def test_bad_entries_name_file_and_line(broken: str, message: str) -> None:
    with pytest.raises(SourcesFileError, match=message.replace("[", r"\[").replace("(", r"\(")
                       .replace(")", r"\)")):
        parse_sources(broken, "bad.toml")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="sources file not found"):
        load_sources(tmp_path / "nope.toml")


def test_default_sources_file_is_valid() -> None:
    sources = load_sources(REPO / "sources.toml")
    assert len(sources) >= 5 and not any(source.allow_private for source in sources)
