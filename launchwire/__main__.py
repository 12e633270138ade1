"""Run the CLI as `python -m launchwire`."""

from launchwire.cli import cli

cli()
