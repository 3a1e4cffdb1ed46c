import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from accounts.models import Tenant
from problems.statements import statement_render_on_save
from problems.tags import TAG_MAX_CHARS, TAG_MAX_COUNT, TagsField, tags_validate

STATEMENT_MAX_CHARS = 200_000  # a long statement is ~20k; this bounds rendering time and page size
# The ranges a problem's limits may take: (low, high), both allowed.
TIME_LIMIT_RANGE = (0.1, 60.0)  # CPU seconds per test
MEMORY_LIMIT_RANGE = (16, 4096)  # MiB per test
OUTPUT_LIMIT_RANGE = (1, 262144)  # KiB per test
TIME_MULTIPLIER_RANGE = (1.0, 100.0)
TOLERANCE_RANGE = (0.0, 1e9)

# A program of several files (a package's output validator or reference solution folder): the entry
# file's text stays in the row's source field, which the one-file editors edit, and `entry` names it;
# the other files sit beside it as {path: text}. An empty entry means a program of one source. These
# bounds and the path rule hold wherever such a program is stored (checkers, references, include files).
PROGRAM_FILES_MAX = 64  # files of one program, the entry included
PROGRAM_FILE_BYTES_MAX = 512 * 1024  # testlib.h is about 200 KiB
PROGRAM_BYTES_MAX = 2 * 1024 * 1024
PROGRAM_PATH_MAX = 200
INCLUDE_DEFAULT = "default"  # Problem.include_files key of the files for every language
_PROGRAM_PATH_PART = re.compile(r"[A-Za-z0-9_+-][A-Za-z0-9._+-]*")


def program_path_error(path: str) -> str:
    """Why `path` cannot name a file of a program, or "" when it can."""
    if not path or len(path) > PROGRAM_PATH_MAX:
        return f"file names need 1 to {PROGRAM_PATH_MAX} characters: {path[:60]!r}"
    if "\x00" in path:
        return f"a file name holds a NUL byte: {path[:60]!r}"
    if path.startswith("/"):
        return f"file names are relative, not absolute: {path!r}"
    parts = path.split("/")
    if ".." in parts:
        return f"file names may not climb out with '..': {path!r}"
    if not all(_PROGRAM_PATH_PART.fullmatch(part) for part in parts):
        return f"file names use letters, digits and . _ + - between slashes: {path!r}"
    return ""


def program_files_errors(*, entry: str, source: str, files: object) -> list[str]:
    """What is wrong with a stored program's files: its entry path and the {path: text} beside it."""
    if not isinstance(files, dict) or not all(isinstance(t, str) for t in files.values()):
        return ["the program's other files must be a mapping of file names to their text"]
    if files and not entry:
        return ["a program of several files needs the name of its entry file"]
    return _file_set_errors({**files, entry: source} if entry else {})


def _file_set_errors(every: dict[str, str]) -> list[str]:
    errors = [error for path in every if (error := program_path_error(path))]
    sizes = {path: len(text.encode()) for path, text in every.items()}
    if len(every) > PROGRAM_FILES_MAX:
        errors.append(f"a program has at most {PROGRAM_FILES_MAX} files, not {len(every)}")
    errors += [
        f"{path} is {size} bytes; a file of a program may have {PROGRAM_FILE_BYTES_MAX}"
        for path, size in sizes.items()
        if size > PROGRAM_FILE_BYTES_MAX
    ]
    if sum(sizes.values()) > PROGRAM_BYTES_MAX:
        errors.append(f"a program's files may have {PROGRAM_BYTES_MAX} bytes together")
    errors += [f"{path}: contains NUL bytes, not text" for path, text in every.items() if "\x00" in text]
    return errors


def program_file_set(*, entry: str, source: str, files: dict[str, str]) -> dict[str, str]:
    """Every file of a stored program, {path: text}; {} for a program of one source."""
    return {**files, entry: source} if entry else {}


