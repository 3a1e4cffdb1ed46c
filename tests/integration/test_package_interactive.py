"""An interactive package end to end: an interactor of two files (its header beside it), a Java class
named unlike its file, who ended first decided inside the boxes, and a JVM heap overrun counted as a
run-time error (MLE) by the package format."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.docker]

GUESS = Path(__file__).resolve().parents[1] / "packages" / "guess"


def test_guess_every_reference_solution_gets_its_verdict():
    out = StringIO()
    call_command("judge_package", str(GUESS), "--json", stdout=out)
    report = json.loads(out.getvalue())
    verdicts = {run["path"]: run["verdict"] for run in report["solutions"]}

    assert verdicts == {
        "submissions/accepted/bisect.cpp": "AC",
        "submissions/accepted/bisect.py": "AC",
        "submissions/accepted/guess.java": "AC",  # public class Guesser in guess.java
        "submissions/run_time_error/HeapHog.java": "MLE",  # OutOfMemoryError at the limit
        "submissions/run_time_error/crash_first.cpp": "RE",  # ended first, before the interactor rejected
        "submissions/time_limit_exceeded/silent.c": "TLE",  # waits forever: the wall limit
        "submissions/time_limit_exceeded/spin_after_guess.py": "TLE",
        "submissions/wrong_answer/linear_then_quit.c": "WA",  # rejected first, then exited 0
    }
    assert all(run["passed"] for run in report["solutions"]), report
