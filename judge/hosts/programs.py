"""How a job carries a program, its run limits and its test files to a judge host (sandbox/host/worker.py
reads them)."""

from judge.judging import services as judging
from problems.models import Problem


def program_data(*, language: str, source: str, entry: str, files: dict[str, str]) -> dict:
    """The program as a file set: with an entry point, `source` is that file among `files`."""
    if entry:
        files = {**files, entry: source}
    return {"language": language, "source": source, "entry": entry, "files": files}


def limits_data(problem: Problem) -> dict:
    limits = judging.problem_limits(problem)
    return {"cpu_time": limits.cpu_time, "memory": limits.memory, "output": limits.output}


def files_served(tests: list[dict]) -> dict[str, list]:
    """What a job's host may fetch: SHA-256 -> [test id, "input" | "answer"] (a file several tests share
    is served from the first)."""
    served: dict[str, list] = {}
    for test in tests:
        served.setdefault(test["input"], [test["id"], "input"])
        served.setdefault(test["answer"], [test["id"], "answer"])
    return served