def include_files_errors(*, include_files: object) -> list[str]:
    """Problem.include_files: {"default" or a language key: {path: text}}, each set within the bounds."""
    if not isinstance(include_files, dict) or not all(isinstance(f, dict) for f in include_files.values()):
        return ["include files must be a mapping of languages to {file name: text}"]
    errors = []
    for language, files in include_files.items():
        if not all(isinstance(text, str) for text in files.values()):
            errors.append(f"include files for {language} must map file names to their text")
            continue
        errors += [f"include files for {language}: {error}" for error in _file_set_errors(files)]
    return errors


class ProblemSetting(NamedTuple):
    name: str  # the Problem field
    section: str  # a key of PROBLEM_SETTING_SECTIONS
    public: bool  # shown to contestants: on the problem page and in the API


# A problem's settings, in the order the form and the admin show them. The form, the admin, the authoring
# service, the API and the package import and export all take their fields from this list. The code, the
# course and the visibility are not settings: they say which problem it is and who sees it.
PROBLEM_SETTING_SECTIONS = {
    "statement": "Statement",
    "finding": "Tags and difficulty",
    "limits": "Limits",
    "checking": "Checking and scoring",
}
PROBLEM_SETTINGS: tuple[ProblemSetting, ...] = (
    ProblemSetting("title", "statement", public=True),
    ProblemSetting("statement", "statement", public=True),
    ProblemSetting("tags", "finding", public=True),
    ProblemSetting("difficulty", "finding", public=True),
    ProblemSetting("time_limit", "limits", public=True),
    ProblemSetting("memory_limit", "limits", public=True),
    ProblemSetting("output_limit", "limits", public=True),
    ProblemSetting("time_multiplier", "limits", public=False),  # an authoring aid: it derives the time limit
    ProblemSetting("checker", "checking", public=True),
    ProblemSetting("case_sensitive", "checking", public=False),
    ProblemSetting("interactive", "checking", public=False),
    ProblemSetting("float_abs_tolerance", "checking", public=False),
    ProblemSetting("float_rel_tolerance", "checking", public=False),
    ProblemSetting("checker_language", "checking", public=False),
    ProblemSetting("checker_source", "checking", public=False),  # it may hold the solution
    ProblemSetting("scoring", "checking", public=True),
    ProblemSetting("stop_on_first_failure", "checking", public=False),
)
PROBLEM_SETTING_NAMES = tuple(setting.name for setting in PROBLEM_SETTINGS)
PROBLEM_SETTING_NAMES_PUBLIC = tuple(setting.name for setting in PROBLEM_SETTINGS if setting.public)


def problem_setting_names(*, section: str) -> tuple[str, ...]:
    return tuple(setting.name for setting in PROBLEM_SETTINGS if setting.section == section)


def _range(bounds: tuple) -> list:
    low, high = bounds
    return [MinValueValidator(low), MaxValueValidator(high)]


def _test_upload_to(instance: "TestCase", filename: str) -> str:
    return f"tests/{instance.problem.code}/{filename}"


