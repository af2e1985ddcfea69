"""The results: a table on the terminal, JSON for machines, a Markdown table for the README."""

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


def table_rows(metrics: list[Metric]) -> list[tuple[str, str, str, str, str]]:
    return [(m.name, m.shown(m.value), m.goal_text, m.status, m.note) for m in metrics]


def print_table(metrics: list[Metric]) -> None:
    header = ("metric", "result", "goal", "", "note")
    rows = [header, *table_rows(metrics)]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(4)]
        print("  ".join(cells), row[4])


def markdown(metrics: list[Metric], machine: dict[str, Any]) -> str:
    lines = [
        f"Measured {machine['date']} on {machine['cpu']} ({machine['cpus']} CPUs, load average "
        f"{machine['load_average']} at start), Python {machine['python']}, "
        f"PostgreSQL {machine['postgresql']} (embedded).",
        "",
        "| metric | result | goal | | note |",
        "|---|---|---|---|---|",
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
