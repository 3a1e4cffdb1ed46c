"""Time limits of imported packages: where the limit comes from, how it is derived, the safety margins,
and judge_package's report (lines and --json) through the real sandbox. The packages are written here."""

import json
import math
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from judge.staff.reference_report import ERROR, INFO, WARNING, reference_report_build
from judge.submissions.models import Submission, TestResult, Verdict
from problems.models import ReferenceSolution
from problems.services.packages import problem_import_package
from problems.timing import TimeRules
from tests.factories import SubmissionFactory, TenantFactory
from tests.integration.fake_engine import problem_with_tests

Expected = ReferenceSolution.Expected

# Burns `SECONDS` of CPU time, measured by the program itself (clock()), then adds up the input: the
# same CPU time on a fast or a loaded machine.
BURN_C = """#include <stdio.h>
#include <time.h>
int main(void) {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    volatile unsigned long spins = 0;
    while (clock() < (clock_t)(SECONDS * CLOCKS_PER_SEC)) spins++;
    printf("%lld\\n", a + b);
    return 0;
}
"""
FOREVER_C = "int main(void) { volatile unsigned long n = 0; for (;;) n++; }\n"
WRONG_PY = "print(0)\n"


def _burn(seconds: float) -> str:
    return BURN_C.replace("SECONDS", repr(seconds))


def _write(root: Path, files: dict[str, str]) -> Path:
    base = {"problem_statement/problem.md": "Add two numbers.\n", "data/secret/1.in": "1 2\n"}
    for path, text in {**base, "data/secret/1.ans": "3\n", **files}.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return root


@pytest.fixture
def tenant():
    return TenantFactory(slug="school")


# where the limit comes from (no sandbox)


@pytest.mark.django_db
def test_domjudge_package_with_timelimit_file_and_ini(tenant, tmp_path):
    ini = "probid = 'B'\nname = 'Bee Sums'\ncolor = '#ffcc00'\ntimelimit = '3'\nallow_submit = 1\n"
    package = _write(
        tmp_path / "bee",
        {".timelimit": "2\n", "domjudge-problem.ini": ini, "submissions/accepted/sum.py": "print(3)\n"},
    )
    report = problem_import_package(tenant=tenant, path_or_bytes=package)
    assert (report.problem.title, report.problem.time_limit) == ("Bee Sums", 2.0)
    assert report.time_limit_source == ".timelimit"
    assert "time limit 3 s in domjudge-problem.ini ignored: .timelimit says 2 s" in report.warnings
    assert report.problem.time_multiplier == 5.0  # the legacy default: no problem.yaml says otherwise


@pytest.mark.django_db
def test_unknown_problem_yaml_keys_do_not_stop_the_import(tenant, tmp_path):
    yaml = (
        "problem_format_version: 2023-07\nname: Odd\nuuid: 5ad3b7b2\nsparkles: {many: [1, 2]}\n"
        "limits:\n  time_limit: 2.5\n  glitter: 3\n  time_multipliers: {ac_to_time_limit: 3}\n"
    )
    report = problem_import_package(
        tenant=tenant, path_or_bytes=_write(tmp_path / "odd", {"problem.yaml": yaml})
    )
    assert (report.problem.title, report.problem.time_limit, report.problem.time_multiplier) == (
        "Odd",
        2.5,
        3.0,
    )
    assert report.time_rules == TimeRules(multiplier=3.0, safety_margin=1.5, resolution=1.0)
    assert "problem.yaml: unknown key 'sparkles' ignored" in report.warnings
    assert "problem.yaml: unknown key 'limits.glitter' ignored" in report.warnings


# the report's margin checks (runs made up, no sandbox)


def _run(problem, solution, verdict: str, max_time: float, tests: list[tuple[str, float]] = ()) -> Submission:
    run = SubmissionFactory(
        problem=problem,
        kind=Submission.Kind.REFERENCE,
        language=solution.language,
        source=solution.source,
        status=Submission.Status.DONE,
        verdict=verdict,
        max_time=max_time,
    )
    cases = list(problem.tests.order_by("order"))
    for order, (test_verdict, time) in enumerate(tests, start=1):
        TestResult.objects.create(
            submission=run, test_case=cases[order - 1], order=order, verdict=test_verdict, time=time
        )
    return run


