"""From a Package back to files: the same layout package_parse reads, so export → import is lossless."""

import re

import yaml

from problems.models import Problem
from problems.packages.folders import SUFFIX_OF, kattis_code, language_of, program_files
from problems.packages.programs import DEFAULT_INCLUDE, SUBMISSIONS_YAML
from problems.packages.testdata import ROOT_TESTDATA
from problems.packages.types import Package, PackageProgram, PackageTest

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def package_files(*, package: Package) -> dict[str, bytes]:
    files = {"problem.yaml": _problem_yaml(package=package).encode()}
    if package.statement_source:
        files["problem_statement/problem.tex"] = package.statement_source.encode()
    else:
        files["problem_statement/problem.md"] = package.statement.encode()
    files.update(_test_files(package=package))
    if package.output_validator is not None:
        files.update(_validator_files(validator=package.output_validator))
    files.update(_solution_files(solutions=package.solutions))
    for language, include in package.include_files.items():
        folder = language if language == DEFAULT_INCLUDE else kattis_code(language)
        files.update({f"include/{folder}/{path}": text.encode() for path, text in include.items()})
    return files


def _validator_files(*, validator: PackageProgram) -> dict[str, bytes]:
    if not validator.entry:
        suffix = SUFFIX_OF[validator.language]
        return {f"output_validators/checker/checker{suffix}": validator.source.encode()}
    # The folder is named after the entry file, so that reading it back finds the same entry.
    folder = _UNSAFE.sub("_", validator.entry.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip("._") or "checker"
    return program_files(program=validator, folder=f"output_validators/{folder}")


def _solution_files(*, solutions: tuple[PackageProgram, ...]) -> dict[str, bytes]:
    """Each solution's file or folder; folders' entry points and languages go in submissions.yaml."""
    files: dict[str, bytes] = {}
    settings = {}
    for solution in solutions:
        if not solution.entry:
            files[f"submissions/{solution.name}"] = solution.source.encode()
            if solution.language and solution.language != language_of(path=solution.name):
                settings[solution.name] = {"language": kattis_code(solution.language)}  # pypy for a .py
            continue
        files.update(program_files(program=solution, folder=f"submissions/{solution.name}"))
        settings[solution.name] = {"language": kattis_code(solution.language), "entrypoint": solution.entry}
    if settings:
        files[SUBMISSIONS_YAML] = yaml.safe_dump(settings, sort_keys=False).encode()
    return files


def _problem_yaml(*, package: Package) -> str:
    custom = package.checker == Problem.Checker.CUSTOM
    limits = {"time_multiplier": package.time_multiplier, "time_safety_margin": package.time_safety_margin}
    if package.time_limit is not None:
        limits["time_limit"] = package.time_limit
    if package.memory_limit is not None:
        limits["memory"] = package.memory_limit
    if package.output_limit is not None:
        limits["output"] = _mib(kib=package.output_limit)
    config = {
        "name": package.title,
        "type": "scoring" if package.scoring == Problem.Scoring.GROUPS else "pass-fail",
        "validation": ("custom interactive" if package.interactive else "custom") if custom else "default",
        "limits": limits,
    }
    if not custom:
        config["validator_flags"] = _validator_flags(package=package)
    if package.tags:  # the legacy format's one string: a tag holds no space (problems/tags.py)
        config["keywords"] = " ".join(package.tags)
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def _mib(*, kib: int) -> int | float:
    return kib // 1024 if kib % 1024 == 0 else kib / 1024


def _validator_flags(*, package: Package) -> str:
    flags = []
    if package.checker == Problem.Checker.FLOAT:
        flags += [
            f"float_absolute_tolerance {package.float_abs_tolerance!r}",
            f"float_relative_tolerance {package.float_rel_tolerance!r}",
        ]
    elif package.checker == Problem.Checker.EXACT:
        flags.append("space_change_sensitive")
    if package.case_sensitive:
        flags.append("case_sensitive")
    return " ".join(flags)


def _test_files(*, package: Package) -> dict[str, bytes]:
    folders: dict[str, list[PackageTest]] = {}
    for test in package.tests:
        folder = "sample" if test.is_sample else "/".join(filter(None, ("secret", test.group)))
        folders.setdefault(folder, []).append(test)
    files: dict[str, bytes] = {}
    for folder, tests in folders.items():
        for stem, test in zip(_stems(tests=tests), tests, strict=True):
            files[f"data/{folder}/{stem}.in"] = test.input
            files[f"data/{folder}/{stem}.ans"] = test.answer
    if not package.stop_on_first_failure:
        files[f"data/{ROOT_TESTDATA}"] = yaml.safe_dump({"on_reject": "continue"}).encode()
    if package.scoring == Problem.Scoring.GROUPS:
        for group in package.groups:
            files[f"data/secret/{group.name}/testdata.yaml"] = yaml.safe_dump(
                {"score": group.points}
            ).encode()
    return files


def _stems(*, tests: list[PackageTest]) -> list[str]:
    """File names for one folder's tests that sort in the tests' order: their own names when those do."""
    names = [_UNSAFE.sub("_", test.name.rsplit("/", 1)[-1]).strip("._") or "test" for test in tests]
    if len(set(names)) == len(names) and sorted(names) == names:
        return names
    width = max(3, len(str(len(tests))))
    return [f"{index:0{width}d}-{name}" for index, name in enumerate(names, start=1)]
