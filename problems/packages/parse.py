"""From package files to a Package: problem.yaml, statement, test data and programs together."""

import os

from problems.models import Problem
from problems.packages.config import Config, config_parse, domjudge_ini_parse, seconds_parse
from problems.packages.files import package_files_read
from problems.packages.programs import programs_read
from problems.packages.statement import statement_find
from problems.packages.testdata import testdata_read
from problems.packages.types import Package, PackageError

_KNOWN_TOP = {
    "problem.yaml", "problem_statement", "statement", "data", "submissions", "output_validators",
    "output_validator", "input_validators", "input_format_validators", "input_validator", ".timelimit",
    "include",
    "domjudge-problem.ini",
}  # fmt: skip
DOMJUDGE_INI = "domjudge-problem.ini"


def package_load(*, source: str | os.PathLike | bytes, name: str = "") -> Package:
    """Read and parse a package from a folder, a .zip path or zip bytes. Raises PackageError."""
    package_name, files = package_files_read(source=source, name=name)
    return package_parse(files=files, name=package_name)


def package_parse(*, files: dict[str, bytes], name: str) -> Package:
    if "problem.yaml" not in files and DOMJUDGE_INI not in files:
        raise PackageError("no problem.yaml or domjudge-problem.ini: is this a problem package?")
    config = config_parse(text=files.get("problem.yaml", b""))
    statement = statement_find(files=files)
    data = testdata_read(files=files)
    programs = programs_read(files=files)
    warnings = [*config.warnings, *statement.warnings, *data.warnings, *programs.warnings]
    time_limit_source = _time_limit_read(config=config, files=files, warnings=warnings)
    checker, custom = _checker(
        config=config, has_validator=programs.output_validator is not None, warnings=warnings
    )
    ignored = sorted({path.split("/", 1)[0] for path in files} - _KNOWN_TOP)
    if ignored:
        warnings.append(f"not imported: {', '.join(ignored)}")
    title = config.title or statement.title or name
    return Package(
        name=name,
        title=title,
        statement=statement.markdown or f"*The package {name} has no statement.*\n",
        statement_source=statement.latex,
        tags=tuple(config.tags),
        time_limit=config.time_limit,
        time_limit_source=time_limit_source,
        time_multiplier=config.time_multiplier,
        time_safety_margin=config.time_safety_margin,
        time_resolution=config.time_resolution,
        memory_limit=config.memory_limit,
        output_limit=config.output_limit,
        checker=checker,
        float_abs_tolerance=config.float_abs_tolerance,
        float_rel_tolerance=config.float_rel_tolerance,
        case_sensitive=config.case_sensitive or custom,
        interactive=config.interactive,
        scoring=_scoring(config=config, groups=data.groups, warnings=warnings),
        stop_on_first_failure=data.stop_on_first_failure,
        output_validator=programs.output_validator if custom else None,
        tests=tuple(data.tests),
        groups=tuple(data.groups),
        solutions=tuple(programs.solutions),
        include_files=programs.include_files,
        warnings=tuple(warnings),
    )


def _checker(*, config: Config, has_validator: bool, warnings: list[str]) -> tuple[str, bool]:
    custom = has_validator if config.custom is None else config.custom
    if custom and not has_validator:
        raise PackageError("validation is custom but there is no output validator in output_validators/")
    if not custom and has_validator:
        warnings.append("output_validators ignored: problem.yaml asks for the default validation")
    if config.interactive and not custom:
        raise PackageError("interactive problems need a custom output validator")
    if custom:
        if config.checker != Problem.Checker.TOKENS or config.case_sensitive:
            warnings.append("validator_flags ignored: flags for custom validators are not supported")
        return Problem.Checker.CUSTOM, True
    if config.checker == Problem.Checker.EXACT and not config.case_sensitive:
        warnings.append("space_change_sensitive without case_sensitive: the exact checker compares case too")
    return config.checker, False


def _scoring(*, config: Config, groups, warnings: list[str]) -> str:
    if config.scoring is not None:
        return config.scoring
    if any(group.points for group in groups):
        warnings.append(
            "test groups have scores but problem.yaml does not say type: scoring; scoring by groups"
        )
        return Problem.Scoring.GROUPS
    return Problem.Scoring.PASS_FAIL


def _time_limit_read(*, config: Config, files: dict[str, bytes], warnings: list[str]) -> str:
    """Set the time limit and return the file it came from: problem.yaml, else .timelimit (problemtools,
    DOMjudge and PC² write the limit there), else DOMjudge's domjudge-problem.ini; "" when none gives one.
    The ini also gives the title when problem.yaml does not."""
    found = [("problem.yaml", config.time_limit)]
    if ".timelimit" in files:
        seconds = seconds_parse(text=files[".timelimit"].decode("utf-8", "replace"))
        if seconds is None:
            warnings.append(".timelimit ignored: not a positive number of seconds")
        found.append((".timelimit", seconds))
    if DOMJUDGE_INI in files:
        ini = domjudge_ini_parse(text=files[DOMJUDGE_INI])
        warnings += ini.warnings
        config.title = config.title or ini.title
        found.append((DOMJUDGE_INI, ini.time_limit))
    given = [(source, seconds) for source, seconds in found if seconds is not None]
    if not given:
        return ""
    source, config.time_limit = given[0]
    warnings += [
        f"time limit {seconds:g} s in {other} ignored: {source} says {config.time_limit:g} s"
        for other, seconds in given[1:]
        if seconds != config.time_limit
    ]
    return source
