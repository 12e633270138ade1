"""Shared helpers: medians, ratios and a child-process runner that reports JSON."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from typing import Any, Iterable

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
