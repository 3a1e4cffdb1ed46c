"""problem.yaml: name, limits, validation and validator flags (legacy, 2023-07 and 2025-09 Kattis formats),
and DOMjudge's domjudge-problem.ini."""

import math
import re
from dataclasses import dataclass, field

import yaml

from problems.models import Problem
from problems.packages.keywords import keywords_read
from problems.packages.types import PackageError
from problems.timing import (
    DEFAULT_RESOLUTION,
    LEGACY_MULTIPLIER,
    LEGACY_SAFETY_MARGIN,
    NEW_MULTIPLIER,
    NEW_SAFETY_MARGIN,
)

_TOP_KEYS = {
    "name", "uuid", "type", "validation", "validator_flags", "limits", "keywords", "problem_format_version",
    "author", "source", "source_url", "license", "rights_owner", "credits", "languages", "grading",
    "version", "embargo_until", "constants", "allow_file_writing", "output_validator_args",
}  # fmt: skip
_LIMIT_KEYS = {
    "time_limit", "time_multiplier", "time_safety_margin", "time_multipliers", "memory", "output", "code",
    "compilation_time", "compilation_memory", "validation_time", "validation_memory", "validation_output",
    "validation_passes", "time_resolution",
}  # fmt: skip
_VALIDATIONS = {
    "default": (False, False, False),  # (custom, interactive, score)
    "custom": (True, False, False),
    "custom interactive": (True, True, False),
    "custom score": (True, False, True),
}
LEGACY, V2023, V2025 = "legacy", "2023-07", "2025-09"
_VERSIONS = {  # problem_format_version: the rules it follows
    "legacy": LEGACY, "legacy-icpc": LEGACY, "2023-07-draft": V2023, "2023-07": V2023, "draft": V2025,
    "2025-09": V2025,
}  # fmt: skip
_LEGACY_TIME_KEYS = ("time_multiplier", "time_safety_margin")
_NEW_TIME_KEYS = ("time_multipliers", "time_resolution")
_FLAGS_WITH_VALUE = {"float_tolerance", "float_absolute_tolerance", "float_relative_tolerance"}
_UNSUPPORTED_TYPES = {"multi-pass", "submit-answer"}


@dataclass
class Config:
    """problem.yaml, read. `custom` is None when the file does not say (then the folders decide)."""

    title: str = ""
    format_version: str = LEGACY
    time_limit: float | None = None
    time_multiplier: float = LEGACY_MULTIPLIER
    time_safety_margin: float = LEGACY_SAFETY_MARGIN
    time_resolution: float = DEFAULT_RESOLUTION
    memory_limit: int | None = None
    output_limit: int | None = None
    custom: bool | None = None
    interactive: bool = False
    scoring: str | None = None
    checker: str = Problem.Checker.TOKENS
    float_abs_tolerance: float = 1e-6
    float_rel_tolerance: float = 1e-6
    case_sensitive: bool = False  # Kattis' default validator ignores case unless told otherwise
    tags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def config_parse(*, text: bytes) -> Config:
    data = _yaml_load(text=text, path="problem.yaml")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PackageError("problem.yaml: expected a mapping of keys to values")
    config = Config()
    config.warnings += [f"problem.yaml: unknown key '{key}' ignored" for key in data if key not in _TOP_KEYS]
    config.title = _title(value=data.get("name"))
    config.tags = keywords_read(value=data.get("keywords"), warnings=config.warnings)
    _version_read(config=config, value=data.get("problem_format_version"))
    _limits_read(config=config, limits=data.get("limits") or {})
    _type_read(config=config, value=data.get("type"))
    if "validation" in data:
        _validation_read(config=config, value=data["validation"])
    _flags_read(config=config, value=data.get("validator_flags") or "")
    return config


