"""Programs of several files in packages: validator folders, solution folders, submissions.yaml and
include/, read from {path: bytes} and written back (no database, no sandbox)."""

from pathlib import Path

import pytest

from problems.models import PROGRAM_FILES_MAX
from problems.packages import package_files, package_load, package_parse
from tests.unit.test_package_parse import _error, _package

MULTIFILE = Path(__file__).resolve().parents[1] / "packages" / "multifile"
CUSTOM = "validation: custom\n"


def test_a_2023_validator_may_sit_one_folder_deeper():
    package = _package(
        {"output_validator/v/v.cc": "int main(){}", "output_validator/v/testlib.h": "// testlib"}, yaml=CUSTOM
    )
    validator = package.output_validator
    assert (validator.name, validator.entry, validator.files) == (
        "output_validator/v",
        "v.cc",
        {"testlib.h": "// testlib"},
    )


def test_one_validator_file_directly_in_output_validators_with_its_header():
    package = _package(
        {
            "output_validators/check.cpp": '#include "validate.h"\nint main(){}',
            "output_validators/validate.h": "",
        },
        yaml=CUSTOM,
    )
    assert (package.output_validator.entry, package.output_validator.files) == (
        "check.cpp",
        {"validate.h": ""},
    )


def test_the_validator_entry_is_the_file_that_declares_main():
    package = _package(
        {
            "output_validators/v/a.cpp": "int helper() { return 1; }",
            "output_validators/v/b.cpp": "int main(){}",
        },
        yaml=CUSTOM,
    )
    assert package.output_validator.entry == "b.cpp"


def test_a_validator_of_scripts_only_builds_in_the_c_image():
    package = _package(
        {"output_validators/v/build": "#!/bin/sh\n", "output_validators/v/run": "#!/bin/sh\n"}, yaml=CUSTOM
    )
    assert (package.output_validator.language, package.output_validator.entry) == ("cpp", "build")


def test_a_lone_run_script_stays_a_script():
    package = _package({"output_validators/v/run": "#!/bin/sh\nexit 42\n"}, yaml=CUSTOM)
    validator = package.output_validator
    assert (validator.name, validator.language, validator.entry) == ("output_validators/v", "cpp", "run")


def test_a_validator_folder_over_the_bounds_is_an_error():
    files = {f"output_validators/v/h{i}.h": "" for i in range(PROGRAM_FILES_MAX)}
    message = _error({**files, "output_validators/v/v.c": "int main(){}"}, yaml=CUSTOM)
    assert message == (
        f"output_validators/v: a program has at most {PROGRAM_FILES_MAX} files, not {PROGRAM_FILES_MAX + 1}"
    )


def test_a_binary_file_in_a_validator_folder_is_left_out_with_a_warning():
    package = _package(
        {"output_validators/v/v.c": "int main(){}", "output_validators/v/blob": b"\xff\x00"}, yaml=CUSTOM
    )
    assert package.output_validator.source == "int main(){}"
    assert "output_validators/v/blob: not UTF-8 text: left out" in package.warnings


def test_without_submissions_yaml_a_folder_of_two_modules_is_skipped():
    two = {"submissions/accepted/p/solve.py": "import helper", "submissions/accepted/p/helper.py": ""}
    package = _package(two)
    assert package.solutions == ()
    unclear = "submissions/accepted/p: several source files (helper.py, solve.py); cannot tell which is main"
    assert f"{unclear}: skipped" in package.warnings
    given = _package({**two, "submissions/submissions.yaml": "accepted/p:\n  entrypoint: solve\n"})
    assert [(s.name, s.language, s.entry) for s in given.solutions] == [("accepted/p", "python", "solve.py")]


def test_submissions_yaml_language_and_java_class_entry_points():
    files = {
        "submissions/accepted/j/Main.java": "package app; public class Main {}",
        "submissions/accepted/j/Other.java": "class Other {}",
        "submissions/accepted/k/x.py": "print(1)",
        "submissions/submissions.yaml": "accepted/j: {entrypoint: app.Main}\naccepted/k*: {language: pypy3}",
    }
    found = {s.name: (s.language, s.entry) for s in _package(files).solutions}
    assert found == {"accepted/j": ("java", "Main.java"), "accepted/k/x.py": ("pypy", "")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[unclosed", "submissions/submissions.yaml: invalid YAML"),
        ("- a\n- b\n", "submissions/submissions.yaml: expected submission paths, each with a mapping"),
    ],
)
def test_a_malformed_submissions_yaml_is_an_error(text, message):
    assert _error({"submissions/submissions.yaml": text}).startswith(message)


def test_an_entry_point_that_is_not_there_skips_the_solution():
    files = {
        "submissions/accepted/p/a.py": "",
        "submissions/accepted/p/b.py": "",
        "submissions/submissions.yaml": "accepted/p:\n  entrypoint: c.py\n",
    }
    package = _package(files)
    assert package.solutions == ()
    assert (
        "submissions/accepted/p: the entry point 'c.py' is not one of its files: skipped" in package.warnings
    )


def test_include_folders_by_language():
    package = _package(
        {
            "include/default/lib.h": "// all",
            "include/python3/lib.py": "",
            "include/cpp/sub/x.h": "",
            "include/cobol/lib.cob": "",
            "include/README": "",
        }
    )
    assert package.include_files == {
        "default": {"lib.h": "// all"},
        "python": {"lib.py": ""},
        "cpp": {"sub/x.h": ""},
    }
    assert "include/cobol ignored: not a language this judge runs" in package.warnings
    assert (
        "include/README ignored: include files go in include/<language>/ or include/default/"
        in package.warnings
    )


def test_include_files_out_of_bounds_are_an_error():
    message = _error({"include/cpp/a b.h": ""})
    assert message.startswith("include/: include files for cpp: file names use letters, digits and")
    assert message.endswith("between slashes: 'a b.h'")


def test_write_then_parse_keeps_every_file_set():
    package = package_load(source=MULTIFILE)
    files = package_files(package=package)
    assert "submissions/submissions.yaml" in files and "include/python3/sumlib.py" in files
    again = package_parse(files=files, name="multifile")
    assert again.output_validator.entry == package.output_validator.entry == "sumcheck.cpp"
    assert again.output_validator.files == package.output_validator.files
    assert again.output_validator.source == package.output_validator.source
    assert again.solutions == package.solutions
    assert again.include_files == package.include_files
    assert again.warnings == ()


def test_a_language_the_file_name_does_not_say_survives_the_round_trip():
    package = _package(
        {
            "submissions/accepted/a.py": "print(1)",
            "submissions/submissions.yaml": "accepted/a.py: {language: pypy3}",
        }
    )
    assert [s.language for s in package.solutions] == ["pypy"]
    again = package_parse(files=package_files(package=package), name="tiny")
    assert again.solutions == package.solutions
