"""Parsing Kattis packages from {path: bytes}: no database, no files, no sandbox."""

from dataclasses import replace
from pathlib import Path

import pytest

from problems.archives import archive_write
from problems.models import Problem, ReferenceSolution
from problems.packages import PackageError, latex_to_markdown, package_files, package_load, package_parse
from problems.packages.config import config_parse

SUMTWO = Path(__file__).resolve().parents[1] / "packages" / "sumtwo"


def _package(extra: dict[str, bytes | str] | None = None, *, yaml: str = "name: Tiny\n", **kwargs):
    files = {
        "problem.yaml": yaml,
        "problem_statement/problem.md": "Add two numbers.\n",
        "data/sample/1.in": "1 2\n",
        "data/sample/1.ans": "3\n",
        "data/secret/1.in": "2 2\n",
        "data/secret/1.ans": "4\n",
        **(extra or {}),
    }
    encoded = {path: data.encode() if isinstance(data, str) else data for path, data in files.items()}
    return package_parse(
        files={p: d for p, d in encoded.items() if d is not None}, name=kwargs.get("name", "tiny")
    )


def _error(*args, **kwargs) -> str:
    with pytest.raises(PackageError) as caught:
        _package(*args, **kwargs)
    return caught.value.message


# problem.yaml


def test_defaults_follow_kattis():
    package = _package()
    assert package.title == "Tiny"
    assert package.time_limit is None
    assert (package.time_multiplier, package.time_safety_margin, package.time_resolution) == (5.0, 2.0, 1.0)
    assert package.memory_limit is None
    assert package.checker == Problem.Checker.TOKENS
    assert package.case_sensitive is False  # Kattis' default validator ignores case
    assert package.scoring == Problem.Scoring.PASS_FAIL
    assert package.interactive is False
    assert package.warnings == ()


def test_limits_legacy_format():
    yaml = (
        "name: X\nlimits:\n  time_limit: 1.5\n  time_multiplier: 5\n  time_safety_margin: 3\n"
        "  memory: 512\n  output: 16\n"
    )
    package = _package(yaml=yaml)
    assert (package.time_limit, package.time_multiplier, package.time_safety_margin) == (1.5, 5.0, 3.0)
    assert package.memory_limit == 512
    assert package.output_limit == 16 * 1024


def test_limits_new_format_multiplier():
    package = _package(yaml="name: X\nlimits:\n  time_multipliers:\n    ac_to_time_limit: 3.5\n")
    assert package.time_multiplier == 3.5


def test_name_per_language_prefers_english():
    assert _package(yaml="name:\n  sv: Hej\n  en: Hello\n").title == "Hello"


def test_unknown_keys_warn_but_do_not_fail():
    package = _package(yaml="name: X\nfrobnicate: 1\nlimits:\n  sparkles: 2\nkeywords: [a, b]\nuuid: 123\n")
    assert "problem.yaml: unknown key 'frobnicate' ignored" in package.warnings
    assert "problem.yaml: unknown key 'limits.sparkles' ignored" in package.warnings
    assert len(package.warnings) == 2


@pytest.mark.parametrize(
    ("flags", "checker", "abs_tol", "rel_tol", "case_sensitive"),
    [
        ("", Problem.Checker.TOKENS, 1e-6, 1e-6, False),
        ("case_sensitive", Problem.Checker.TOKENS, 1e-6, 1e-6, True),
        ("float_tolerance 1e-4", Problem.Checker.FLOAT, 1e-4, 1e-4, False),
        ("float_absolute_tolerance 0.5", Problem.Checker.FLOAT, 0.5, 0.0, False),
        ("float_relative_tolerance 1e-9 case_sensitive", Problem.Checker.FLOAT, 0.0, 1e-9, True),
        (
            "float_absolute_tolerance 1e-3 float_relative_tolerance 1e-5",
            Problem.Checker.FLOAT,
            1e-3,
            1e-5,
            False,
        ),
        ("space_change_sensitive case_sensitive", Problem.Checker.EXACT, 1e-6, 1e-6, True),
    ],
)
def test_validator_flags(flags, checker, abs_tol, rel_tol, case_sensitive):
    config = config_parse(text=f"validator_flags: {flags}\n".encode())
    assert config.checker == checker
    assert (config.float_abs_tolerance, config.float_rel_tolerance) == (abs_tol, rel_tol)
    assert config.case_sensitive is case_sensitive


