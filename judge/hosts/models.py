"""Judge hosts (machines that run submissions for the site without database access) and their jobs."""

from django.db import models

from judge.submissions.dispatch import HOST_WORKER_PREFIX
from judge.submissions.models import Submission


class JudgeHost(models.Model):
    name = models.CharField(max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the host's token.")
    public_key = models.CharField(
        max_length=64,
        blank=True,
        help_text="Base64 Ed25519 public key the host signs with: pinned at its first heartbeat.",
    )
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_heartbeat = models.DateTimeField(null=True, blank=True)
    hostname = models.CharField(max_length=200, blank=True)
    engine = models.CharField(max_length=100, blank=True)
    engine_problem = models.CharField(max_length=500, blank=True, help_text="Why its engine does not answer.")
    languages = models.JSONField(default=dict, blank=True, help_text="Language key: version, as it reports.")
    capacity = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def worker_name(self) -> str:
        """What a submission's `worker` says when this host judged it."""
        return f"{HOST_WORKER_PREFIX}{self.name}"


class JudgeJob(models.Model):
    """What a host was given: a submission's claim (its results count only while `claim` is still the
    submission's), or a Run-box tryout (`tryout` is its token; its result counts until it is answered)."""

    host = models.ForeignKey(JudgeHost, on_delete=models.CASCADE, related_name="jobs")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    tryout = models.CharField(max_length=40, blank=True)
    claim = models.CharField(max_length=64)
    last_seq = models.PositiveIntegerField(default=0, help_text="The last result message applied.")
    tests = models.JSONField(default=dict, help_text="SHA-256: [test id, 'input' | 'answer'].")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["host", "finished_at"])]

    def __str__(self) -> str:
        return f"job {self.pk} of submission {self.submission_id} on {self.host_id}"


class QueuedTryout(models.Model):
    """A Run-box run waiting for a judge host (the run itself lives in the cache, under `token`)."""

    token = models.CharField(max_length=40, unique=True)
    language = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"tryout {self.token[:6]}... ({self.language})"
