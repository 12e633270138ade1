"""The README documents every command and setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchwire.cli import cli
from launchwire.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command: str) -> None:
    assert f"`launchwire {command}" in README


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_every_setting_is_documented(setting) -> None:
    assert f"| {setting.name} | `{setting.env_var}` |" in README


def test_readme_gives_the_two_commands() -> None:
    assert "make demo" in README and "make test" in README