def test_unknown_validator_flag_warns():
    assert (
        "problem.yaml: unknown validator flag 'sparkle' ignored"
        in config_parse(text=b"validator_flags: sparkle").warnings
    )


def test_float_flag_without_a_number():
    with pytest.raises(PackageError, match="'float_tolerance' needs a number after it"):
        config_parse(text=b"validator_flags: float_tolerance")


def test_validation_types():
    checker = "output_validators/check/check.py"
    custom = _package({checker: "import sys\nsys.exit(42)\n"}, yaml="validation: custom\n")
    assert custom.checker == Problem.Checker.CUSTOM
    assert custom.output_validator.language == "python"
    assert custom.output_validator.name == checker
    interactive = _package({checker: "pass\n"}, yaml="validation: custom interactive\n")
    assert interactive.interactive and interactive.checker == Problem.Checker.CUSTOM
    scored = _package({checker: "pass\n"}, yaml="validation: custom score\n")
    assert scored.scoring == Problem.Scoring.GROUPS


def test_unknown_validation_type_is_an_error():
    assert _error(yaml="validation: telepathic\n").startswith(
        "problem.yaml: unknown validation type 'telepathic'"
    )


def test_custom_validation_needs_a_validator():
    assert "no output validator" in _error(yaml="validation: custom\n")


def test_new_format_type_and_output_validator_folder():
    package = _package(
        {"output_validator/validate.cpp": "int main(){return 42;}\n"}, yaml="type: [scoring, interactive]\n"
    )
    assert package.checker == Problem.Checker.CUSTOM and package.interactive
    assert package.scoring == Problem.Scoring.GROUPS
    assert package.output_validator.language == "cpp"


def test_unsupported_problem_types():
    assert (
        _error(yaml="type: submit-answer\n")
        == "problem.yaml: problems of type 'submit-answer' are not supported"
    )


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("name: [unclosed\n", "problem.yaml: invalid YAML at line 2"),
        ("- just\n- a list\n", "problem.yaml: expected a mapping of keys to values"),
        ("limits:\n  memory: -5\n", "problem.yaml: limits.memory must be a positive number, not -5"),
        (
            "limits:\n  time_limit: soon\n",
            "problem.yaml: limits.time_limit must be a positive number, not 'soon'",
        ),
    ],
)
def test_bad_yaml(yaml, message):
    assert _error(yaml=yaml).startswith(message)


def test_missing_problem_yaml():
    with pytest.raises(PackageError, match="no problem.yaml or domjudge-problem.ini"):
        package_parse(files={"data/sample/1.in": b"1", "data/sample/1.ans": b"1"}, name="x")


def test_timelimit_file_is_used_when_yaml_has_none():
    assert _package({".timelimit": "3\n"}).time_limit == 3.0


# statement


def test_markdown_statement_kept_as_is():
    package = _package()
    assert package.statement == "Add two numbers.\n"
    assert package.statement_source == ""


def test_statement_folder_of_the_new_format_and_language_preference():
    package = _package(
        {
            "problem_statement/problem.md": None,
            "statement/problem.sv.md": "Svenska\n",
            "statement/problem.en.md": "English\n",
        }
    )
    assert package.statement == "English\n"


def test_latex_statement_converted_and_kept():
    tex = r"\problemname{Adding Up}" + "\nCompute $a+b$.\n\\section*{Input}\nTwo numbers.\n"
    package = _package(
        {"problem_statement/problem.md": None, "problem_statement/problem.tex": tex}, yaml="{}\n"
    )
    assert package.title == "Adding Up"  # from \problemname, since problem.yaml has no name
    assert package.statement == "Compute $a+b$.\n\n## Input\n\nTwo numbers.\n"
    assert package.statement_source == tex


def test_statement_images_are_reported():
    package = _package({"problem_statement/pic.png": b"\x89PNG"})
    assert "statement files not imported: problem_statement/pic.png" in package.warnings


