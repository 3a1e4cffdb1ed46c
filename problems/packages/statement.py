"""Find the statement in a package: problem_statement/ (legacy) or statement/ (2023-07), .md or .tex."""

import re
from dataclasses import dataclass, field

from problems.packages.latex import latex_to_markdown
from problems.packages.types import PackageError

STATEMENT_FOLDERS = ("problem_statement", "statement")
_PREFERRED = ("problem.en.md", "problem.md", "problem.en.tex", "problem.tex")
_ANY_LANGUAGE = re.compile(r"^problem\.([a-z]{2,3}(?:-[A-Za-z]+)?)\.(md|tex)$")


@dataclass
class Statement:
    markdown: str = ""
    latex: str = ""  # the original, when the statement was LaTeX
    title: str = ""  # from \problemname, if any
    warnings: list[str] = field(default_factory=list)


def statement_find(*, files: dict[str, bytes]) -> Statement:
    path = _statement_path(files=files)
    if path is None:
        return Statement(warnings=["no statement found (problem_statement/problem.{md,tex})"])
    text = _text(path=path, data=files[path])
    statement = Statement()
    if path.endswith(".tex"):
        converted = latex_to_markdown(source=text)
        statement.markdown, statement.latex, statement.title = converted.markdown, text, converted.title
        statement.warnings += converted.warnings
    else:
        statement.markdown = text
    folder = path.rsplit("/", 1)[0]
    others = sorted(p for p in files if p.startswith(folder + "/") and p != path)
    if others:
        statement.warnings.append(f"statement files not imported: {', '.join(others)}")
    return statement


def _statement_path(*, files: dict[str, bytes]) -> str | None:
    for folder in STATEMENT_FOLDERS:
        for name in _PREFERRED:
            if f"{folder}/{name}" in files:
                return f"{folder}/{name}"
    for folder in STATEMENT_FOLDERS:
        for path in sorted(files):
            head, _, name = path.rpartition("/")
            if head == folder and _ANY_LANGUAGE.match(name):
                return path
    return None


def _text(*, path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise PackageError(f"{path}: not UTF-8 text") from None
