"""The issue's figures for both engines side by side, from what the benchmarks recorded.

    .venv/bin/python bench/figures.py FILE

Each benchmark run with `--figures FILE` appends one JSON line per figure to FILE:
{"engine": "oci", "metric": "overhead_p50", "value": 0.021} (seconds, runs/s or a percentage).
"""

import json
import sys
from pathlib import Path

# metric, words, unit, goal, whether lower is better
ROWS = (
    ("overhead_p50", "per-run overhead over a bare process, C hello, p50", "ms", 25, True),
    ("overhead_p95", "per-run overhead over a bare process, C hello, p95", "ms", 40, True),
    ("runs_per_second", "runs per second, 2 threads", "runs/s", 40, False),
    ("verdict_p50", "submit -> verdict, 10-test Python sample, p50", "s", 0.7, True),
    ("burn_cv", "CPU time of a 0.5 s burn, 20 runs, coefficient of variation", "%", 2, True),
)
SCALE = {"ms": 1000, "runs/s": 1, "s": 1, "%": 1}


def figures_record(path: str | None, engine: str, metric: str, value: float) -> None:
    """Append one figure (no-op without a path): called by the benchmarks."""
    if path:
        with Path(path).open("a") as out:
            out.write(json.dumps({"engine": engine, "metric": metric, "value": value}) + "\n")


def figures_read(path: Path) -> dict[tuple[str, str], float]:
    found = {}
    for line in path.read_text().splitlines():
        if line.strip():
            item = json.loads(line)
            found[item["engine"], item["metric"]] = item["value"]  # the last one recorded wins
    return found


def table(found: dict[tuple[str, str], float]) -> str:
    engines = sorted({engine for engine, _ in found}, key=lambda name: (name != "docker", name))
    head = f"| metric | goal | {' | '.join(engines)} |"
    lines = [head, "|---|---|" + "---|" * len(engines)]
    for metric, words, unit, goal, lower in ROWS:
        cells = []
        for engine in engines:
            value = found.get((engine, metric))
            if value is None:
                cells.append("not measured")
                continue
            met = value * SCALE[unit] <= goal if lower else value * SCALE[unit] >= goal
            cells.append(f"{value * SCALE[unit]:.{_digits(unit)}f} {unit} {'ok' if met else 'MISSED'}")
        sign = "<=" if lower else ">="
        lines.append(f"| {words} | {sign} {goal} {unit} | {' | '.join(cells)} |")
    return "\n".join(lines)


def _digits(unit: str) -> int:
    return {"ms": 1, "runs/s": 1, "s": 2, "%": 2}[unit]


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(table(figures_read(Path(sys.argv[1]))))


if __name__ == "__main__":
    main()