def test_no_statement_warns():
    package = _package({"problem_statement/problem.md": None})
    assert "no statement found" in package.warnings[0]
    assert package.statement


def test_latex_conversion():
    source = r"""\problemname{Title}
\illustration{0.3}{pic.jpg}{Photo by \href{https://example.com}{someone}}
% a comment, 100% gone
Text with \emph{emphasis}, \textbf{bold \emph{nested}}, \texttt{code} and 50\% of \$5.
Inline $a_i \le 10^{9}$, a set $\{1, 2\}$ and display: \[ \sum_{i=1}^n a_i \]
\section{Input}
\begin{itemize}
  \item one
  \item two
  \begin{enumerate}
    \item inner
  \end{enumerate}
\end{itemize}
\subsection*{Details}
Quote ``this''---and that~too.\\
Next line.
\begin{verbatim}
x = 100 % 7 $ {}
\end{verbatim}
"""
    converted = latex_to_markdown(source=source)
    assert converted.title == "Title"
    assert converted.markdown == (
        "Text with *emphasis*, **bold *nested***, `code` and 50% of \\$5.\n"
        "Inline $a_i \\le 10^{9}$, a set $\\{1, 2\\}$ and display:\n\n"
        "$$\\sum_{i=1}^n a_i$$\n\n"
        "## Input\n\n"
        "- one\n- two\n    1. inner\n\n"
        "### Details\n\n"
        "Quote “this”—and that\u00a0too.  \nNext line.\n\n"
        "```\nx = 100 % 7 $ {}\n```\n"
    )
    assert converted.warnings == []


def test_latex_unknown_commands_are_reported():
    converted = latex_to_markdown(source=r"Some \weird{text} here \foo." + "\n")
    assert converted.markdown == "Some text here .\n"
    assert converted.warnings == ["statement: LaTeX commands dropped: \\foo, \\weird"]


def test_latex_tables_become_markdown_tables():
    converted = latex_to_markdown(
        source="\\begin{tabular}{|l|r|}\n\\hline\nn & answer \\\\ \\hline\n1 & 2 \\\\\n\\end{tabular}\n"
    )
    assert converted.markdown == "| n | answer |\n|---|---|\n| 1 | 2 |\n"


# test data


def test_samples_then_secret_in_path_order():
    package = _package(
        {
            "data/sample/2.in": "s2",
            "data/sample/2.ans": "a",
            "data/secret/10.in": "x",
            "data/secret/10.ans": "y",
        }
    )
    assert [t.name for t in package.tests] == ["sample/1", "sample/2", "secret/1", "secret/10"]
    assert [t.is_sample for t in package.tests] == [True, True, False, False]
    assert package.groups == ()
    assert {t.group for t in package.tests} == {""}


def test_nested_groups_with_scores():
    package = _package(
        {
            "problem.yaml": "type: scoring\n",
            "data/secret/1.in": None,
            "data/secret/1.ans": None,
            "data/secret/b_large/1.in": "3",
            "data/secret/b_large/1.ans": "3",
            "data/secret/b_large/testdata.yaml": "score: 60\n",
            "data/secret/a_small/x/1.in": "1",
            "data/secret/a_small/x/1.ans": "1",
            "data/secret/a_small/x/testdata.yaml": "scoring:\n  score: 15\n",
            "data/secret/a_small/y/1.in": "2",
            "data/secret/a_small/y/1.ans": "2",
            "data/secret/a_small/y/testdata.yaml": "range: 0 25\n",
            "data/secret/root.in": "r",
            "data/secret/root.ans": "r",
        }
    )
    assert [(t.name, t.group) for t in package.tests] == [
        ("sample/1", ""),
        ("secret/a_small/x/1", "a_small/x"),
        ("secret/a_small/y/1", "a_small/y"),
        ("secret/b_large/1", "b_large"),
        ("secret/root", ""),
    ]
    assert [(g.name, g.points) for g in package.groups] == [
        ("a_small/x", 15.0),
        ("a_small/y", 25.0),
        ("b_large", 60.0),
    ]
    assert package.scoring == Problem.Scoring.GROUPS


def test_flat_secret_with_a_score_is_one_group():
    package = _package({"data/secret/testdata.yaml": "score: 100\n"}, yaml="type: scoring\n")
    assert [(g.name, g.points) for g in package.groups] == [("secret", 100.0)]
    assert package.tests[-1].group == "secret"


