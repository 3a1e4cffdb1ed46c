"""Contests: a timed set of a tenant's problems, its participants and their questions."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.models import Tenant
from problems.models import Problem
from problems.statements import statement_render_on_save
from sandbox import LANGUAGES

DESCRIPTION_MAX_CHARS = 50_000
MAX_CONTEST_MINUTES = 366 * 24 * 60  # a year: anything longer is a typo, and datetimes overflow far beyond


def languages_validate(value) -> None:
    unknown = sorted(set(value) - set(LANGUAGES)) if isinstance(value, list) else [value]
    if unknown:
        raise ValidationError(f"Unknown languages: {', '.join(map(str, unknown))}.")


class Contest(models.Model):
    """A timed set of problems of one tenant, ranked on a scoreboard; practice once it ends."""

    class Format(models.TextChoices):
        ICPC = "icpc", "ICPC: problems solved, then penalty minutes"
        IOI = "ioi", "IOI: sum of the best score per problem"

    class Timing(models.TextChoices):
        FIXED = "fixed", "Everyone at the same time"
        WINDOW = "window", "Personal window: each participant starts when they choose"

    class Access(models.TextChoices):
        TENANT = "tenant", "All students of the tenant"
        INVITED = "invited", "Invited users only"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="contests")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(
        blank=True, max_length=DESCRIPTION_MAX_CHARS, help_text="Markdown; shown on the contest page."
    )
    description_html = models.TextField(
        blank=True, editable=False, help_text="The description rendered and sanitised when it was saved."
    )
    format = models.CharField(max_length=8, choices=Format.choices, default=Format.ICPC)
    timing = models.CharField(max_length=8, choices=Timing.choices, default=Timing.FIXED)
    access = models.CharField(max_length=8, choices=Access.choices, default=Access.TENANT)
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    window_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CONTEST_MINUTES)],
        help_text="Personal windows only: how long each participant has.",
    )
    freeze_minutes = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_CONTEST_MINUTES)],
        help_text="The scoreboard freezes for participants this long before the end; 0: never.",
    )
    unfrozen_at = models.DateTimeField(
        null=True, blank=True, help_text="When staff revealed the final board."
    )
    languages = models.JSONField(
        default=list,
        blank=True,
        validators=[languages_validate],
        help_text="Keys of the languages participants may use; empty: every language of the judge.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_at__gt=models.F("start_at")), name="contest_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, **kwargs) -> None:
        kwargs["update_fields"] = statement_render_on_save(
            instance=self,
            source="description",
            target="description_html",
            update_fields=kwargs.get("update_fields"),
        )
        super().save(**kwargs)

    def allows_language(self, key: str) -> bool:
        return not self.languages or key in self.languages

    @property
    def is_window(self) -> bool:
        return self.timing == self.Timing.WINDOW

    @property
    def freeze_at(self) -> dt.datetime | None:
        if not self.freeze_minutes:
            return None
        return self.end_at - dt.timedelta(minutes=self.freeze_minutes)

    def clean(self) -> None:
        errors = {}
        start, end = self.start_at, self.end_at
        if start and end and end <= start:
            errors["end_at"] = "The contest must close after it opens."
        if self.timing == self.Timing.WINDOW and not self.window_minutes:
            errors["window_minutes"] = "Personal windows need a length."
        if start and end and start < end and (self.freeze_minutes or 0) * 60 >= (end - start).total_seconds():
            errors["freeze_minutes"] = "The freeze must be shorter than the contest."
        if errors:
            raise ValidationError(errors)

    def is_frozen(self, *, now: dt.datetime) -> bool:
        """Participants see the board as it was at `freeze_at` until staff unfreeze it (after the end).
        The freeze time is the contest's, also with personal windows: one board, one freeze."""
        return self.freeze_at is not None and now >= self.freeze_at and self.unfrozen_at is None


class ContestProblem(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="contest_problems")
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="contest_entries")
    label = models.CharField(max_length=10)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["contest", "order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "label"], name="contestproblem_unique_label"),
            models.UniqueConstraint(fields=["contest", "problem"], name="contestproblem_unique_problem"),
        ]

    def __str__(self) -> str:
        return f"{self.contest.slug}/{self.label}"

    def clean(self) -> None:
        if self.problem_id and self.contest_id and self.problem.tenant_id != self.contest.tenant_id:
            raise ValidationError({"problem": "A contest uses only problems of its own course or club."})


class ContestParticipant(models.Model):
    """An invitation (invite-only contests) and/or the start of a personal window."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True, help_text="Personal windows: when they started.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contest", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="contestparticipant_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.contest}"


class Clarification(models.Model):
    """A participant's question; staff answer it to the asker only, or to everyone."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="clarifications")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    problem = models.ForeignKey(
        ContestProblem, null=True, blank=True, on_delete=models.SET_NULL, related_name="clarifications"
    )
    question = models.TextField(max_length=2000)
    answer = models.TextField(max_length=4000, blank=True)
    is_public = models.BooleanField(default=False, help_text="Shown to every participant.")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"clarification #{self.pk} in {self.contest}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)
