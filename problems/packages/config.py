"""problem.yaml: name, limits, validation and validator flags (legacy and 2023-07 Kattis formats)."""

from dataclasses import dataclass, field

import yaml

from problems.models import Problem
from problems.packages.keywords import keywords_read
from problems.packages.types import PackageError

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
_FLAGS_WITH_VALUE = {"float_tolerance", "float_absolute_tolerance", "float_relative_tolerance"}
_UNSUPPORTED_TYPES = {"multi-pass", "submit-answer"}


@dataclass
class Config:
    """problem.yaml, read. `custom` is None when the file does not say (then the folders decide)."""

    title: str = ""
    time_limit: float | None = None
    time_multiplier: float = 2.0
    time_safety_margin: float = 2.0
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


def _limits_read(*, config: Config, limits) -> None:
    if not isinstance(limits, dict):
        raise PackageError("problem.yaml: limits must be a mapping")
    config.warnings += [
        f"problem.yaml: unknown key 'limits.{key}' ignored" for key in limits if key not in _LIMIT_KEYS
    ]
    if "time_limit" in limits:
        config.time_limit = _positive(value=limits["time_limit"], key="limits.time_limit")
    multipliers = limits.get("time_multipliers") or {}
    if not isinstance(multipliers, dict):
        raise PackageError("problem.yaml: limits.time_multipliers must be a mapping")
    if "ac_to_time_limit" in multipliers:
        config.time_multiplier = _positive(
            value=multipliers["ac_to_time_limit"], key="limits.time_multipliers.ac_to_time_limit"
        )
    if "time_multiplier" in limits:
        config.time_multiplier = _positive(value=limits["time_multiplier"], key="limits.time_multiplier")
    if "time_safety_margin" in limits:
        config.time_safety_margin = _positive(
            value=limits["time_safety_margin"], key="limits.time_safety_margin"
        )
    if "memory" in limits:
        config.memory_limit = round(_positive(value=limits["memory"], key="limits.memory"))
    if "output" in limits:
        config.output_limit = round(_positive(value=limits["output"], key="limits.output") * 1024)


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