def test_scores_without_scoring_type_switch_to_groups_with_a_warning():
    package = _package(
        {"data/secret/g/1.in": "1", "data/secret/g/1.ans": "1", "data/secret/g/testdata.yaml": "score: 5"}
    )
    assert package.scoring == Problem.Scoring.GROUPS
    assert any("type: scoring" in warning for warning in package.warnings)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"data/secret/2.in": "x"}, "data/secret/2.in has no matching 2.ans"),
        ({"data/sample/9.ans": "x"}, "data/sample/9.ans has no matching 9.in"),
        ({"data/secret/g/testdata.yaml": "score: lots", "data/secret/g/1.in": "", "data/secret/g/1.ans": ""},
         "data/secret/g/testdata.yaml: score must be a number, not 'lots'"),
    ],
)  # fmt: skip
def test_malformed_test_data(extra, message):
    assert _error(extra) == message


def test_no_tests_at_all():
    empty = {
        "data/sample/1.in": None,
        "data/sample/1.ans": None,
        "data/secret/1.in": None,
        "data/secret/1.ans": None,
    }
    assert _error(empty).startswith("no test data")


@pytest.mark.parametrize(
    ("testdata", "stop"), [(None, True), ("on_reject: break\n", True), ("on_reject: continue\n", False)]
)
def test_on_reject_in_data_testdata_yaml_says_whether_judging_stops(testdata, stop):
    package = _package({"data/testdata.yaml": testdata})
    assert package.stop_on_first_failure is stop
    assert not any(warning.startswith("test data ignored") for warning in package.warnings)


def test_an_unknown_on_reject_is_an_error():
    message = _error({"data/testdata.yaml": "on_reject: grade\n"})
    assert message == "data/testdata.yaml: on_reject must be 'break' or 'continue', not 'grade'"


def test_other_data_folders_are_ignored_with_a_warning():
    package = _package({"data/invalid_input/1.in": "x", "data/secret/1.desc": "about"})
    assert "test data ignored: data/invalid_input/" in package.warnings


# programs


def test_submissions_map_to_expected_verdicts_and_languages():
    package = _package(
        {
            "submissions/accepted/a.c": "c",
            "submissions/accepted/b.cc": "cpp",
            "submissions/wrong_answer/c.py": "py",
            "submissions/time_limit_exceeded/Slow.java": "java",
            "submissions/run_time_error/d.cpp": "cpp",
            "submissions/partially_accepted/e.py": "py",
            "submissions/accepted/f.cob": "cobol",
            "submissions/accepted/multi/main.py": "main",
            "submissions/accepted/multi/README": "docs",
        }
    )
    got = {(s.name, s.language, s.expected) for s in package.solutions}
    assert got == {
        ("accepted/a.c", "c", ReferenceSolution.Expected.ACCEPTED),
        ("accepted/b.cc", "cpp", ReferenceSolution.Expected.ACCEPTED),
        ("wrong_answer/c.py", "python", ReferenceSolution.Expected.WRONG_ANSWER),
        ("time_limit_exceeded/Slow.java", "java", ReferenceSolution.Expected.TIME_LIMIT_EXCEEDED),
        ("run_time_error/d.cpp", "cpp", ReferenceSolution.Expected.RUN_TIME_ERROR),
        ("partially_accepted/e.py", "python", ReferenceSolution.Expected.OTHER),
        ("accepted/f.cob", "", ReferenceSolution.Expected.ACCEPTED),
        ("accepted/multi", "python", ReferenceSolution.Expected.ACCEPTED),  # a folder: one program
    }