class Problem(models.Model):
    class Visibility(models.TextChoices):
        DRAFT = "draft", "Draft (staff only)"
        TENANT = "tenant", "Members of the course"
        PUBLIC = "public", "Everyone"

    class Checker(models.TextChoices):
        TOKENS = "tokens", "Tokens (whitespace-tolerant)"
        EXACT = "exact", "Exact bytes"
        FLOAT = "float", "Floating point with tolerance"
        CUSTOM = "custom", "Custom checker program"

    class Scoring(models.TextChoices):
        PASS_FAIL = "pass_fail", "Pass/fail (first failing test decides)"
        GROUPS = "groups", "Points per test group"

    class Difficulty(models.TextChoices):
        EASY = "easy", "Easy"
        MEDIUM = "medium", "Medium"
        HARD = "hard", "Hard"

    code = models.CharField(
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", "Use lowercase letters, digits, - and _.")],
    )
    title = models.CharField(max_length=200)
    statement = models.TextField(
        max_length=STATEMENT_MAX_CHARS, help_text="Markdown; math between $...$ or $$...$$."
    )
    statement_html = models.TextField(
        blank=True, editable=False, help_text="The statement rendered and sanitised when it was saved."
    )
    tags = TagsField(
        default=list,
        blank=True,
        validators=[tags_validate],
        help_text=f"Up to {TAG_MAX_COUNT}, separated by commas, e.g. “graphs, shortest paths”; "
        f"each at most {TAG_MAX_CHARS} characters. Students filter the problem list by them.",
    )
    difficulty = models.CharField(
        max_length=6,
        choices=Difficulty.choices,
        blank=True,
        help_text="Shown on the problem list, where students can filter by it. Empty: not rated.",
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="problems")
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.DRAFT)
    time_limit = models.FloatField(
        default=1.0,
        validators=_range(TIME_LIMIT_RANGE),
        help_text="CPU seconds per test.",
    )
    memory_limit = models.PositiveIntegerField(
        default=256, validators=_range(MEMORY_LIMIT_RANGE), help_text="MiB per test."
    )
    output_limit = models.PositiveIntegerField(
        default=8192, validators=_range(OUTPUT_LIMIT_RANGE), help_text="KiB per test."
    )
    checker = models.CharField(max_length=10, choices=Checker.choices, default=Checker.TOKENS)
    float_abs_tolerance = models.FloatField(default=1e-6, validators=_range(TOLERANCE_RANGE))
    float_rel_tolerance = models.FloatField(default=1e-6, validators=_range(TOLERANCE_RANGE))
    checker_language = models.CharField(max_length=16, blank=True)
    checker_source = models.TextField(blank=True, help_text="Custom checker: exit 42 accepts, 43 rejects.")
    checker_entry = models.CharField(
        max_length=PROGRAM_PATH_MAX,
        blank=True,
        help_text="A checker of several files: the name of the file the checker source holds; empty for one.",
    )
    checker_files = models.JSONField(
        default=dict, blank=True, help_text="The checker's other files, {path: text} (headers, testlib.h)."
    )
    include_files = models.JSONField(
        default=dict,
        blank=True,
        help_text="Files put beside every submission before it compiles, {language or 'default': {path: "
        "text}} (a package's include/ folder).",
    )
    scoring = models.CharField(max_length=10, choices=Scoring.choices, default=Scoring.PASS_FAIL)
    stop_on_first_failure = models.BooleanField(default=True)
    interactive = models.BooleanField(
        default=False, help_text="The custom checker talks to the program instead of reading its output."
    )
    case_sensitive = models.BooleanField(
        default=True, help_text="Tokens and float checkers: letters must match in case."
    )
    time_multiplier = models.FloatField(
        default=2.0,
        validators=_range(TIME_MULTIPLIER_RANGE),
        help_text="Time limit = slowest accepted reference solution × this (Kattis ac_to_time_limit).",
    )
    statement_source = models.TextField(
        blank=True, help_text="The original LaTeX statement, when imported from a .tex package."
    )
    source_package = models.CharField(
        max_length=200, blank=True, help_text="Name of the problem package this was imported from."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def save(self, **kwargs) -> None:
        kwargs["update_fields"] = statement_render_on_save(
            instance=self,
            source="statement",
            target="statement_html",
            update_fields=kwargs.get("update_fields"),
        )
        super().save(**kwargs)

    def clean(self) -> None:
        """Rules between settings, so that the form, the admin and the package importer all keep them."""
        errors = {}
        if self.checker == self.Checker.CUSTOM:
            if not self.checker_language:
                errors["checker_language"] = "Choose the language of the custom checker."
            if not self.checker_source.strip():
                errors["checker_source"] = "Paste the source of the custom checker."
        if self.interactive and self.checker != self.Checker.CUSTOM:
            errors["interactive"] = "An interactive problem needs a custom checker (the interactor)."
        checker_files = program_files_errors(
            entry=self.checker_entry, source=self.checker_source, files=self.checker_files
        )
        if checker_files:
            errors["checker_files"] = checker_files
        if include_files := include_files_errors(include_files=self.include_files):
            errors["include_files"] = include_files
        if errors:
            raise ValidationError(errors)

    def checker_file_set(self) -> dict[str, str]:
        """The custom checker's files, {path: text}; {} when it is one source."""
        entry, source = self.checker_entry, self.checker_source
        return program_file_set(entry=entry, source=source, files=self.checker_files)


class TestGroup(models.Model):
    """A subtask: its points are earned only when every test in it passes."""

    __test__ = False  # not a pytest class

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=60)
    points = models.FloatField(default=0, validators=[MinValueValidator(0), MaxValueValidator(1_000_000)])
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["problem", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["problem", "name"], name="testgroup_unique_name")]

    def __str__(self) -> str:
        return f"{self.problem.code}/{self.name}"


