"""The one Settings: defaults < LAUNCHWIRE_* environment < flags, each default defined once."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner

import crawlers.settings
from crawlers.run import crawl_settings
from launchwire.cli import cli
from launchwire.settings import SETTING_NAMED, SETTINGS, Settings, load_settings, scrapy_overrides
from nlp.pipeline import default_model_name


def test_without_environment_or_flags_every_setting_is_its_default() -> None:
    assert load_settings(environ={}) == Settings()
    assert [s.name for s in SETTINGS] == [f.name for f in dataclasses.fields(Settings)]


@pytest.mark.parametrize("name, raw, value", [
    ("db", "other.db", "other.db"), ("port", "9000", 9000), ("download_delay", "0", 0.0),
    ("http_cache", "yes", True), ("trained_entities", "0", False), ("spacy_model", "x_sm", "x_sm"),
    ("process_workers", "3", 3), ("redis_url", "redis://h:1/0", "redis://h:1/0"),
    ("cluster_lease", "10", 10.0),
])
def test_environment_overrides_defaults(name: str, raw: str, value: object) -> None:
    resolved = getattr(load_settings(environ={f"LAUNCHWIRE_{name.upper()}": raw}), name)
    assert resolved == value and type(resolved) is type(value)


def test_flags_override_environment_and_none_is_no_flag() -> None:
    environ = {"LAUNCHWIRE_PORT": "9000", "LAUNCHWIRE_HOST": "0.0.0.0"}
    resolved = load_settings({"port": 9100, "host": None}, environ=environ)
    assert (resolved.port, resolved.host) == (9100, "0.0.0.0")


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(KeyError, match="no_such_setting"):
        load_settings({"no_such_setting": 1}, environ={})


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        load_settings(environ={}).port = 1  # type: ignore[misc]


@pytest.mark.parametrize("environ, model", [
    ({}, default_model_name()), ({"LAUNCHWIRE_SPACY_MODEL": "x_sm"}, "x_sm"),
])
def test_model_name_is_resolved_one_way(environ: dict[str, str], model: str) -> None:
    assert load_settings(environ=environ).model_name == model


def test_site_url_defaults_to_host_and_port() -> None:
    assert load_settings(environ={}).site_url == "http://127.0.0.1:8001"
    assert load_settings({"base_url": "https://x.example/"}, environ={}).site_url == \
        "https://x.example"


def test_scrapy_takes_launchwire_values_only_through_the_overrides(monkeypatch) -> None:
    # get_project_settings writes it into os.environ: undone after this test, not inherited.
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    overrides = scrapy_overrides(load_settings({"db": "x.db", "download_delay": 1.5}, environ={}))
    assert not [name for name in overrides if hasattr(crawlers.settings, name)]
    scrapy = crawl_settings(overrides)
    assert (scrapy["LAUNCHWIRE_DB"], scrapy.getfloat("DOWNLOAD_DELAY")) == ("x.db", 1.5)
    assert scrapy["USER_AGENT"] == Settings().user_agent


def test_a_crawl_without_launchwire_settings_is_refused() -> None:
    with pytest.raises(ValueError, match="scrapy_overrides"):
        crawl_settings({"DOWNLOAD_DELAY": 0})


@pytest.mark.parametrize("command, flag, name", [
    ("crawl", "--db", "db"), ("run", "--sources", "sources"), ("process", "--model", "spacy_model"),
    ("analyze", "--model", "spacy_model"), ("publish", "--base-url", "base_url"),
    ("serve", "--host", "host"), ("serve", "--port", "port"), ("demo", "--port", "port"),
    ("process", "--workers", "process_workers"), ("process", "--cluster", "redis_url"),
])
def test_flag_help_is_generated_from_the_setting(command: str, flag: str, name: str) -> None:
    setting = SETTING_NAMED[name]
    help_text = CliRunner().invoke(cli, [command, "--help"], terminal_width=1000).output
    line = next(line for line in help_text.splitlines() if line.strip().startswith(flag))
    # A computed default (None) is told by the help itself.
    shown = "" if setting.default is None else f"; default: ({setting.default})"
    assert line.endswith(f"{setting.help}  [env var: {setting.env_var}{shown}]")
