"""The hostile-program corpus in tests/programs/sandbox/ is well formed (no Docker needed).

tests/integration/test_sandbox_corpus.py runs every case against the real engine; this only checks
that each case.yml says something the runner understands, so a typo can't silently skip a check.
"""

from numbers import Real
from pathlib import Path

import pytest
import yaml

from sandbox import Outcome, language_get

CORPUS = Path(__file__).resolve().parent.parent / "programs" / "sandbox"
CASES = sorted(path for path in CORPUS.iterdir() if path.is_dir())

LIMIT_KEYS = {
    "cpu_time",
    "wall_time",
    "memory_mib",
    "processes",
    "output_kib",
    "file_size_kib",
    "open_files",
    "work_dir_mib",
}
RANGE_KEYS = {"cpu_time", "wall_time", "memory_mib", "stdout_size_kib"}
TEXT_KEYS = {"stdout_contains", "stdout_not_contains"}
RUN_ONLY_KEYS = {"limits", "stdin", "stdin_size_kib", "exit_code", "signal"} | RANGE_KEYS
KNOWN_KEYS = {"lang", "expect", "why"} | RUN_ONLY_KEYS | TEXT_KEYS
EXPECTABLE = {outcome.value for outcome in Outcome} - {Outcome.IE.value}


def _load(case: Path) -> dict:
    return yaml.safe_load((case / "case.yml").read_text())


def _expected(case: dict) -> list[str]:
    expect = case["expect"]
    return expect if isinstance(expect, list) else [expect]


def test_corpus_has_enough_cases():
    assert len(CASES) >= 30, f"only {len(CASES)} cases in {CORPUS}"


@pytest.mark.parametrize("case_dir", CASES, ids=[case.name for case in CASES])
def test_case_has_its_source_and_nothing_else(case_dir):
    case = _load(case_dir)
    source_name = language_get(case["lang"]).source_name
    assert sorted(path.name for path in case_dir.iterdir()) == sorted(["case.yml", source_name])


@pytest.mark.parametrize("case_dir", CASES, ids=[case.name for case in CASES])
def test_case_yml_is_valid(case_dir):
    case = _load(case_dir)
    assert isinstance(case, dict)
    assert {"lang", "expect", "why"} <= case.keys()
    assert case.keys() <= KNOWN_KEYS, f"unknown keys {sorted(case.keys() - KNOWN_KEYS)}"
    expected = _expected(case)
    assert expected and set(expected) <= EXPECTABLE, f"expect must be among {sorted(EXPECTABLE)}"
    if "CE" in expected:
        assert expected == ["CE"], "CE can't be mixed with run outcomes"
        assert not case.keys() & RUN_ONLY_KEYS, "a CE case never runs, so run checks would be ignored"
    why = case["why"]
    assert isinstance(why, str) and why.strip() and "\n" not in why.strip()


@pytest.mark.parametrize("case_dir", CASES, ids=[case.name for case in CASES])
def test_case_values_have_the_right_shape(case_dir):
    case = _load(case_dir)
    limits = case.get("limits", {})
    assert limits.keys() <= LIMIT_KEYS, f"unknown limits {sorted(limits.keys() - LIMIT_KEYS)}"
    assert all(isinstance(value, Real) and value > 0 for value in limits.values())
    for key in RANGE_KEYS & case.keys():
        low, high = case[key]
        assert isinstance(low, Real) and isinstance(high, Real) and 0 <= low <= high, key
    for key in TEXT_KEYS & case.keys():
        texts = case[key] if isinstance(case[key], list) else [case[key]]
        assert texts and all(isinstance(text, str) and text for text in texts), key
    for key in ("exit_code", "signal", "stdin_size_kib"):
        assert isinstance(case.get(key, 0), int), key
    assert isinstance(case.get("stdin", ""), str)