class TestCase(models.Model):
    """One test. Data lives in files in storage so tens of MB never sit in a database row."""

    __test__ = False  # not a pytest class

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="tests")
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=100, blank=True)
    input_file = models.FileField(upload_to=_test_upload_to, max_length=300)
    answer_file = models.FileField(upload_to=_test_upload_to, max_length=300)
    input_size = models.PositiveBigIntegerField(default=0)
    answer_size = models.PositiveBigIntegerField(default=0)
    # SHA-256 of each file, what judge hosts fetch and cache it by; "" until first needed (test_hashes).
    input_sha256 = models.CharField(max_length=64, blank=True)
    answer_sha256 = models.CharField(max_length=64, blank=True)
    is_sample = models.BooleanField(default=False)
    group = models.ForeignKey(
        TestGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="tests"
    )

    class Meta:
        ordering = ["problem", "-is_sample", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["problem", "order"], name="testcase_unique_order")]

    def __str__(self) -> str:
        return f"{self.problem.code} #{self.order}"

    def read_input(self, *, limit: int | None = None) -> bytes:
        """The input, or only its first `limit` bytes (previews read no more than they show)."""
        with self.input_file.open("rb") as f:
            return f.read(-1 if limit is None else limit)

    def read_answer(self, *, limit: int | None = None) -> bytes:
        with self.answer_file.open("rb") as f:
            return f.read(-1 if limit is None else limit)


class ReferenceSolution(models.Model):
    """A solution shipped with the problem (a package's submissions/ folder) and the verdict it should get."""

    class Expected(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        WRONG_ANSWER = "wrong_answer", "Wrong answer"
        TIME_LIMIT_EXCEEDED = "time_limit_exceeded", "Time limit exceeded"
        RUN_TIME_ERROR = "run_time_error", "Run-time error"
        OTHER = "other", "Other"

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="reference_solutions")
    name = models.CharField(max_length=200, help_text="Path inside the package, e.g. accepted/sol.py.")
    language = models.CharField(max_length=16, blank=True, help_text="Empty: not a language this judge runs.")
    source = models.TextField(help_text="The program's text; for a program of several files, its entry file.")
    entry = models.CharField(
        max_length=PROGRAM_PATH_MAX,
        blank=True,
        help_text="A program of several files: the name of the file `source` holds; empty for one file.",
    )
    files = models.JSONField(default=dict, blank=True, help_text="The program's other files, {path: text}.")
    expected = models.CharField(max_length=20, choices=Expected.choices, default=Expected.ACCEPTED)

    class Meta:
        ordering = ["problem", "name"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "name"], name="referencesolution_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.problem.code}/{self.name}"

    def clean(self) -> None:
        if errors := program_files_errors(entry=self.entry, source=self.source, files=self.files):
            raise ValidationError({"files": errors})

    def file_set(self) -> dict[str, str]:
        """Every file of this solution, {path: text}; {} when it is one source."""
        return program_file_set(entry=self.entry, source=self.source, files=self.files)
