"""Time limits by the package formats' rules: the derivation arithmetic, problem.yaml and DOMjudge files."""

import pytest

from judge.staff.reference_report import TimeLimitLine
from problems.packages import PackageError, package_parse
from problems.packages.config import config_parse, domjudge_ini_parse
from problems.timing import TimeRules, ac_within_margin, time_limit_derive, tle_limit

LEGACY = TimeRules()  # × 5, margin 2, whole seconds


def _files(extra: dict[str, str | None] | None = None) -> dict[str, bytes]:
    """A tiny package; a path mapped to None is left out."""
    files = {
        "problem.yaml": "name: Tiny\n",
        "data/secret/1.in": "1\n",
        "data/secret/1.ans": "1\n",
        **(extra or {}),
    }
    return {path: text.encode() for path, text in files.items() if text is not None}


# derivation


@pytest.mark.parametrize(
    ("slowest", "rules", "limit"),
    [
        (0.3, LEGACY, 2.0),  # 1.5 s rounds up to whole seconds
        (0.2, LEGACY, 1.0),  # exactly 1 s stays 1 s
        (0.21, LEGACY, 2.0),
        (1.0, LEGACY, 5.0),  # a 1 s accepted solution gets 5 s
        (0.001, LEGACY, 1.0),  # never below 1 s
        (0.0, LEGACY, 1.0),
        (0.6, TimeRules(multiplier=2.0, resolution=0.1), 1.2),  # 1.2000000000000002 is not 1.3
        (0.61, TimeRules(multiplier=2.0, resolution=0.1), 1.3),
        (0.8, TimeRules(multiplier=2.0, resolution=0.5), 2.0),  # 1.6 up to a half second
        (0.7, TimeRules(multiplier=2.0, resolution=0.5), 1.5),
        (0.2, TimeRules(multiplier=2.0, resolution=0.1), 1.0),  # 0.4 s, but at least 1 s
        (3.0, TimeRules(multiplier=1.5, resolution=1.0), 5.0),  # 4.5 → 5
    ],
)
def test_derived_limit_is_rounded_up_to_the_resolution_and_at_least_one_second(slowest, rules, limit):
    assert time_limit_derive(slowest=slowest, rules=rules) == limit


def test_margins():
    rules = TimeRules(safety_margin=2.0)
    assert ac_within_margin(seconds=1.0, limit=2.0, rules=rules)
    assert not ac_within_margin(seconds=1.01, limit=2.0, rules=rules)
    assert tle_limit(limit=2.0, rules=rules) == 4.0
    assert tle_limit(limit=1.0, rules=TimeRules(safety_margin=1.5)) == 1.5


def test_derived_line_says_how():
    line = TimeLimitLine(
        seconds=2.0, how="derived", rules=LEGACY, slowest=0.3, solution="accepted/a.c", exact=1.5
    )
    assert line.text() == (
        "time limit: 2 s (slowest accepted 0.30 s × 5 = 1.50 s, rounded up to 1 s; by accepted/a.c)"
    )
    tiny = TimeLimitLine(seconds=1.0, how="derived", rules=LEGACY, slowest=0.01, solution="a", exact=0.05)
    assert "rounded up to 1 s, at least 1 s;" not in tiny.text()  # 0.05 rounds up to 1 by itself
    fine = TimeRules(multiplier=2.0, resolution=0.1)
    small = TimeLimitLine(seconds=1.0, how="derived", rules=fine, slowest=0.1, solution="a", exact=0.2)
    assert "rounded up to 0.1 s, at least 1 s;" in small.text()
    given = TimeLimitLine(seconds=3.0, how="given", rules=LEGACY, source=".timelimit")
    assert given.text() == "time limit: 3 s (given by .timelimit)"


# problem.yaml


def test_legacy_defaults_and_keys():
    config = config_parse(text=b"name: X\n")
    assert (config.format_version, config.time_multiplier, config.time_safety_margin) == ("legacy", 5.0, 2.0)
    assert config.time_resolution == 1.0
    config = config_parse(
        text=b"problem_format_version: legacy\nlimits:\n  time_multiplier: 3\n  time_safety_margin: 4\n"
    )
    assert (config.time_multiplier, config.time_safety_margin, config.warnings) == (3.0, 4.0, [])


@pytest.mark.parametrize("version", ["2023-07", "2023-07-draft", "2025-09"])
def test_new_format_defaults(version):
    config = config_parse(text=f"problem_format_version: {version}\nname: X\n".encode())
    assert (config.time_multiplier, config.time_safety_margin, config.time_resolution) == (2.0, 1.5, 1.0)
    assert config.time_limit is None and config.warnings == []


def test_new_format_keys():
    text = (
        b"problem_format_version: 2023-07\nlimits:\n  time_limit: 2.5\n  time_resolution: 0.5\n"
        b"  time_multipliers:\n    ac_to_time_limit: 3\n    time_limit_to_tle: 1.25\n"
    )
    config = config_parse(text=text)
    assert (config.time_limit, config.time_multiplier, config.time_safety_margin) == (2.5, 3.0, 1.25)
    assert config.time_resolution == 0.5
    assert config.warnings == []


