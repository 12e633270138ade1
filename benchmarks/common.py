"""Shared helpers: medians, ratios, a child-process runner that reports JSON, and the
words a database's stories hold most."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from typing import Any, Iterable

import sqlite_utils

from rich.console import Console
from rich.table import Table


def run_child(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m module args` and parse the JSON it prints last."""
    result = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def report(title: str, unit: str, baseline: list[float], ours: list[float],
           baseline_name: str, ours_name: str, target: str | None = None) -> None:
    """Print medians of both series and their ratio (ours / baseline), beside the ratio's
    target when there is one."""
    table = Table(title=title)
    for column in ("", f"median {unit}", "runs"):
        table.add_column(column)
    base, mine = statistics.median(baseline), statistics.median(ours)
    table.add_row(baseline_name, f"{base:,.1f}", ", ".join(f"{v:,.0f}" for v in baseline))
    table.add_row(ours_name, f"{mine:,.1f}", ", ".join(f"{v:,.0f}" for v in ours))
    table.add_row("ratio", f"{mine / base:.2f}", f"target {target}" if target else "")
    Console().print(table)


def commonest_words(db: sqlite_utils.Database, count: int = 10) -> list[str]:
    """The words (as the search index stems them) that the most launch stories hold ("ai",
    "new"): what a reader searches first, and the costliest to rank or sort (#17)."""
    db.execute("create virtual table if not exists temp.launch_terms "
               "using fts5vocab(main, 'launches_fts', 'row')")
    return [row[0] for row in db.execute(
        "select term from temp.launch_terms order by doc desc limit ?", [count]).fetchall()]
