"""Run the CLI as `python -m launchwire`."""

from launchwire.cli import cli

# Guarded: a process spawned from one run this way imports this module again (#17).
if __name__ == "__main__":
    cli()