def _yaml_load(*, text: bytes, path: str):
    try:
        return yaml.safe_load(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackageError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise PackageError(f"{path}: invalid YAML{line}: {getattr(exc, 'problem', exc)}") from None


def testdata_yaml_parse(*, text: bytes, path: str) -> dict:
    data = _yaml_load(text=text, path=path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PackageError(f"{path}: expected a mapping of keys to values")
    return data


def _title(*, value) -> str:
    if isinstance(value, dict):  # {language: name}
        value = value.get("en", next(iter(value.values()), ""))
    if value is not None and not isinstance(value, str | int | float):
        raise PackageError("problem.yaml: name must be text")
    return "" if value is None else str(value).strip()


def _version_read(*, config: Config, value) -> None:
    """The format decides the defaults: legacy × 5 with margin 2, 2023-07 on × 2.0 with margin 1.5."""
    if value is None:
        return
    version = _VERSIONS.get(str(value).strip())
    if version is None:
        config.warnings.append(f"problem.yaml: unknown problem_format_version {value!r}: read as legacy")
        return
    config.format_version = version
    if version != LEGACY:
        config.time_multiplier, config.time_safety_margin = NEW_MULTIPLIER, NEW_SAFETY_MARGIN


def _limits_read(*, config: Config, limits) -> None:
    if not isinstance(limits, dict):
        raise PackageError("problem.yaml: limits must be a mapping")
    config.warnings += [
        f"problem.yaml: unknown key 'limits.{key}' ignored" for key in limits if key not in _LIMIT_KEYS
    ]
    if "time_limit" in limits:
        config.time_limit = _positive(value=limits["time_limit"], key="limits.time_limit")
    _time_rules_read(config=config, limits=limits)
    if "memory" in limits:
        config.memory_limit = round(_positive(value=limits["memory"], key="limits.memory"))
    if "output" in limits:
        config.output_limit = round(_positive(value=limits["output"], key="limits.output") * 1024)


def _time_rules_read(*, config: Config, limits: dict) -> None:
    """Each format's own keys; the other format's keys are still used (a warning says so), as they are
    unambiguous and a package half converted from one format to the other is common."""
    foreign = _NEW_TIME_KEYS if config.format_version == LEGACY else _LEGACY_TIME_KEYS
    config.warnings += [
        f"problem.yaml: limits.{key} belongs to another problem_format_version than "
        f"'{config.format_version}': used anyway"
        for key in foreign
        if key in limits
    ]
    multipliers = limits.get("time_multipliers") or {}
    if not isinstance(multipliers, dict):
        raise PackageError("problem.yaml: limits.time_multipliers must be a mapping")
    config.warnings += [
        f"problem.yaml: unknown key 'limits.time_multipliers.{key}' ignored"
        for key in multipliers
        if key not in ("ac_to_time_limit", "time_limit_to_tle")
    ]
    keys = (
        ("time_multiplier", limits, "time_multiplier", "limits.time_multiplier"),
        ("time_safety_margin", limits, "time_safety_margin", "limits.time_safety_margin"),
        ("time_multiplier", multipliers, "ac_to_time_limit", "limits.time_multipliers.ac_to_time_limit"),
        ("time_safety_margin", multipliers, "time_limit_to_tle", "limits.time_multipliers.time_limit_to_tle"),
        ("time_resolution", limits, "time_resolution", "limits.time_resolution"),
    )
    for name, mapping, key, where in keys:
        if key in mapping:
            setattr(config, name, _positive(value=mapping[key], key=where))


def _positive(*, value, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise PackageError(f"problem.yaml: {key} must be a positive number, not {value!r}")
    return float(value)


def _type_read(*, config: Config, value) -> None:
    if value is None:
        return
    kinds = value.split() if isinstance(value, str) else value
    if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
        raise PackageError("problem.yaml: type must be text or a list of text")
    for kind in kinds:
        if kind in _UNSUPPORTED_TYPES:
            raise PackageError(f"problem.yaml: problems of type '{kind}' are not supported")
        if kind not in ("pass-fail", "scoring", "interactive"):
            raise PackageError(f"problem.yaml: unknown problem type '{kind}'")
    config.scoring = Problem.Scoring.GROUPS if "scoring" in kinds else Problem.Scoring.PASS_FAIL
    if "interactive" in kinds:
        config.interactive = config.custom = True


def _validation_read(*, config: Config, value) -> None:
    words = " ".join(str(value).split()) if isinstance(value, str) else value
    if words not in _VALIDATIONS:
        known = ", ".join(f"'{name}'" for name in _VALIDATIONS)
        raise PackageError(f"problem.yaml: unknown validation type {value!r} (known: {known})")
    custom, interactive, score = _VALIDATIONS[words]
    config.custom = custom
    config.interactive = config.interactive or interactive
    if score:
        config.scoring = Problem.Scoring.GROUPS


def _flags_read(*, config: Config, value) -> None:
    words = value.split() if isinstance(value, str) else value
    if not isinstance(words, list):
        raise PackageError("problem.yaml: validator_flags must be text")
    words = [str(word) for word in words]
    tolerances: dict[str, float] = {}
    index = 0
    while index < len(words):
        flag = words[index]
        if flag in _FLAGS_WITH_VALUE:
            tolerances[flag] = _flag_number(words=words, index=index)
            index += 1
        elif flag == "case_sensitive":
            config.case_sensitive = True
        elif flag == "space_change_sensitive":
            config.checker = Problem.Checker.EXACT
        else:
            config.warnings.append(f"problem.yaml: unknown validator flag '{flag}' ignored")
        index += 1
    if tolerances:
        _tolerances_apply(config=config, tolerances=tolerances)


def _flag_number(*, words: list[str], index: int) -> float:
    try:
        value = float(words[index + 1])
    except (IndexError, ValueError):
        raise PackageError(f"problem.yaml: validator flag '{words[index]}' needs a number after it") from None
    if not value >= 0:
        raise PackageError(f"problem.yaml: validator flag '{words[index]}' must not be negative")
    return value


def _tolerances_apply(*, config: Config, tolerances: dict[str, float]) -> None:
    if config.checker == Problem.Checker.EXACT:
        config.warnings.append("problem.yaml: space_change_sensitive ignored: float tolerances win")
    both = tolerances.get("float_tolerance")
    # A tolerance the flags do not give is not used at all by Kattis' default validator: 0 here.
    config.float_abs_tolerance = tolerances.get("float_absolute_tolerance", both if both is not None else 0.0)
    config.float_rel_tolerance = tolerances.get("float_relative_tolerance", both if both is not None else 0.0)
    config.checker = Problem.Checker.FLOAT


_INI_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
_INI_IGNORED = {"probid", "externalid", "allow_submit", "allow_judge", "color", "points", "short_name"}


@dataclass
class DomjudgeIni:
    """domjudge-problem.ini: DOMjudge's own problem settings (the name and the time limit are used)."""

    title: str = ""
    time_limit: float | None = None
    warnings: list[str] = field(default_factory=list)


def domjudge_ini_parse(*, text: bytes) -> DomjudgeIni:
    """`key = 'value'` lines; unknown keys and bad values are warnings: the package still imports."""
    ini = DomjudgeIni()
    try:
        lines = text.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        ini.warnings.append("domjudge-problem.ini ignored: not UTF-8 text")
        return ini
    for line in lines:
        match = _INI_LINE.match(line)
        if match is None:
            if line.strip() and not line.lstrip().startswith((";", "#", "[")):
                ini.warnings.append(f"domjudge-problem.ini: line ignored: {line.strip()[:60]!r}")
            continue
        _ini_value_read(ini=ini, key=match[1].lower(), value=_ini_unquote(value=match[2]))
    return ini


def _ini_unquote(*, value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _ini_value_read(*, ini: DomjudgeIni, key: str, value: str) -> None:
    if key == "name":
        ini.title = value.strip()
    elif key == "timelimit":
        ini.time_limit = seconds_parse(text=value)
        if ini.time_limit is None:
            ini.warnings.append(f"domjudge-problem.ini: timelimit {value!r} ignored: not a positive number")
    elif key not in _INI_IGNORED:
        ini.warnings.append(f"domjudge-problem.ini: key '{key}' ignored")


def seconds_parse(*, text: str) -> float | None:
    """A positive, finite number of seconds (DOMjudge's .timelimit and timelimit =), else None."""
    try:
        seconds = float(text.strip())
    except ValueError:
        return None
    return seconds if 0 < seconds < math.inf else None
