"""Programs in a package: the output validator (our custom checker), the reference solutions, and the
include files put beside every submission before it compiles. Each program is a file or a folder."""

import fnmatch
from dataclasses import dataclass, field

import yaml

from problems.models import INCLUDE_DEFAULT, ReferenceSolution, include_files_errors
from problems.packages.folders import (
    folder_program,
    language_of,
    language_of_code,
    source_text,
    text_files,
)
from problems.packages.types import PackageError, PackageProgram
from sandbox import BUILD_SCRIPT, RUN_SCRIPT

EXPECTED_OF_FOLDER = {
    "accepted": ReferenceSolution.Expected.ACCEPTED,
    "wrong_answer": ReferenceSolution.Expected.WRONG_ANSWER,
    "time_limit_exceeded": ReferenceSolution.Expected.TIME_LIMIT_EXCEEDED,
    "run_time_error": ReferenceSolution.Expected.RUN_TIME_ERROR,
}
VALIDATOR_FOLDERS = ("output_validators", "output_validator")
SUBMISSIONS_YAML = "submissions/submissions.yaml"
DEFAULT_INCLUDE = INCLUDE_DEFAULT  # include/default/: for every language
NAME_MAX = 200


@dataclass
class Programs:
    output_validator: PackageProgram | None = None
    solutions: list[PackageProgram] = field(default_factory=list)
    include_files: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def programs_read(*, files: dict[str, bytes]) -> Programs:
    programs = Programs()
    programs.output_validator = _output_validator(files=files, warnings=programs.warnings)
    programs.solutions = _solutions(files=files, warnings=programs.warnings)
    programs.include_files = _include_files(files=files, warnings=programs.warnings)
    for folder in ("input_validators", "input_format_validators", "input_validator"):
        if any(path.startswith(folder + "/") for path in files):
            programs.warnings.append(f"{folder} ignored: input files are not validated on import")
    return programs


def _output_validator(*, files: dict[str, bytes], warnings: list[str]) -> PackageProgram | None:
    units = _validator_units(files=files)
    if len(units) > 1:  # a README beside the validator is not a second validator
        units = {unit: f for unit, f in units.items() if any(map(_runnable, f))} or units
    if len(units) > 1:
        raise PackageError(f"several output validators ({', '.join(sorted(units))}): keep only one")
    if not units:
        return None
    unit, unit_files = next(iter(units.items()))
    texts = text_files(unit=unit, files=unit_files, warnings=warnings)
    return folder_program(unit=unit, name=unit, files=texts)


def _runnable(name: str) -> bool:
    return bool(language_of(path=name)) or name in (BUILD_SCRIPT, RUN_SCRIPT)


