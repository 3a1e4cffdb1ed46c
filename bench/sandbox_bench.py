"""What a fresh Docker box per run costs, compared with running the same program bare on the host.

    .venv/bin/python bench/sandbox_bench.py [--runs 30]

Prints figures only: speed targets live here, never in timed tests. Every time is host wall time
from time.perf_counter(). Runs are interleaved (bare, then sandboxed) so drift hits both alike.
"""

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sandbox  # noqa: E402
from sandbox.engines import docker as docker_engine  # noqa: E402  (only to time "remove", see below)

C_HELLO = '#include <stdio.h>\nint main(void){puts("hello, world");return 0;}\n'
PY_HELLO = 'print("hello, world")\n'
CPP_HELLO = '#include <iostream>\nint main(){std::cout<<"hello, world\\n";}\n'
STEPS = ("create", "attach", "start", "wait", "remove")
WARMUP = 2
COMPILE_REPEATS = 5
THREADS = 2
THREADED_RUNS = 60


class RemoveTimer:
    """RunResult.timings has no "remove": the engine builds the result before its `finally` removes the
    container. Until it does, time the engine's remove helper from outside; the real field wins if present."""

    def __init__(self) -> None:
        self.last = 0.0
        original = docker_engine._remove

        def timed(container) -> None:
            began = time.perf_counter()
            try:
                original(container)
            finally:
                self.last = time.perf_counter() - began

        docker_engine._remove = timed

    def step(self, result: sandbox.RunResult) -> float:
        return result.timings.get("remove", self.last)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
    began = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - began, value


def require_ok(result: sandbox.RunResult, what: str) -> sandbox.RunResult:
    if not result.ok:
        raise SystemExit(f"{what}: {result.outcome} {result.message} {result.stderr[-500:]!r}")
    return result


def compile_in_box(language: str, source: str) -> sandbox.Program:
    compiled = sandbox.compile(language=language, source=source)
    if not compiled.ok:
        raise SystemExit(f"{language} compile in the sandbox failed: {compiled.outcome} {compiled.output}")
    return compiled.program


def compile_on_host(language: str, source: str, workdir: Path) -> float:
    """Compile with the language's own argv (same flags as the box) on the host; returns seconds."""
    lang = sandbox.language_get(language)
    if shutil.which(lang.compile_argv[0]) is None:
        raise SystemExit(f"the bare baseline needs {lang.compile_argv[0]} on the host (apt install gcc g++)")
    (workdir / lang.source_name).write_text(source)
    seconds, done = timed(subprocess.run, lang.compile_argv, cwd=workdir, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"host {lang.compile_argv[0]} failed: {done.stderr.decode(errors='replace')}")
    return seconds


def bare_run(argv: list[str], cwd: Path) -> float:
    seconds, done = timed(subprocess.run, argv, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True)
    if done.returncode != 0 or not done.stdout:
        raise SystemExit(f"bare run of {argv} failed: {done.stderr!r}")
    return seconds


def measure(name: str, program: sandbox.Program, bare_argv: list[str], cwd: Path, runs: int, timer) -> dict:
    rows: dict[str, list[float]] = {key: [] for key in ("bare", "total", "box_wall", *STEPS)}
    for index in range(WARMUP + runs):
        bare = bare_run(bare_argv, cwd)
        total, result = timed(sandbox.execute, program=program)
        require_ok(result, f"{name} in the sandbox")
        if index < WARMUP:
            continue
        rows["bare"].append(bare)
        rows["total"].append(total)
        rows["box_wall"].append(result.wall_time)
        for step in STEPS:
            rows[step].append(timer.step(result) if step == "remove" else result.timings.get(step, 0.0))
    rows["overhead"] = [total - bare for total, bare in zip(rows["total"], rows["bare"], strict=True)]
    rows["rest"] = [total - sum(rows[step][i] for step in STEPS) for i, total in enumerate(rows["total"])]
    return rows


def print_overhead(results: dict[str, dict], runs: int) -> None:
    print(f"\nPer-run overhead = sandboxed wall - bare wall, {runs} interleaved runs each (ms)")
    print(f"{'program':<14}{'bare med':>10}{'boxed med':>11}{'overhead med':>14}{'overhead p95':>14}")
    for name, rows in results.items():
        print(
            f"{name:<14}{ms(statistics.median(rows['bare'])):>10}{ms(statistics.median(rows['total'])):>11}"
            f"{ms(statistics.median(rows['overhead'])):>14}{ms(p95(rows['overhead'])):>14}"
        )


def print_steps(results: dict[str, dict]) -> None:
    print("\nWhere the sandboxed time goes: medians of RunResult.timings (ms); they need not add up exactly")
    columns = (*STEPS, "rest", "total")
    print(f"{'program':<14}" + "".join(f"{c:>9}" for c in columns) + f"{'box wall':>10}")
    for name, rows in results.items():
        cells = "".join(f"{ms(statistics.median(rows[c])):>9}" for c in columns)
        print(f"{name:<14}{cells}{ms(statistics.median(rows['box_wall'])):>10}")
    print("rest = total - the five steps: streaming files and stdin in, output out, while the program runs")
    print("box wall = the engine's own wall time of that streaming phase (RunResult.wall_time)")


def print_compile(workdir: Path) -> None:
    boxed = [timed(compile_in_box, "cpp", CPP_HELLO)[0] for _ in range(COMPILE_REPEATS)]
    bare = [compile_on_host("cpp", CPP_HELLO, workdir) for _ in range(COMPILE_REPEATS)]
    print(f"\nC++ hello world compile, median of {COMPILE_REPEATS} (ms)")
    print(f"{'sandboxed':<14}{ms(statistics.median(boxed)):>10}")
    print(f"{'bare g++':<14}{ms(statistics.median(bare)):>10}")


def print_throughput(program: sandbox.Program, serial_median: float) -> None:
    def one(_: int) -> None:
        require_ok(sandbox.execute(program=program), "C hello (threaded)")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        seconds, _ = timed(lambda: list(pool.map(one, range(THREADED_RUNS))))
    print(f"\nThroughput, C hello ({os.cpu_count()} CPUs on this host)")
    print(f"{'1 thread':<14}{1 / serial_median:>8.1f} runs/s  (from the serial median above)")
    rate = THREADED_RUNS / seconds
    print(f"{THREADS} threads{'':<5}{rate:>8.1f} runs/s  ({THREADED_RUNS} runs in {seconds:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs per program (default 30)")
    args = parser.parse_args()
    timer = RemoveTimer()
    python = os.path.realpath(sys.executable)  # a real interpreter, not a pyenv/asdf shell shim
    with tempfile.TemporaryDirectory(prefix="ojbench-") as tmp:
        workdir = Path(tmp)
        compile_on_host("c", C_HELLO, workdir)
        c_program = compile_in_box("c", C_HELLO)
        py_program = compile_in_box("python", PY_HELLO)
        print(f"sandbox engine: {type(sandbox.engine_get()).__name__}; bare Python: {python} -I -S -c")
        results = {
            "C hello": measure("C hello", c_program, [str(workdir / "main")], workdir, args.runs, timer),
            "Python hello": measure(
                "Python hello", py_program, [python, "-I", "-S", "-c", PY_HELLO], workdir, args.runs, timer
            ),
        }
        print_overhead(results, args.runs)
        print_steps(results)
        print_compile(workdir)
        print_throughput(c_program, statistics.median(results["C hello"]["total"]))


if __name__ == "__main__":
    main()
