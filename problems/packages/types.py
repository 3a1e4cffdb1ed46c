"""What a problem package holds, as plain data: no database, no files on disk."""

from dataclasses import dataclass, field

from problems.models import Problem
from problems.timing import DEFAULT_RESOLUTION, LEGACY_MULTIPLIER, LEGACY_SAFETY_MARGIN, TimeRules


class PackageError(ValueError):
    """The package is malformed; `message` says where and why, for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PackageTest:
    name: str  # path under data/ without the extension: "sample/1", "secret/group1/03"
    input: bytes
    answer: bytes
    is_sample: bool = False
    group: str = ""  # "" when the test belongs to no group


@dataclass(frozen=True)
class PackageGroup:
    name: str  # folder under data/secret, nested folders joined with "/"
    points: float = 0.0


@dataclass(frozen=True)
class PackageProgram:
    """A program in the package, an output validator or a reference solution: one file, or a folder of
    files with an entry file (the one that is run or holds main), as problems.models stores programs."""

    name: str  # relative to submissions/ (a file or a folder), or the validator's path in the package
    language: str  # a sandbox language key, or "" when the extension is not one we run
    source: str  # the program's text; for a folder, its entry file's
    expected: str = ""  # reference solutions: a ReferenceSolution.Expected value
    entry: str = ""  # a folder: the entry file's path inside it; "" for a program of one file
    files: dict[str, str] = field(default_factory=dict)  # a folder: its other files, {path: text}


@dataclass(frozen=True)
class Package:
    name: str  # short name: the package folder or zip name
    title: str
    statement: str  # Markdown
    statement_source: str = ""  # the original LaTeX, when the statement was .tex
    tags: tuple[str, ...] = ()  # problem.yaml keywords
    time_limit: float | None = None  # seconds; None: derive it from the accepted submissions
    time_limit_source: str = ""  # where time_limit came from: problem.yaml, .timelimit, domjudge-problem.ini
    time_multiplier: float = LEGACY_MULTIPLIER  # the format's defaults: see problems/timing.py
    time_safety_margin: float = LEGACY_SAFETY_MARGIN
    time_resolution: float = DEFAULT_RESOLUTION
    memory_limit: int | None = None  # MiB
    output_limit: int | None = None  # KiB
    checker: str = Problem.Checker.TOKENS
    float_abs_tolerance: float = 1e-6
    float_rel_tolerance: float = 1e-6
    case_sensitive: bool = True
    interactive: bool = False
    scoring: str = Problem.Scoring.PASS_FAIL
    stop_on_first_failure: bool = True  # data/testdata.yaml on_reject: break
    output_validator: PackageProgram | None = None
    tests: tuple[PackageTest, ...] = ()
    groups: tuple[PackageGroup, ...] = ()
    solutions: tuple[PackageProgram, ...] = ()
    include_files: dict[str, dict[str, str]] = field(default_factory=dict)  # include/: {language: files}
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def time_rules(self) -> TimeRules:
        return TimeRules(
            multiplier=self.time_multiplier,
            safety_margin=self.time_safety_margin,
            resolution=self.time_resolution,
        )
