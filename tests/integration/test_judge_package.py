"""judge_package: every reference solution of a package through the real pipeline and sandbox."""

import math
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from judge.submissions.models import Submission
from problems.models import Problem

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.docker]

PACKAGES = Path(__file__).resolve().parents[1] / "packages"
LINE = re.compile(
    r"^(?P<path>submissions/\S+) +(?P<expected>\S+) +(?P<verdict>\S+) +(?P<time>[\d.]+ s|-|\(.*\))"
    r"(  test (?P<test>\S+))?$"
)


def _judge(path: Path, *args: str) -> tuple[list[str], CommandError | None]:
    out = StringIO()
    try:
        call_command("judge_package", str(path), *args, stdout=out)
    except CommandError as exc:
        return out.getvalue().splitlines(), exc
    return out.getvalue().splitlines(), None


def _runs(lines: list[str]) -> dict[str, tuple[str, str, str]]:
    matches = [LINE.match(line) for line in "\n".join(lines).splitlines()]
    return {m["path"]: (m["expected"], m["verdict"], m["time"]) for m in matches if m}


def test_sumtwo_every_reference_solution_gets_its_verdict():
    lines, error = _judge(PACKAGES / "sumtwo")
    assert error is None, lines
    runs = _runs(lines)
    assert {path: (expected, verdict) for path, (expected, verdict, _) in runs.items()} == {
        "submissions/accepted/sum.c": ("accepted", "AC"),
        "submissions/accepted/sum.py": ("accepted", "AC"),
        "submissions/run_time_error/throws.cpp": ("run_time_error", "RE"),
        "submissions/time_limit_exceeded/spin.c": ("time_limit_exceeded", "TLE"),
        "submissions/wrong_answer/forgets_sign.py": ("wrong_answer", "WA"),
    }
    assert all(re.fullmatch(r"\d+\.\d\d s", time) for _, _, time in runs.values())
    assert float(runs["submissions/time_limit_exceeded/spin.c"][2].split()[0]) >= 1.0
    assert lines[-1] == "5 passed, 0 failed"
    assert "time limit: 1 s (given by problem.yaml)" in lines
    tests = {m["path"]: m["test"] for m in map(LINE.match, "\n".join(lines).splitlines()) if m}
    assert tests["submissions/wrong_answer/forgets_sign.py"] is not None  # the first failing test
    assert "    info: still TLE at limit × safety margin = 2 s" in "\n".join(lines).splitlines()
    # the scratch problem and its submissions are gone; its tenant and user stay for next time
    assert not Problem.objects.filter(code__startswith="pkgcheck-").exists()
    assert not Submission.objects.exists()


def test_a_failing_package_exits_non_zero_and_keep_keeps_it(tmp_path):
    package = Path(shutil.copytree(PACKAGES / "sumtwo", tmp_path / "sumtwo"))
    for folder in ("time_limit_exceeded", "run_time_error"):
        shutil.rmtree(package / "submissions" / folder)
    (package / "submissions/wrong_answer").rename(package / "submissions/run_time_error")  # mislabelled
    lines, error = _judge(package, "--keep")
    assert error is not None and error.returncode == 1
    assert str(error) == "1 reference solution(s) did not pass the check (verdict or time margin)"
    assert _runs(lines)["submissions/run_time_error/forgets_sign.py"][:2] == ("run_time_error", "WA")
    assert lines[-1] == "2 passed, 1 failed"
    kept = Problem.objects.get(code__startswith="pkgcheck-")
    assert lines[-2] == f"kept as problem {kept.code} (tenant package-check)"
    assert kept.submissions.filter(kind=Submission.Kind.REFERENCE).count() == 3


def test_no_time_limit_is_derived_from_the_slowest_accepted_and_cobol_is_skipped():
    lines, error = _judge(PACKAGES / "notimelimit")
    assert error is None, lines
    runs = _runs(lines)
    derived = next(line for line in lines if line.startswith("time limit:"))
    match = re.fullmatch(
        r"time limit: (?P<limit>\d+) s \(slowest accepted (?P<slowest>[\d.]+) s × 3 = (?P<exact>[\d.]+) s, "
        r"rounded up to 1 s(, at least 1 s)?; by accepted/\S+\)",
        derived,
    )
    assert match, derived
    assert int(match["limit"]) == max(1, math.ceil(float(match["exact"]) - 1e-9))
    assert float(match["exact"]) == pytest.approx(float(match["slowest"]) * 3, abs=0.02)
    assert runs["submissions/accepted/formula.cob"] == ("accepted", "skipped", "(no language for this file)")
    assert runs["submissions/time_limit_exceeded/forever.c"][:2] == ("time_limit_exceeded", "TLE")
    assert lines[-1] == "3 passed, 0 failed, 1 skipped"
    assert lines.index(derived) < min(lines.index(line) for line in lines if LINE.match(line))


def test_malformed_package_is_a_clean_error(tmp_path):
    (tmp_path / "problem.yaml").write_text("validation: custom\n")
    with pytest.raises(CommandError, match="no test data"):
        call_command("judge_package", str(tmp_path), stdout=StringIO())
    assert not Problem.objects.exists()
