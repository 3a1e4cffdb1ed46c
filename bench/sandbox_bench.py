"""What a fresh box per run costs with each engine, compared with running the same program bare.

    .venv/bin/python bench/sandbox_bench.py [--runs 30] [--engines docker,oci]

Prints figures only: speed targets live here, never in timed tests. Every time is host wall time
from time.perf_counter(). Runs are interleaved (bare, then each engine) so drift hits all alike.
Targets (issue "a fast engine"): C hello overhead p50 <= 25 ms, p95 <= 40 ms; >= 40 runs/s on 2
threads; the CPU time of a 0.5 s burn varies by <= 2 % (coefficient of variation over 20 runs).
"""

import argparse
import functools
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
from bench.figures import figures_record  # noqa: E402
from sandbox.engines import docker as docker_engine  # noqa: E402  (only to time "remove", see below)
from sandbox.engines.oci import OciEngine, oci_usable  # noqa: E402

C_HELLO = '#include <stdio.h>\nint main(void){puts("hello, world");return 0;}\n'
PY_HELLO = 'print("hello, world")\n'
CPP_HELLO = '#include <iostream>\nint main(){std::cout<<"hello, world\\n";}\n'
STEPS = ("create", "attach", "start", "wait", "remove")  # the OCI engine has no "attach" nor "wait" (0)
BURN = """#include <time.h>
int main(void){struct timespec t;volatile long x=0;
do{for(int i=0;i<100000;i++)x++;clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&t);}
while(t.tv_sec*1e9+t.tv_nsec<5e8);}
"""
BURN_RUNS = 20
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


def compile_in_box(language: str, source: str, engine: sandbox.Engine | None = None) -> sandbox.Program:
    compiled = sandbox.compile(language=language, source=source, engine=engine)
    if not compiled.ok:
        raise SystemExit(f"{language} compile in the sandbox failed: {compiled.outcome} {compiled.output}")
    return compiled.program


def compile_on_host(language: str, source: str, workdir: Path) -> float:
    """Compile with the language's own argv (same flags as the box) on the host; returns seconds."""
    lang = sandbox.language_get(language)
    if shutil.which(lang.compile_argv[0]) is None:
        raise SystemExit(f"the bare baseline needs {lang.compile_argv[0]} on the host (apt install gcc g++)")
    (workdir / lang.source_name).write_text(source)
    argv = lang.compile_command(entry=lang.source_name)
    seconds, done = timed(subprocess.run, argv, cwd=workdir, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"host {lang.compile_argv[0]} failed: {done.stderr.decode(errors='replace')}")
    return seconds


def bare_run(argv: list[str], cwd: Path) -> float:
    seconds, done = timed(subprocess.run, argv, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True)
    if done.returncode != 0 or not done.stdout:
        raise SystemExit(f"bare run of {argv} failed: {done.stderr!r}")
    return seconds


def measure(name: str, programs: dict, bare_argv: list[str], cwd: Path, runs: int, timer) -> dict:
    """{engine: rows}; each round runs bare once, then each engine once."""
    keys = ("bare", "total", "box_wall", *STEPS)
    rows = {engine: {key: [] for key in keys} for engine in programs}
    for index in range(WARMUP + runs):
        bare = bare_run(bare_argv, cwd)
        for engine, (box, program) in programs.items():
            total, result = timed(sandbox.execute, program=program, engine=box)
            require_ok(result, f"{name} in the {engine} sandbox")
            if index < WARMUP:
                continue
            mine = rows[engine]
            mine["bare"].append(bare)
            mine["total"].append(total)
            mine["box_wall"].append(result.wall_time)
            for step in STEPS:
                value = timer.step(result) if step == "remove" and engine == "docker" else None
                mine[step].append(value if value is not None else result.timings.get(step, 0.0))
    for mine in rows.values():
        mine["overhead"] = [total - bare for total, bare in zip(mine["total"], mine["bare"], strict=True)]
        mine["rest"] = [total - sum(mine[step][i] for step in STEPS) for i, total in enumerate(mine["total"])]
    return rows


def print_overhead(results: dict[str, dict], runs: int) -> None:
    print(f"\nPer-run overhead = sandboxed wall - bare wall, {runs} interleaved runs each (ms)")
    heads = f"{'bare med':>10}{'boxed med':>11}{'overhead med':>14}{'overhead p95':>14}"
    print(f"{'program':<14}{'engine':<8}{heads}")
    for name, engines in results.items():
        for engine, rows in engines.items():
            print(
                f"{name:<14}{engine:<8}{ms(statistics.median(rows['bare'])):>10}"
                f"{ms(statistics.median(rows['total'])):>11}"
                f"{ms(statistics.median(rows['overhead'])):>14}{ms(p95(rows['overhead'])):>14}"
            )


def print_steps(results: dict[str, dict]) -> None:
    print("\nWhere the sandboxed time goes: medians of RunResult.timings (ms); they need not add up exactly")
    columns = (*STEPS, "rest", "total")
    print(f"{'program':<14}{'engine':<8}" + "".join(f"{c:>9}" for c in columns) + f"{'box wall':>10}")
    for name, engines in results.items():
        for engine, rows in engines.items():
            cells = "".join(f"{ms(statistics.median(rows[c])):>9}" for c in columns)
            print(f"{name:<14}{engine:<8}{cells}{ms(statistics.median(rows['box_wall'])):>10}")
    print("rest = total - the steps: streaming files and stdin in, output out, while the program runs")
    print("  (for oci: create = a spare box taken from the pool, or `runc create` now; start = reading the")
    print("  box's exec fifo, which is all `runc start` does; remove = handing the box to the pool, which")
    print("  destroys it in the background. Interleaved with docker, the pool has docker's run time to")
    print("  make the next spare: run `--engines oci` alone for a back-to-back figure)")
    print("box wall = the engine's own wall time of that streaming phase (RunResult.wall_time)")


