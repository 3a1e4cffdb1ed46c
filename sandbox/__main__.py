"""Command line: `python -m sandbox run|check|selftest ...` (prints JSON for `run`)."""

import argparse
import json
import sys
from pathlib import Path

from sandbox import LANGUAGES, Limits, MiB, Outcome, SandboxError, engine_get, language_versions, run
from sandbox.engines import OCI_ENGINE, engine_choice
from sandbox.engines.oci import oci_usable
from sandbox.images import images_status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox", description="Run untrusted code in the sandbox."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="compile and run one source file, print one JSON object")
    run_p.add_argument("--lang", required=True, choices=sorted(LANGUAGES))
    run_p.add_argument("--time-limit", type=float, default=1.0, help="CPU seconds (default 1)")
    run_p.add_argument("--wall-limit", type=float, default=None, help="wall seconds (default 3x CPU + 1)")
    run_p.add_argument("--memory-limit", type=int, default=256, help="MiB (default 256)")
    run_p.add_argument("--output-limit", type=int, default=8192, help="KiB (default 8192)")
    run_p.add_argument("--stdin", type=Path, help="file to give the program on stdin")
    run_p.add_argument("source", type=Path)
    sub.add_parser("check", help="is the engine reachable and are the images built?")
    sub.add_parser("selftest", help="run every language's self-test program")
    return parser


def _run(args: argparse.Namespace) -> dict:
    limits = Limits(
        cpu_time=args.time_limit,
        wall_time=args.wall_limit,
        memory=args.memory_limit * MiB,
        output=args.output_limit * 1024,
    )
    stdin = args.stdin.read_bytes() if args.stdin else b""
    compiled, result = run(language=args.lang, source=args.source.read_bytes(), stdin=stdin, limits=limits)
    report = {
        "outcome": str(compiled.outcome),
        "exit_code": None,
        "signal": None,
        "cpu_time": 0.0,
        "wall_time": 0.0,
        "memory": 0,
        "stdout": "",
        "stderr": "",
        "compile_output": compiled.output,
    }
    if result is not None:
        report.update(
            outcome=str(result.outcome),
            exit_code=result.exit_code,
            signal=result.signal,
            cpu_time=result.cpu_time,
            wall_time=result.wall_time,
            memory=result.memory,
            stdout=result.stdout.decode(errors="replace"),
            stderr=result.stderr.decode(errors="replace"),
        )
        if result.message:
            report["message"] = result.message
    elif compiled.outcome == Outcome.IE:
        report["message"] = compiled.output
    return report


def _engine_line() -> str:
    path, why = engine_choice()
    engine = engine_get()
    details = f" ({engine.describe()})" if engine.describe() else ""
    line = f"engine: {type(engine).__name__}{details}, {why}"
    if path != OCI_ENGINE and why == "set by SANDBOX_ENGINE":  # else `why` says it already
        usable, reason = oci_usable()
        line += f"; OciEngine {'is usable' if usable else 'is not usable'} here: {reason}"
    return line


def _check() -> int:
    print(_engine_line())
    problems = engine_get().check()
    _languages_list()
    for line in problems:
        print(f"not ready: {line}")
    if not problems:
        print("sandbox ready: engine reachable, all images built")
    return 1 if problems else 0


def _languages_list() -> None:
    """One line per language: its image, whether that is built, and the version it carries."""
    try:
        versions, status = language_versions(), images_status()
    except SandboxError as exc:
        print(f"languages: unknown ({exc})")
        return
    for key, lang in LANGUAGES.items():
        state = status.get(lang.image, "missing")
        print(f"{key:11} {lang.image:22} {state:8} {versions[key] or '-'}")


def _selftest() -> int:
    failed = 0
    for key, lang in sorted(LANGUAGES.items()):
        compiled, result = run(language=key, source=lang.self_test, stdin=b"42\n")
        ok = result is not None and result.ok and result.stdout.strip() == b"ok 42"
        failed += not ok
        detail = (
            f"{result.cpu_time:.3f}s cpu, {result.memory / MiB:.1f} MiB" if result else compiled.output[:200]
        )
        print(f"{key:11} {'ok' if ok else 'FAILED'}  {detail}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        if not args.source.is_file():
            print(json.dumps({"error": f"no such file: {args.source}"}))
            return 2
        print(json.dumps(_run(args)))
        return 0
    return _check() if args.command == "check" else _selftest()


if __name__ == "__main__":
    sys.exit(main())