def test_folder_solutions_are_programs_and_unclear_ones_or_binaries_are_skipped_with_warnings():
    package = _package(
        {
            "submissions/accepted/two/a.cpp": "int helper();\nint main(){return helper();}\n",
            "submissions/accepted/two/b.cpp": "int helper(){return 0;}\n",
            "submissions/accepted/unclear/x.cpp": "int x;",
            "submissions/accepted/unclear/y.cpp": "int y;",
            "submissions/accepted/blob.c": b"\xff\xfe\x00",
        }
    )
    (two,) = package.solutions
    assert (two.name, two.language, two.entry) == ("accepted/two", "cpp", "a.cpp")
    assert two.files == {"b.cpp": "int helper(){return 0;}\n"}
    unclear = "submissions/accepted/unclear: several source files (x.cpp, y.cpp); cannot tell which is main"
    assert f"{unclear}: skipped" in package.warnings
    assert "submissions/accepted/blob.c: not UTF-8 text: skipped" in package.warnings


def test_input_validators_are_ignored_with_a_note():
    package = _package({"input_validators/v/v.py": "pass"})
    assert "input_validators ignored: input files are not validated on import" in package.warnings


def test_validator_folder_is_a_program_of_all_its_files():
    checker = '#include "validate.h"\n#include <cstdio>\nint main(){}'
    package = _package(
        {
            "output_validators/checker/validate.h": "#pragma once\nint helper(void);\n",
            "output_validators/checker/checker.cpp": checker,
            "output_validators/checker/build": "g++ checker.cpp",
        },
        yaml="validation: custom\n",
    )
    validator = package.output_validator
    assert (validator.name, validator.language, validator.entry) == (
        "output_validators/checker",
        "cpp",
        "checker.cpp",
    )
    assert validator.source == checker
    assert validator.files == {"validate.h": "#pragma once\nint helper(void);\n", "build": "g++ checker.cpp"}


def test_validator_with_ambiguous_sources():
    message = _error(
        {"output_validators/v/a.py": "a", "output_validators/v/b.py": "b"}, yaml="validation: custom\n"
    )
    assert message == "output_validators/v: several source files (a.py, b.py); cannot tell which is main"


def test_validator_in_an_unsupported_language():
    message = _error({"output_validators/v.cob": "STOP RUN."}, yaml="validation: custom\n")
    assert message.startswith("output_validators: no source file in a language we can run (c, cpp,")


def test_default_validation_ignores_a_shipped_validator():
    package = _package({"output_validators/v/v.py": "pass"}, yaml="validation: default\n")
    assert package.checker == Problem.Checker.TOKENS
    assert "output_validators ignored: problem.yaml asks for the default validation" in package.warnings


# loading from disk and zips


def test_sumtwo_from_folder_and_zip_agree():
    from_folder = package_load(source=SUMTWO)
    files = {
        f"sumtwo/{p.relative_to(SUMTWO).as_posix()}": p.read_bytes() for p in SUMTWO.rglob("*") if p.is_file()
    }
    from_zip = package_load(source=archive_write(files=files))
    assert from_folder == from_zip
    assert from_zip.name == "sumtwo"
    assert from_folder.title == "Sum of Two"
    assert [g.name for g in from_folder.groups] == ["large", "small"]


@pytest.mark.parametrize("stop", [True, False])
def test_write_then_parse_is_the_same_package(stop):
    package = replace(package_load(source=SUMTWO), stop_on_first_failure=stop)
    again = package_parse(files=package_files(package=package), name="sumtwo")
    assert again.output_validator.source == package.output_validator.source
    assert replace(again, output_validator=None) == replace(package, output_validator=None)


def test_not_a_package():
    with pytest.raises(PackageError, match="the file is not a zip archive"):
        package_load(source=b"hello")
    with pytest.raises(PackageError, match="no such file or folder"):
        package_load(source="/nonexistent/package")


def test_latex_headings_may_hold_markup():
    converted = latex_to_markdown(
        source="\\section*{The \\emph{big} $n$ case}\nBody.\n\\paragraph{Note} text\n"
    )
    assert converted.markdown == "## The *big* $n$ case\n\nBody.\n\n**Note** text\n"


def test_two_output_validators_are_an_error_but_a_readme_is_not_one():
    readme = {"output_validators/README.md": "notes", "output_validators/v/v.py": "pass"}
    assert _package(readme, yaml="validation: custom\n").output_validator.name == "output_validators/v/v.py"
    two = {"output_validators/a.py": "pass", "output_validators/b/b.cpp": "int main(){}"}
    message = _error(two, yaml="validation: custom\n")
    assert message == "several output validators (output_validators, output_validators/b): keep only one"