@pytest.mark.django_db
def test_report_margins_and_deciding_tests():
    problem = problem_with_tests(tests=[("1 2", False, ""), ("3 4", False, "")], time_limit=2.0)
    first, second = problem.tests.order_by("order")
    first.name, second.name = "secret/small", "secret/big"
    first.save(update_fields=["name"]), second.save(update_fields=["name"])

    def solution(name, expected):
        return ReferenceSolution.objects.create(
            problem=problem, name=name, language="c", source=name, expected=expected
        )

    close = solution("accepted/close.c", Expected.ACCEPTED)
    roomy = solution("accepted/roomy.c", Expected.ACCEPTED)
    touchy = solution("time_limit_exceeded/touchy.c", Expected.TIME_LIMIT_EXCEEDED)
    solid = solution("time_limit_exceeded/solid.c", Expected.TIME_LIMIT_EXCEEDED)
    wrong = solution("wrong_answer/wrong.c", Expected.WRONG_ANSWER)
    runs = {
        close.id: _run(problem, close, Verdict.AC, 1.2, [(Verdict.AC, 0.1), (Verdict.AC, 1.2)]),
        roomy.id: _run(problem, roomy, Verdict.AC, 0.4, [(Verdict.AC, 0.4), (Verdict.AC, 0.2)]),
        touchy.id: _run(problem, touchy, Verdict.TLE, 2.0, [(Verdict.AC, 0.1), (Verdict.TLE, 2.0)]),
        solid.id: _run(problem, solid, Verdict.TLE, 2.0, [(Verdict.TLE, 2.0)]),
        wrong.id: _run(problem, wrong, Verdict.WA, 0.01, [(Verdict.WA, 0.01)]),
    }
    margin_runs = {
        touchy.id: _run(problem, touchy, Verdict.AC, 3.1),  # passes at 2 s × 2: sensitive to the limit
        solid.id: _run(problem, solid, Verdict.TLE, 4.0),
    }
    report = reference_report_build(
        problem=problem,
        solutions=[close, roomy, touchy, solid, wrong],
        runs=runs,
        margin_runs=margin_runs,
        rules=TimeRules(safety_margin=2.0),
        time_limit=None,
    )
    by_path = {result.path: result for result in report.solutions}
    close_r, roomy_r = by_path["submissions/accepted/close.c"], by_path["submissions/accepted/roomy.c"]
    assert (close_r.deciding_test, close_r.passed) == ("secret/big", True)  # the slowest test
    assert [(n.level, n.text) for n in close_r.notes] == [
        (WARNING, "ran in 1.20 s, over limit / safety margin = 1.00 s")
    ]
    assert (roomy_r.deciding_test, roomy_r.notes) == ("secret/small", ())
    touchy_r = by_path["submissions/time_limit_exceeded/touchy.c"]
    assert (touchy_r.deciding_test, touchy_r.passed) == ("secret/big", False)  # the first failing test
    assert [(n.level, n.text) for n in touchy_r.notes] == [
        (ERROR, "sensitive to the time limit: AC in 3.10 s at 4 s")
    ]
    assert [n.level for n in by_path["submissions/time_limit_exceeded/solid.c"].notes] == [INFO]
    assert by_path["submissions/wrong_answer/wrong.c"].deciding_test == "secret/small"
    assert report.summary() == {"passed": 4, "failed": 1, "skipped": 0, "pending": 0}
    assert json.loads(json.dumps(report.as_dict()))["solutions"][2]["notes"][0]["level"] == "error"


# judge_package through the real sandbox


