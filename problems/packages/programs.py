"""Programs in a package: the output validator (our custom checker) and the reference solutions."""

import re
from dataclasses import dataclass, field

from problems.models import ReferenceSolution
from problems.packages.types import PackageError, PackageProgram
from sandbox import LANGUAGES


def _extensions() -> dict[str, str]:
    """From the one language table: the first language listing an extension gets it (.py: CPython)."""
    found: dict[str, str] = {}
    for key, lang in LANGUAGES.items():
        for ext in lang.extensions:
            found.setdefault(ext, key)
    return found


EXTENSIONS = _extensions()
SUFFIX_OF = {key: lang.extensions[0] for key, lang in LANGUAGES.items()}
EXPECTED_OF_FOLDER = {
    "accepted": ReferenceSolution.Expected.ACCEPTED,
    "wrong_answer": ReferenceSolution.Expected.WRONG_ANSWER,
    "time_limit_exceeded": ReferenceSolution.Expected.TIME_LIMIT_EXCEEDED,
    "run_time_error": ReferenceSolution.Expected.RUN_TIME_ERROR,
}
VALIDATOR_FOLDERS = ("output_validators", "output_validator")
_HEADERS = (".h", ".hpp", ".hh")
_MAIN_STEMS = ("main", "validator", "validate", "checker", "output_validator")
_LOCAL_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"[^\n]*$', re.MULTILINE)
NAME_MAX = 200


@dataclass
class Programs:
    output_validator: PackageProgram | None = None
    solutions: list[PackageProgram] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def language_of(*, path: str) -> str:
    """The sandbox language key for a file name, or "" when we cannot run it."""
    name = path.rsplit("/", 1)[-1].lower()
    return next((key for suffix, key in EXTENSIONS.items() if name.endswith(suffix)), "")


def programs_read(*, files: dict[str, bytes]) -> Programs:
    programs = Programs()
    programs.output_validator = _output_validator(files=files, warnings=programs.warnings)
    programs.solutions = _solutions(files=files, warnings=programs.warnings)
    for folder in ("input_validators", "input_format_validators", "input_validator"):
        if any(path.startswith(folder + "/") for path in files):
            programs.warnings.append(f"{folder} ignored: input files are not validated on import")
    return programs


def _output_validator(*, files: dict[str, bytes], warnings: list[str]) -> PackageProgram | None:
    units = _validator_units(files=files)
    if not units:
        return None
    if len(units) > 1:  # a README beside the validator is not a second validator
        units = {unit: f for unit, f in units.items() if any(language_of(path=name) for name in f)} or units
    if len(units) > 1:
        raise PackageError(f"several output validators ({', '.join(sorted(units))}): keep only one")
    unit, unit_files = next(iter(units.items()))
    main = _main_file(unit=unit, files=unit_files, warnings=warnings)
    path = unit if unit.endswith("/" + main) and unit.count("/") == 1 else f"{unit}/{main}"
    language = language_of(path=main)
    if not language:
        raise PackageError(f"{path}: output validators in this language are not supported")
    source = _source_text(path=path, data=unit_files[main])
    if language in ("c", "cpp"):
        source = _headers_inlined(source=source, files=unit_files, warnings=warnings, unit=unit)
    return PackageProgram(name=path, language=language, source=source)


def _validator_units(*, files: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    """{program: {file name inside it: data}}. output_validators/ holds programs (a file or a folder
    each); output_validator/ (2023-07 format) is one program."""
    units: dict[str, dict[str, bytes]] = {}
    for path, data in files.items():
        folder = next((f for f in VALIDATOR_FOLDERS if path.startswith(f + "/")), None)
        if folder is None:
            continue
        relative = path[len(folder) + 1 :]
        if folder == "output_validator":
            units.setdefault(folder, {})[relative] = data
        elif "/" in relative:
            top, rest = relative.split("/", 1)
            units.setdefault(f"{folder}/{top}", {})[rest] = data
        else:
            units.setdefault(path, {})[relative] = data
    return units


def _main_file(*, unit: str, files: dict[str, bytes], warnings: list[str]) -> str:
    sources = sorted(name for name in files if language_of(path=name))
    if len(sources) == 1:
        main = sources[0]
    else:
        folder = unit.rsplit("/", 1)[-1]
        wanted = [n for n in sources if n.rsplit("/", 1)[-1].rsplit(".", 1)[0] in (folder, *_MAIN_STEMS)]
        if not sources:
            raise PackageError(f"{unit}: no source file in a language we can run ({', '.join(LANGUAGES)})")
        if len(wanted) != 1:
            raise PackageError(
                f"{unit}: several source files ({', '.join(sources)}); cannot tell which is main"
            )
        main = wanted[0]
    extra = sorted(n for n in files if n != main and not n.endswith(_HEADERS))
    if extra:
        warnings.append(f"{unit}: only {main} is used; ignored: {', '.join(extra)}")
    return main


def _headers_inlined(*, source: str, files: dict[str, bytes], warnings: list[str], unit: str) -> str:
    """Paste local `#include "x.h"` headers (Kattis' validate.h) in, since the checker is one file."""
    done: set[str] = set()

    def paste(match: re.Match) -> str:
        name = match.group(1)
        if name not in files:
            return match.group(0)
        if name in done:
            return ""
        done.add(name)
        text = _source_text(path=f"{unit}/{name}", data=files[name])
        return _LOCAL_INCLUDE.sub(paste, text)

    source = _LOCAL_INCLUDE.sub(paste, source)
    if done:
        warnings.append(f"{unit}: headers pasted into the checker source: {', '.join(sorted(done))}")
    return source


def _solutions(*, files: dict[str, bytes], warnings: list[str]) -> list[PackageProgram]:
    by_unit: dict[str, list[str]] = {}
    for path in sorted(files):
        if not path.startswith("submissions/"):
            continue
        parts = path.split("/")
        if len(parts) < 3:
            warnings.append(f"{path} ignored: solutions go in a folder named after their verdict")
            continue
        by_unit.setdefault("/".join(parts[1:3]), []).append(path)
    solutions = []
    for unit, paths in by_unit.items():
        solution = _solution(unit=unit, paths=paths, files=files, warnings=warnings)
        if solution is not None:
            solutions.append(solution)
    return solutions


def _solution(*, unit: str, paths: list[str], files: dict[str, bytes], warnings: list[str]):
    if len(paths) > 1 or paths[0] != f"submissions/{unit}":
        sources = [p for p in paths if language_of(path=p)]
        if len(sources) != 1:
            warnings.append(f"submissions/{unit} skipped: a solution of several files is not supported")
            return None
        paths = sources
    path = paths[0]
    name = path[len("submissions/") :]
    if len(name) > NAME_MAX:
        raise PackageError(f"{path}: the name is longer than {NAME_MAX} characters")
    try:
        source = _source_text(path=path, data=files[path])
    except PackageError as exc:
        warnings.append(f"{exc.message}: skipped")
        return None
    expected = EXPECTED_OF_FOLDER.get(unit.split("/", 1)[0], ReferenceSolution.Expected.OTHER)
    return PackageProgram(name=name, language=language_of(path=path), source=source, expected=expected)


def _source_text(*, path: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackageError(f"{path}: not UTF-8 text") from None
    if "\x00" in text:
        raise PackageError(f"{path}: contains NUL bytes, not source code")
    return text
