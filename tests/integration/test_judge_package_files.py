"""Programs of several files, end to end through judge_package and the real sandbox: a validator folder
(2023-07 layout, one folder deeper, or files directly in output_validators/, or built by its own
scripts), solution folders in C, C++, Java and Python (entry from submissions.yaml), a folder with Kattis
build and run scripts, and include/ files given to every submission."""

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from judge.submissions.models import Verdict
from judge.submissions.services import submission_create
from problems.models import Problem
from problems.services.packages import problem_import_package
from tests.factories import TenantFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.docker]

MULTIFILE = Path(__file__).resolve().parents[1] / "packages" / "multifile"
LINE = re.compile(r"^(?P<path>submissions/\S+) +(?P<expected>\S+) +(?P<verdict>\S+) +(?P<time>.*)$")
EXPECTED = {
    "submissions/accepted/JavaPieces": ("accepted", "AC"),
    "submissions/accepted/pieces_cpp": ("accepted", "AC"),
    "submissions/accepted/py_entry": ("accepted", "AC"),
    "submissions/accepted/scripted": ("accepted", "AC"),
    "submissions/accepted/with_include.cpp": ("accepted", "AC"),
    "submissions/accepted/with_include.py": ("accepted", "AC"),
    "submissions/wrong_answer/pieces_c": ("wrong_answer", "WA"),
}


def _judge(path: Path) -> tuple[list[str], CommandError | None]:
    out = StringIO()
    try:
        call_command("judge_package", str(path), stdout=out)
    except CommandError as exc:
        return out.getvalue().splitlines(), exc
    return out.getvalue().splitlines(), None


def _verdicts(lines: list[str]) -> dict[str, tuple[str, str]]:
    matches = [LINE.match(line) for line in lines]
    return {m["path"]: (m["expected"], m["verdict"]) for m in matches if m}


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MULTIFILE, tmp_path / "multifile"))


def test_every_program_of_several_files_gets_its_verdict():
    lines, error = _judge(MULTIFILE)
    assert error is None, lines
    assert _verdicts(lines) == EXPECTED
    assert lines[-1] == "7 passed, 0 failed"


def _only(package: Path, *keep: str) -> None:
    """Keep only these submissions (the validator is what the variants below are about)."""
    for path in sorted((package / "submissions").glob("*/*"), reverse=True):
        if str(path.relative_to(package / "submissions")) not in keep:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def test_validator_files_directly_in_output_validators_beside_their_header(tmp_path):
    package = _copy(tmp_path)
    (package / "output_validators").mkdir()
    for path in (package / "output_validator/sumcheck").iterdir():
        path.rename(package / "output_validators" / path.name)
    shutil.rmtree(package / "output_validator")
    _only(package, "accepted/pieces_cpp", "wrong_answer/pieces_c")
    lines, error = _judge(package)
    assert error is None, lines
    assert lines[-1] == "2 passed, 0 failed"


def test_validator_built_by_its_own_scripts(tmp_path):
    package = _copy(tmp_path)
    folder = package / "output_validator/sumcheck"
    (folder / "build").write_text("#!/bin/sh\ng++ -O2 -o validate sumcheck.cpp read.cpp\n")
    (folder / "run").write_text('#!/bin/sh\nexec ./validate "$@"\n')
    _only(package, "accepted/with_include.py", "wrong_answer/pieces_c")
    lines, error = _judge(package)
    assert error is None, lines
    assert lines[-1] == "2 passed, 0 failed"


def test_a_build_script_that_leaves_no_run_script_is_a_compile_error(tmp_path):
    package = _copy(tmp_path)
    (package / "submissions/accepted/scripted/run").unlink()
    _only(package, "accepted/scripted")
    lines, error = _judge(package)
    assert error is not None
    assert _verdicts(lines) == {"submissions/accepted/scripted": ("accepted", "CE")}


def test_a_students_submission_gets_the_include_files_of_its_language(judge_queued):
    problem = problem_import_package(tenant=TenantFactory(), path_or_bytes=MULTIFILE).problem
    Problem.objects.filter(pk=problem.pk).update(visibility=Problem.Visibility.PUBLIC)
    source = (MULTIFILE / "submissions/accepted/with_include.py").read_text()
    submission = submission_create(user=UserFactory(), problem=problem, language="python", source=source)
    assert [s.id for s in judge_queued()] == [submission.id]
    submission.refresh_from_db()
    assert (submission.verdict, submission.files, submission.entry) == (Verdict.AC, {}, "")


INTERACTOR_H = """#pragma once
#include <cstdio>
// The interactor's half that talks: one question, one reply.
long long ask(long long n);
"""
INTERACTOR_ASK = """#include "talk.h"
long long ask(long long n) {
    std::printf("%lld\\n", n);
    std::fflush(stdout);
    long long reply = 0;
    return std::scanf("%lld", &reply) == 1 ? reply : -1;
}
"""
INTERACTOR_MAIN = """#include <fstream>
#include "talk.h"
int main(int argc, char **argv) {
    std::ifstream input(argv[1]);
    long long n = 0;
    input >> n;
    return ask(n) == 2 * n ? 42 : 43;
}
"""


def test_an_interactor_of_several_files(tmp_path):
    package = tmp_path / "doubling"
    files = {
        "problem.yaml": "name: Doubling\nvalidation: custom interactive\nlimits:\n  time_limit: 2\n",
        "problem_statement/problem.md": "Double the number the judge says.\n",
        "data/sample/1.in": "21\n",
        "data/sample/1.ans": "\n",
        "data/secret/1.in": "-4\n",
        "data/secret/1.ans": "\n",
        "output_validators/doubling/doubling.cpp": INTERACTOR_MAIN,
        "output_validators/doubling/ask.cpp": INTERACTOR_ASK,
        "output_validators/doubling/talk.h": INTERACTOR_H,
        "submissions/accepted/double.py": "print(2 * int(input()), flush=True)\n",
        "submissions/wrong_answer/same.py": "print(int(input()), flush=True)\n",
    }
    for path, text in files.items():
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        (package / path).write_text(text)
    lines, error = _judge(package)
    assert error is None, lines
    assert _verdicts(lines) == {
        "submissions/accepted/double.py": ("accepted", "AC"),
        "submissions/wrong_answer/same.py": ("wrong_answer", "WA"),
    }