def _judge_package(path: Path, *args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("judge_package", str(path), *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


@pytest.mark.docker
@pytest.mark.django_db(transaction=True)
def test_legacy_package_without_a_limit_derives_it_from_a_one_second_solution(tmp_path):
    """Timed under the generous limit a 1 s solution is accepted (not TLE under a 1 s default), the
    limit is 1 s × 5 rounded up to whole seconds, and every verdict shown is one at that limit."""
    package = _write(
        tmp_path / "onesec",
        {
            "problem.yaml": "name: One Second\n",
            "submissions/accepted/one_second.c": _burn(1.0),
            "submissions/accepted/quick.py": "a, b = map(int, input().split())\nprint(a + b)\n",
            "submissions/wrong_answer/zero.py": WRONG_PY,
        },
    )
    out, error = _judge_package(package)
    lines = out.splitlines()
    assert error is None, out
    derived = next(line for line in lines if line.startswith("time limit:"))
    match = re.fullmatch(
        r"time limit: (\d) s \(slowest accepted ([\d.]+) s × 5 = ([\d.]+) s, rounded up to 1 s; "
        r"by accepted/one_second.c\)",
        derived,
    )
    assert match, derived
    limit, slowest = int(match[1]), float(match[2])
    assert slowest >= 0.99 and limit == math.ceil(slowest * 5 - 1e-9)
    runs = {line.split()[0]: line.split() for line in lines if line.startswith("submissions/")}
    assert runs["submissions/accepted/one_second.c"][1:3] == ["accepted", "AC"]
    assert float(runs["submissions/accepted/one_second.c"][3]) >= 0.99
    assert runs["submissions/accepted/one_second.c"][5:] == ["test", "secret/1"]
    assert runs["submissions/wrong_answer/zero.py"][1:3] == ["wrong_answer", "WA"]
    assert lines[-1] == "3 passed, 0 failed"
    assert "warning: no time limit in the package: using 1.0 s; derive it with judge_package" in lines


@pytest.mark.docker
@pytest.mark.django_db(transaction=True)
def test_json_report_of_a_2023_07_package_checks_both_margins(tmp_path):
    yaml = (
        "problem_format_version: 2023-07\nname: Margins\nlimits:\n  time_limit: 1\n"
        "  time_multipliers:\n    time_limit_to_tle: 3\n"
    )
    package = _write(
        tmp_path / "margins",
        {
            "problem.yaml": yaml,
            "submissions/accepted/fast.c": _burn(0.0),
            # Wide margins, so that a loaded machine (a wall-time kill at 3 × CPU + 1 s) decides nothing.
            "submissions/accepted/near.c": _burn(0.45),  # AC, but over 1 s / 3: a warning
            "submissions/time_limit_exceeded/forever.c": FOREVER_C,
            "submissions/time_limit_exceeded/borderline.c": _burn(1.5),  # TLE at 1 s, AC at 3 s: fails
        },
    )
    out, error = _judge_package(package, "--json")
    assert error is not None and error.returncode == 1
    report = json.loads(out)
    assert report["time_limit"] | {"text": ""} == {
        "seconds": 1.0,
        "how": "given",
        "source": "problem.yaml",
        "rules": {"multiplier": 2.0, "safety_margin": 3.0, "resolution": 1.0},
        "slowest": None,
        "solution": "",
        "exact": None,
        "text": "",
    }
    assert report["summary"] == {"passed": 3, "failed": 1, "skipped": 0, "pending": 0}
    assert report["package"] == "margins" and report["kept"] is None
    by_path = {s["path"]: s for s in report["solutions"]}
    assert set(by_path["submissions/accepted/fast.c"]) == {
        "path", "expected", "language", "state", "verdict", "max_time", "deciding_test", "notes", "passed",
    }  # fmt: skip
    fast, near = by_path["submissions/accepted/fast.c"], by_path["submissions/accepted/near.c"]
    assert (fast["verdict"], fast["passed"], fast["notes"], fast["deciding_test"]) == (
        "AC",
        True,
        [],
        "secret/1",
    )
    assert (near["verdict"], near["passed"]) == ("AC", True), near
    assert [note["level"] for note in near["notes"]] == ["warning"]
    forever = by_path["submissions/time_limit_exceeded/forever.c"]
    assert (forever["verdict"], forever["passed"]) == ("TLE", True)
    assert forever["notes"] == [{"level": "info", "text": "still TLE at limit × safety margin = 3 s"}]
    borderline = by_path["submissions/time_limit_exceeded/borderline.c"]
    assert (borderline["verdict"], borderline["passed"]) == ("TLE", False)
    assert borderline["notes"][0]["level"] == "error"
    assert borderline["notes"][0]["text"].startswith("sensitive to the time limit: AC in 1.5")
