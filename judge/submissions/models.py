"""Submissions and their per-test results, the verdicts they can get; tenants' quotas and usage."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from accounts.models import Tenant
from problems.models import PROGRAM_PATH_MAX, Problem, ReferenceSolution, TestCase
from sandbox import LANGUAGES


class Verdict(models.TextChoices):
    AC = "AC", "Accepted"
    WA = "WA", "Wrong answer"
    TLE = "TLE", "Time limit exceeded"
    MLE = "MLE", "Memory limit exceeded"
    OLE = "OLE", "Output limit exceeded"
    RE = "RE", "Runtime error"
    CE = "CE", "Compile error"
    IE = "IE", "Internal error"


Expected = ReferenceSolution.Expected
# Which verdicts count as "as expected" for a reference solution (problem validation, judge_package).
EXPECTED_VERDICTS: dict[str, frozenset[str]] = {
    Expected.ACCEPTED: frozenset({Verdict.AC}),
    Expected.WRONG_ANSWER: frozenset({Verdict.WA}),
    Expected.TIME_LIMIT_EXCEEDED: frozenset({Verdict.TLE}),
    Expected.RUN_TIME_ERROR: frozenset({Verdict.RE, Verdict.MLE}),  # the package format counts MLE here
    # "other" is any failure the judge can name; IE is the judge's own fault, never an expected outcome.
    Expected.OTHER: frozenset(set(Verdict) - {Verdict.AC, Verdict.IE}),
}


class Submission(models.Model):
    class Kind(models.TextChoices):
        NORMAL = "normal", "Submission"
        REFERENCE = "reference", "Reference solution run"  # problem validation and package checks

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        COMPILING = "compiling", "Compiling"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="submissions")
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        related_name="submissions",
        help_text="Whose quota pays for judging.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NORMAL)
    contest = models.ForeignKey(
        "Contest", null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    priority = models.PositiveSmallIntegerField(
        default=0, help_text="0 = live; higher numbers wait (rejudges)."
    )
    language = models.CharField(max_length=16, choices=[(key, lang.name) for key, lang in LANGUAGES.items()])
    source = models.TextField()
    entry = models.CharField(
        max_length=PROGRAM_PATH_MAX,
        blank=True,
        help_text="Reference runs of a program of several files: the name of the file `source` holds.",
    )
    files = models.JSONField(default=dict, blank=True, help_text="The program's other files, {path: text}.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    verdict = models.CharField(max_length=3, choices=Verdict.choices, blank=True)
    score = models.FloatField(default=0)
    max_score = models.FloatField(default=0)
    max_time = models.FloatField(null=True, blank=True, help_text="Seconds, slowest test.")
    max_memory = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes, largest test.")
    previous_verdict = models.CharField(
        max_length=3, choices=Verdict.choices, blank=True, help_text="Verdict before the last rejudge."
    )
    previous_score = models.FloatField(null=True, blank=True, help_text="Score before the last rejudge.")
    rejudged_at = models.DateTimeField(null=True, blank=True)
    compile_output = models.TextField(blank=True)
    internal_message = models.TextField(blank=True, help_text="Why judging failed; for admins only.")
    tests_total = models.PositiveIntegerField(default=0)
    tests_done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(
        max_length=32, blank=True, help_text="Token of the judging that owns this submission."
    )
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life from the worker.")
    judged_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="The Celery worker that judged it last.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "started_at"], name="submission_status_started"),
            models.Index(fields=["status", "tenant", "priority", "id"], name="submission_queue"),
            # one team's row of a contest board, rebuilt after each of its verdicts
            models.Index(fields=["contest", "user"], name="submission_contest_user"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.problem.code} by {self.user}"

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def tests_skipped(self) -> int:
        """Tests not run because an earlier failure already decided the verdict (or its group's score)."""
        return max(0, self.tests_total - self.tests_done) if self.is_finished else 0


class TestResult(models.Model):
    __test__ = False

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="results")
    test_case = models.ForeignKey(TestCase, null=True, on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveIntegerField()
    is_sample = models.BooleanField(default=False)
    group_name = models.CharField(max_length=60, blank=True)
    verdict = models.CharField(max_length=3, choices=Verdict.choices)
    time = models.FloatField(default=0, help_text="CPU seconds.")
    wall_time = models.FloatField(default=0)
    memory = models.PositiveBigIntegerField(default=0, help_text="Peak bytes.")
    exit_code = models.IntegerField(null=True, blank=True)
    signal = models.IntegerField(null=True, blank=True)
    checker_message = models.TextField(blank=True)
    fraction = models.FloatField(
        null=True, blank=True, help_text="Partial credit a custom checker gave (score.txt), 0 to 1."
    )
    output_excerpt = models.TextField(
        blank=True, help_text="Start of the program's output; shown for samples."
    )
    stderr_excerpt = models.TextField(
        blank=True, help_text="End of the program's stderr (a traceback); kept for samples only."
    )

    class Meta:
        ordering = ["submission", "order"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "order"], name="testresult_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}#{self.order} {self.verdict}"


class TenantQuota(models.Model):
    """Limits of one tenant; a tenant without a row gets the defaults from settings."""

    LIMIT_FIELDS = ("max_running", "max_queued", "cpu_seconds_per_day")  # what the admin and /ops/ edit

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="quota")
    max_running = models.PositiveIntegerField(
        default=2, validators=[MaxValueValidator(1000)], help_text="Submissions judged at once."
    )
    max_queued = models.PositiveIntegerField(
        default=200, validators=[MaxValueValidator(100_000)], help_text="Submissions waiting at once."
    )
    cpu_seconds_per_day = models.PositiveIntegerField(
        default=20000,
        validators=[MaxValueValidator(10_000_000)],
        help_text="Sandbox CPU seconds per UTC day.",
    )

    def __str__(self) -> str:
        return f"quota of {self.tenant}"


class TenantUsage(models.Model):
    """What a tenant used on one UTC day, for quotas and the operators' dashboard."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    submissions = models.PositiveIntegerField(default=0)
    cpu_seconds = models.FloatField(default=0)
    runs = models.PositiveIntegerField(default=0)
    rejections = models.PositiveIntegerField(default=0, help_text="Submissions and runs the quota refused.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "day"], name="tenantusage_unique_day")]

    def __str__(self) -> str:
        return f"{self.tenant} on {self.day}"
