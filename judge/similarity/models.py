"""A similarity check of one problem's or one contest's final submissions, and what it found."""

from django.conf import settings
from django.db import models

from accounts.models import Tenant
from problems.models import Problem


class SimilarityCheck(models.Model):
    """One run of the comparison; a worker fills in progress and the suspicious pairs."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="similarity_checks")
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.CASCADE, related_name="similarity_checks"
    )
    contest = models.ForeignKey(
        "Contest", null=True, blank=True, on_delete=models.CASCADE, related_name="similarity_checks"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    submissions_compared = models.PositiveIntegerField(default=0)
    submissions_skipped = models.PositiveIntegerField(
        default=0, help_text="Final submissions left out: too large, or beyond the most compared."
    )
    pairs_total = models.PositiveIntegerField(default=0)
    pairs_done = models.PositiveIntegerField(default=0)
    pairs = models.JSONField(
        default=list,
        blank=True,
        help_text="Suspicious pairs, most similar first: a, b (ids), language, score.",
    )
    message = models.TextField(blank=True, help_text="Why the check failed.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker claimed it.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(problem__isnull=True) ^ models.Q(contest__isnull=True),
                name="similaritycheck_problem_xor_contest",
            )
        ]

    def __str__(self) -> str:
        return f"similarity check #{self.pk}"

    @property
    def subject(self):
        return self.problem or self.contest

    @property
    def progress(self) -> float:
        if self.status == self.Status.DONE:
            return 1.0
        return self.pairs_done / self.pairs_total if self.pairs_total else 0.0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