def print_compile(workdir: Path, engines: dict) -> None:
    print(f"\nC++ hello world compile, median of {COMPILE_REPEATS} (ms)")
    for engine, box in engines.items():
        boxed = [timed(compile_in_box, "cpp", CPP_HELLO, box)[0] for _ in range(COMPILE_REPEATS)]
        print(f"{'sandboxed ' + engine:<14}{ms(statistics.median(boxed)):>10}")
    bare = [compile_on_host("cpp", CPP_HELLO, workdir) for _ in range(COMPILE_REPEATS)]
    print(f"{'bare g++':<14}{ms(statistics.median(bare)):>10}")


def print_throughput(programs: dict, serial: dict[str, float]) -> dict[str, float]:
    print(f"\nThroughput, C hello ({os.cpu_count()} CPUs on this host)")
    rates = {}
    for engine, (box, program) in programs.items():

        def one(_: int, box=box, program=program) -> None:
            require_ok(sandbox.execute(program=program, engine=box), "C hello (threaded)")

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            seconds, _ = timed(lambda one=one, pool=pool: list(pool.map(one, range(THREADED_RUNS))))
        rate = rates[engine] = THREADED_RUNS / seconds
        print(f"{engine:<8}1 thread {1 / serial[engine]:>8.1f} runs/s  (from the serial median above)")
        print(f"{engine:<8}{THREADS} threads{rate:>8.1f} runs/s  ({THREADED_RUNS} runs in {seconds:.2f} s)")
    return rates


def print_burn(engines: dict) -> dict[str, float]:
    print(f"\nCPU time the engine reports for a 0.5 s CPU burn, {BURN_RUNS} runs each (s)")
    print(f"{'engine':<8}{'median':>9}{'min':>9}{'max':>9}{'CV %':>8}")
    limits = sandbox.Limits(cpu_time=2.0)
    programs = {engine: compile_in_box("c", BURN, box) for engine, box in engines.items()}
    cpu: dict[str, list[float]] = {engine: [] for engine in engines}
    for _ in range(BURN_RUNS):
        for engine, box in engines.items():
            result = require_ok(sandbox.execute(program=programs[engine], limits=limits, engine=box), "burn")
            cpu[engine].append(result.cpu_time)
    # Two burns at once, as a submission's tests run side by side on a worker's two cores would: does
    # the CPU time a program is charged stay what it is alone?
    side_by_side: dict[str, list[float]] = {f"{engine} x2": [] for engine in engines}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for engine, box in engines.items():
            burn = functools.partial(sandbox.execute, program=programs[engine], limits=limits, engine=box)
            for _ in range(BURN_RUNS // 2):
                for result in pool.map(lambda _, burn=burn: require_ok(burn(), "burn x2"), range(2)):
                    side_by_side[f"{engine} x2"].append(result.cpu_time)
    cvs = {}
    for engine, values in {**cpu, **side_by_side}.items():
        cv = cvs[engine] = statistics.stdev(values) / statistics.mean(values) * 100
        print(f"{engine:<8}{statistics.median(values):>9.4f}{min(values):>9.4f}{max(values):>9.4f}{cv:>8.2f}")
    return cvs


def engines_pick(names: str) -> dict:
    engines = {}
    for name in names.split(","):
        if name == "docker":
            engines["docker"] = docker_engine.DockerEngine()
        elif name == "oci":
            usable, why = oci_usable()
            if not usable:
                print(f"skipping the oci engine: {why}")
                continue
            engines["oci"] = OciEngine()
        else:
            raise SystemExit(f"unknown engine {name!r} (docker, oci)")
    return engines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs per program (default 30)")
    parser.add_argument("--engines", default="docker,oci", help="comma-separated (default docker,oci)")
    parser.add_argument("--figures", help="append the issue's figures to this file (see bench/figures.py)")
    args = parser.parse_args()
    timer = RemoveTimer()
    engines = engines_pick(args.engines)
    python = os.path.realpath(sys.executable)  # a real interpreter, not a pyenv/asdf shell shim
    with tempfile.TemporaryDirectory(prefix="ojbench-") as tmp:
        workdir = Path(tmp)
        compile_on_host("c", C_HELLO, workdir)
        c_programs = {engine: (box, compile_in_box("c", C_HELLO, box)) for engine, box in engines.items()}
        py_programs = {
            engine: (box, compile_in_box("python", PY_HELLO, box)) for engine, box in engines.items()
        }
        described = ", ".join(
            f"{name}: {type(box).__name__} {box.describe()}" for name, box in engines.items()
        )
        print(f"sandbox engines: {described}; bare Python: {python} -I -S -c")
        results = {
            "C hello": measure("C hello", c_programs, [str(workdir / "main")], workdir, args.runs, timer),
            "Python hello": measure(
                "Python hello", py_programs, [python, "-I", "-S", "-c", PY_HELLO], workdir, args.runs, timer
            ),
        }
        print_overhead(results, args.runs)
        print_steps(results)
        cvs = print_burn(engines)
        rates = print_throughput(
            c_programs, {e: statistics.median(r["total"]) for e, r in results["C hello"].items()}
        )
        print_compile(workdir, engines)
    for engine, rows in results["C hello"].items():
        figures_record(args.figures, engine, "overhead_p50", statistics.median(rows["overhead"]))
        figures_record(args.figures, engine, "overhead_p95", p95(rows["overhead"]))
        figures_record(args.figures, engine, "runs_per_second", rates[engine])
        figures_record(args.figures, engine, "burn_cv", cvs[engine])


if __name__ == "__main__":
    main()