def _validator_units(*, files: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    """{folder: {path inside it: data}}. Each folder in output_validators/ is a validator, and so are the
    files directly in it (one validator beside its headers); output_validator/ (2023-07) is one
    validator, its files directly in it or in one folder of their own."""
    units: dict[str, dict[str, bytes]] = {}
    for path, data in files.items():
        folder = next((f for f in VALIDATOR_FOLDERS if path.startswith(f + "/")), None)
        if folder is None:
            continue
        relative = path[len(folder) + 1 :]
        if folder == "output_validators" and "/" in relative:
            top, rest = relative.split("/", 1)
            units.setdefault(f"{folder}/{top}", {})[rest] = data
        else:
            units.setdefault(folder, {})[relative] = data
    return dict(_one_folder_down(unit, unit_files) for unit, unit_files in units.items())


def _one_folder_down(unit: str, files: dict[str, bytes]) -> tuple[str, dict[str, bytes]]:
    tops = {path.split("/", 1)[0] for path in files}
    if unit != "output_validator" or len(tops) != 1 or not all("/" in path for path in files):
        return unit, files
    top = tops.pop()
    return f"{unit}/{top}", {path[len(top) + 1 :]: data for path, data in files.items()}


def _solutions(*, files: dict[str, bytes], warnings: list[str]) -> list[PackageProgram]:
    """submissions/<verdict>/<file or folder>; a folder is one program of several files."""
    settings = _submissions_settings(files=files, warnings=warnings)
    by_unit: dict[str, dict[str, bytes]] = {}
    for path in sorted(files):
        if not path.startswith("submissions/") or path == SUBMISSIONS_YAML:
            continue
        parts = path.split("/")
        if len(parts) < 3:
            warnings.append(f"{path} ignored: solutions go in a folder named after their verdict")
            continue
        by_unit.setdefault("/".join(parts[1:3]), {})["/".join(parts[3:])] = files[path]
    solutions = []
    for unit, unit_files in by_unit.items():
        solution = _solution(unit=unit, files=unit_files, settings=settings, warnings=warnings)
        if solution is not None:
            solutions.append(solution)
    return solutions


def _solution(
    *, unit: str, files: dict[str, bytes], settings: dict, warnings: list[str]
) -> PackageProgram | None:
    path = f"submissions/{unit}"
    expected = EXPECTED_OF_FOLDER.get(unit.split("/", 1)[0], ReferenceSolution.Expected.OTHER)
    config = _settings_for(settings=settings, unit=unit, warnings=warnings)
    language = config.get("language", "")
    try:
        if "" in files:  # a file, not a folder
            source = source_text(path=path, data=files[""])
            solution = PackageProgram(
                name=unit, language=language or language_of(path=unit), source=source, expected=expected
            )
        else:
            texts = text_files(unit=path, files=files, warnings=warnings)
            solution = folder_program(
                unit=path, name=unit, files=texts, expected=expected, entry=config.get("entry", ""),
                language=language,
            )  # fmt: skip
    except PackageError as exc:
        warnings.append(f"{exc.message}: skipped")
        return None
    if len(solution.name) > NAME_MAX:
        raise PackageError(f"submissions/{solution.name}: the name is longer than {NAME_MAX} characters")
    return solution


def _submissions_settings(*, files: dict[str, bytes], warnings: list[str]) -> dict:
    """submissions/submissions.yaml: {path or glob under submissions/: {language, entrypoint, ...}}."""
    if SUBMISSIONS_YAML not in files:
        return {}
    try:
        data = yaml.safe_load(source_text(path=SUBMISSIONS_YAML, data=files[SUBMISSIONS_YAML]))
    except yaml.YAMLError as exc:
        raise PackageError(f"{SUBMISSIONS_YAML}: invalid YAML ({exc.__class__.__name__})") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise PackageError(f"{SUBMISSIONS_YAML}: expected submission paths, each with a mapping of settings")
    return {str(key).strip("/"): value for key, value in data.items()}


def _settings_for(*, settings: dict, unit: str, warnings: list[str]) -> dict[str, str]:
    """The language and entry point submissions.yaml gives this submission (glob entries first)."""
    found: dict[str, str] = {}
    for pattern in sorted(settings, key=lambda key: (key == unit, key)):
        if not fnmatch.fnmatchcase(unit, pattern):
            continue
        values = settings[pattern]
        if "language" in values:
            found["language"] = language_of_code(str(values["language"]))
            if not found["language"]:
                warnings.append(f"submissions/{unit}: language {values['language']!r} is not one we run")
        if "entrypoint" in values:
            found["entry"] = str(values["entrypoint"])
    return found


def _include_files(*, files: dict[str, bytes], warnings: list[str]) -> dict[str, dict[str, str]]:
    """include/<language>/ and include/default/: {language key or "default": {path: text}}."""
    found: dict[str, dict[str, str]] = {}
    unknown: set[str] = set()
    for path, data in sorted(files.items()):
        parts = path.split("/", 2)
        if parts[0] != "include":
            continue
        if len(parts) < 3:
            warnings.append(f"{path} ignored: include files go in include/<language>/ or include/default/")
            continue
        key = DEFAULT_INCLUDE if parts[1] == DEFAULT_INCLUDE else language_of_code(parts[1])
        if not key:
            unknown.add(parts[1])
            continue
        try:
            found.setdefault(key, {})[parts[2]] = source_text(path=path, data=data)
        except PackageError as exc:
            warnings.append(f"{exc.message}: left out")
    warnings += [f"include/{code} ignored: not a language this judge runs" for code in sorted(unknown)]
    if errors := include_files_errors(include_files=found):
        raise PackageError(f"include/: {'; '.join(errors)}")
    return found