def test_the_other_formats_keys_are_used_with_a_warning():
    config = config_parse(text=b"problem_format_version: 2023-07\nlimits:\n  time_multiplier: 4\n")
    assert config.time_multiplier == 4.0
    assert config.warnings == [
        "problem.yaml: limits.time_multiplier belongs to another problem_format_version than '2023-07': "
        "used anyway"
    ]
    legacy = config_parse(text=b"limits:\n  time_multipliers:\n    ac_to_time_limit: 3\n")
    assert legacy.time_multiplier == 3.0 and len(legacy.warnings) == 1


def test_unknown_version_is_read_as_legacy_with_a_warning():
    config = config_parse(text=b"problem_format_version: 2099-01\n")
    assert config.time_multiplier == 5.0
    assert config.warnings == ["problem.yaml: unknown problem_format_version '2099-01': read as legacy"]


def test_unknown_keys_of_any_shape_only_warn():
    text = (
        b"problem_format_version: 2023-07\nname: X\nsparkle: {a: [1, 2]}\ncredits: {authors: [Ada]}\n"
        b"source: [{name: NWERC}]\nlimits:\n  glitter: yes\n  time_multipliers:\n    ac_to_glitter: 9\n"
    )
    config = config_parse(text=text)
    assert config.warnings == [
        "problem.yaml: unknown key 'sparkle' ignored",
        "problem.yaml: unknown key 'limits.glitter' ignored",
        "problem.yaml: unknown key 'limits.time_multipliers.ac_to_glitter' ignored",
    ]
    assert package_parse(files=_files({"problem.yaml": text.decode()}), name="x").title == "X"


@pytest.mark.parametrize(
    "limits",
    ["time_resolution: 0", "time_multipliers: {time_limit_to_tle: -1}", "time_multipliers: 3"],
)
def test_bad_time_values_are_errors(limits):
    with pytest.raises(PackageError, match="limits.time_"):
        config_parse(text=f"problem_format_version: 2023-07\nlimits:\n  {limits}\n".encode())


def test_package_carries_the_rules():
    text = "problem_format_version: 2023-07\nlimits:\n  time_resolution: 0.1\n"
    package = package_parse(files=_files({"problem.yaml": text}), name="x")
    assert package.time_rules == TimeRules(multiplier=2.0, safety_margin=1.5, resolution=0.1)
    assert (package.time_limit, package.time_limit_source) == (None, "")


# .timelimit and domjudge-problem.ini


def test_timelimit_file():
    package = package_parse(files=_files({".timelimit": "3\n"}), name="x")
    assert (package.time_limit, package.time_limit_source) == (3.0, ".timelimit")


def test_problem_yaml_wins_over_timelimit_and_says_so_when_they_differ():
    yaml = "limits:\n  time_limit: 2\n"
    package = package_parse(files=_files({"problem.yaml": yaml, ".timelimit": "3"}), name="x")
    assert (package.time_limit, package.time_limit_source) == (2.0, "problem.yaml")
    assert "time limit 3 s in .timelimit ignored: problem.yaml says 2 s" in package.warnings
    same = package_parse(files=_files({"problem.yaml": yaml, ".timelimit": "2.0"}), name="x")
    assert not any("ignored" in warning for warning in same.warnings)


@pytest.mark.parametrize("text", ["fast", "-1", "0", "inf", "nan", ""])
def test_a_bad_timelimit_file_is_a_warning(text):
    package = package_parse(files=_files({".timelimit": text}), name="x")
    assert package.time_limit is None
    assert ".timelimit ignored: not a positive number of seconds" in package.warnings


def test_domjudge_package_without_problem_yaml():
    ini = "probid = 'A'\nname = 'Hello World'\ncolor = '#ff0000'\ntimelimit = '2'\n; a comment\n"
    package = package_parse(files=_files({"problem.yaml": None, "domjudge-problem.ini": ini}), name="hello")
    assert (package.title, package.time_limit, package.time_limit_source) == (
        "Hello World",
        2.0,
        "domjudge-problem.ini",
    )
    assert [w for w in package.warnings if not w.startswith("no statement")] == []


def test_timelimit_file_wins_over_the_ini():
    files = _files({"domjudge-problem.ini": "timelimit = 5\n", ".timelimit": "4"})
    package = package_parse(files=files, name="x")
    assert (package.time_limit, package.time_limit_source) == (4.0, ".timelimit")
    assert package.title == "Tiny"  # problem.yaml's name wins over the ini's
    assert "time limit 5 s in domjudge-problem.ini ignored: .timelimit says 4 s" in package.warnings


def test_ini_oddities_are_warnings():
    ini = domjudge_ini_parse(text=b'name = "Quoted"\ntimelimit = soon\nspecial_run = x\nnot a line\n')
    assert (ini.title, ini.time_limit) == ("Quoted", None)
    assert ini.warnings == [
        "domjudge-problem.ini: timelimit 'soon' ignored: not a positive number",
        "domjudge-problem.ini: key 'special_run' ignored",
        "domjudge-problem.ini: line ignored: 'not a line'",
    ]


def test_neither_problem_yaml_nor_ini_is_an_error():
    with pytest.raises(PackageError, match="no problem.yaml or domjudge-problem.ini"):
        package_parse(files=_files({"problem.yaml": None}), name="x")
