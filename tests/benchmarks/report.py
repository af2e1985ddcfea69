"""The results: a table on the terminal, JSON for machines, a Markdown table for the README.

The machine is shared and its speed varies from run to run, so every figure is also shown as
a ratio to its floor measured in the same run (`× floor`: how many times the floor's cost;
for a rate, the floor's rate over this one; lower is better throughout). Runs are compared by
these ratios, not by the raw numbers.
"""

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass
class Metric:
    name: str
    value: float | None  # None: could not be measured (the reason is in `note`)
    unit: str
    goal: float | None = None
    higher_is_better: bool = False
    note: str = ""
    floor: str = ""  # the name of the metric this one is compared with
    ratio: float | None = None  # set by `with_ratios`

    @property
    def status(self) -> str:
        if self.goal is None:
            return ""
        if self.value is None:
            return "MISS"
        met = self.value >= self.goal if self.higher_is_better else self.value <= self.goal
        return "PASS" if met else "MISS"

    def shown(self, number: float | None) -> str:
        if number is None:
            return "n/a"
        digits = 0 if number >= 100 else 1 if number >= 10 else 2
        return f"{number:.{digits}f} {self.unit}"

    @property
    def goal_text(self) -> str:
        if self.goal is None:
            return ""
        return ("≥ " if self.higher_is_better else "≤ ") + self.shown(self.goal)


UNIT_SECONDS = {"ms": 1e-3, "s": 1.0}


def with_ratios(metrics: list[Metric]) -> list[Metric]:
    """Sets each metric's ratio to its floor, in the same unit of time (or of rate)."""
    by_name = {m.name: m for m in metrics}
    for metric in metrics:
        floor = by_name.get(metric.floor)
        if floor is None or floor.value is None or metric.value is None or not floor.value:
            continue
        if (metric.unit == "/s") != (floor.unit == "/s"):
            continue  # a rate is compared with a rate, a time with a time
        if metric.unit == "/s":
            metric.ratio = floor.value / metric.value if metric.value else None
        else:
            value = metric.value * UNIT_SECONDS[metric.unit]
            metric.ratio = value / (floor.value * UNIT_SECONDS[floor.unit])
    return metrics


def ratio_text(metric: Metric) -> str:
    if metric.ratio is None:
        return ""
    digits = 0 if metric.ratio >= 100 else 1 if metric.ratio >= 10 else 2
    return f"{metric.ratio:.{digits}f}×"


def table_rows(metrics: list[Metric]) -> list[tuple[str, str, str, str, str, str]]:
    return [
        (m.name, m.shown(m.value), ratio_text(m), m.goal_text, m.status, m.note) for m in metrics
    ]


def print_table(metrics: list[Metric]) -> None:
    header = ("metric", "result", "× floor", "goal", "", "note")
    rows = [header, *table_rows(metrics)]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(5)]
        print("  ".join(cells), row[5])


def markdown(metrics: list[Metric], machine: dict[str, Any]) -> str:
    lines = [
        f"Measured {machine['date']} on {machine['cpu']} ({machine['cpus']} CPUs, load average "
        f"{machine['load_average']} at start), Python {machine['python']}, "
        f"PostgreSQL {machine['postgresql']} (embedded), data set "
        f"{machine.get('data', 'version 2')}.",
        "",
        "| metric | result | × floor | goal | | note |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in table_rows(metrics)]
    return "\n".join(lines)


START, END = "<!-- results:start -->", "<!-- results:end -->"


def write_results(
    metrics: list[Metric], machine: dict[str, Any], json_path: Path, summary_path: Path
) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "machine": machine,
        "metrics": [{**asdict(m), "status": m.status} for m in metrics],
    }
    json_path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    # Only the marked block of the summary is rewritten: the analysis around it stays.
    table = f"{START}\n{markdown(metrics, machine)}\n{END}"
    text = (
        summary_path.read_text()
        if summary_path.exists()
        else f"# Benchmark results\n\n{START}\n{END}\n"
    )
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    summary_path.write_text(pattern.sub(lambda _: table, text))
