"""A program that is a folder of files (Kattis): its text files, its entry file, its language, its bounds."""

import re

from problems.models import program_files_errors
from problems.packages.types import PackageError, PackageProgram
from sandbox import BUILD_SCRIPT, LANGUAGES, RUN_SCRIPT, SCRIPTS_LANGUAGE

_MAIN_STEMS = ("main", "validator", "validate", "checker", "output_validator", "interactor")
# How a file that holds the program's main looks, per language; others go by file names only.
_MAIN_MARKS = {
    "c": r"\bmain\s*\(",
    "cpp": r"\bmain\s*\(",
    "java": r"\bstatic\s+(?:final\s+)?(?:public\s+)?void\s+main\s*\(",
    "kotlin": r"\bfun\s+main\s*\(",
    "csharp": r"\bstatic\s+[^;{}]*\bMain\s*\(",
    "go": r"\bfunc\s+main\s*\(",
    "rust": r"\bfn\s+main\s*\(",
    "python": r"__name__\s*==\s*['\"]__main__['\"]",
    "pypy": r"__name__\s*==\s*['\"]__main__['\"]",
}
# Kattis' language codes (include/<code>/, submissions.yaml) that are not our own keys.
_KATTIS_CODES = {"python3": "python", "python 3": "python", "pypy3": "pypy", "c++": "cpp", "c#": "csharp"}
_OUR_CODES = {"python": "python3", "pypy": "pypy3"}  # the other way, for export


def _extensions() -> dict[str, str]:
    """From the one language table: the first language listing an extension gets it (.py: CPython)."""
    found: dict[str, str] = {}
    for key, lang in LANGUAGES.items():
        for ext in lang.extensions:
            found.setdefault(ext, key)
    return found


EXTENSIONS = _extensions()
SUFFIX_OF = {key: lang.extensions[0] for key, lang in LANGUAGES.items()}


def language_of(*, path: str) -> str:
    """The sandbox language key for a file name, or "" when we cannot run it."""
    name = path.rsplit("/", 1)[-1].lower()
    return next((key for suffix, key in EXTENSIONS.items() if name.endswith(suffix)), "")


def language_of_code(code: str) -> str:
    """Our language key for a Kattis language code (or our own key), "" when we do not have it."""
    key = _KATTIS_CODES.get(code.lower(), code.lower())
    return key if key in LANGUAGES else ""


def kattis_code(language: str) -> str:
    return _OUR_CODES.get(language, language)


def source_text(*, path: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackageError(f"{path}: not UTF-8 text") from None
    if "\x00" in text:
        raise PackageError(f"{path}: contains NUL bytes, not source code")
    return text


def text_files(*, unit: str, files: dict[str, bytes], warnings: list[str]) -> dict[str, str]:
    """The folder's files as text; a binary file is left out, with a warning."""
    texts = {}
    for name, data in sorted(files.items()):
        try:
            texts[name] = source_text(path=f"{unit}/{name}", data=data)
        except PackageError as exc:
            warnings.append(f"{exc.message}: left out")
    return texts


def entry_find(*, unit: str, files: dict[str, str], hint: str = "") -> str:
    """The file that is run or holds main: `hint` (submissions.yaml), else the only source, else the one
    named after the folder or like a main file, else the one whose text declares main."""
    if hint:
        return _entry_named(unit=unit, files=files, hint=hint)
    sources = sorted(name for name in files if language_of(path=name))
    if not sources:
        scripts = [name for name in (BUILD_SCRIPT, RUN_SCRIPT) if name in files]
        if scripts:
            return scripts[0]
        raise PackageError(f"{unit}: no source file in a language we can run ({', '.join(LANGUAGES)})")
    if len(sources) == 1:
        return sources[0]
    folder = unit.rstrip("/").rsplit("/", 1)[-1]
    named = [n for n in sources if _stem(n) in (folder, *_MAIN_STEMS)]
    if len(named) == 1:
        return named[0]
    marked = [n for n in named or sources if _declares_main(n, files[n])]
    if len(marked) == 1:
        return marked[0]
    raise PackageError(f"{unit}: several source files ({', '.join(sources)}); cannot tell which is main")


def _entry_named(*, unit: str, files: dict[str, str], hint: str) -> str:
    """An entry point as submissions.yaml gives it: a file, or a file without its extension (a Python
    module, a Java class, with or without its package)."""
    wanted = hint.strip("/")
    stems = (wanted, wanted.replace(".", "/"), wanted.rsplit(".", 1)[-1])
    found = [n for n in files if n == wanted] or [
        n for n in files if n.rsplit(".", 1)[0] in stems and language_of(path=n)
    ]
    if len(found) != 1:
        raise PackageError(f"{unit}: the entry point {hint!r} is not one of its files")
    return found[0]


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _declares_main(path: str, text: str) -> bool:
    mark = _MAIN_MARKS.get(language_of(path=path))
    return bool(mark and re.search(mark, text))


def folder_program(
    *, unit: str, name: str, files: dict[str, str], expected: str = "", entry: str = "", language: str = ""
) -> PackageProgram:
    """A program of these files; one source file alone is a program of one source named `name`/file."""
    entry = entry_find(unit=unit, files=files, hint=entry)
    scripted = entry in (BUILD_SCRIPT, RUN_SCRIPT)
    language = language or language_of(path=entry) or (SCRIPTS_LANGUAGE if scripted else "")
    if len(files) == 1 and not scripted:
        source = files[entry]
        return PackageProgram(name=f"{name}/{entry}", language=language, source=source, expected=expected)
    others = {path: text for path, text in files.items() if path != entry}
    errors = program_files_errors(entry=entry, source=files[entry], files=others)
    if errors:
        raise PackageError(f"{unit}: {'; '.join(errors)}")
    return PackageProgram(
        name=name, language=language, source=files[entry], expected=expected, entry=entry, files=others
    )


def program_files(*, program: PackageProgram, folder: str) -> dict[str, bytes]:
    """A folder program's files under `folder`/, for export."""
    every = {**program.files, program.entry: program.source}
    return {f"{folder}/{path}": text.encode() for path, text in every.items()}
