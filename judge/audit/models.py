"""The execution log's rows. Records name submissions, tenants and users by id, not foreign key: deleting a
submission must neither cascade into the log nor be refused by it."""

from django.db import models


class AuditKey(models.Model):
    """A signer's public key: anyone can check records with it; the secret stays on its machine."""

    key_id = models.CharField(max_length=64, unique=True)
    public_key = models.CharField(max_length=64, help_text="Base64 of the raw 32-byte Ed25519 public key.")
    host = models.CharField(max_length=255, help_text="The machine that first signed with it.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key_id} ({self.host})"


class AuditHead(models.Model):
    """The chain's last position and hash, in one row that every append locks: appends from many workers
    happen one at a time, so the chain stays a single line."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit head at {self.seq}"


class AuditRecord(models.Model):
    class Kind(models.TextChoices):
        COMPILE = "compile", "Compile"
        RUN = "run", "Test run"
        STAFF = "staff", "Staff action"

    seq = models.PositiveBigIntegerField(unique=True, help_text="Position in the chain, from 1.")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    action = models.CharField(max_length=60, blank=True, help_text="What staff did (problem.update, ...).")
    host = models.CharField(max_length=255, help_text="The machine that appended the record.")
    tenant_id = models.BigIntegerField(null=True, blank=True)
    user_id = models.BigIntegerField(null=True, blank=True, help_text="The submitter, or the staff member.")
    submission_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=64)
    signature = models.CharField(max_length=100, help_text="Base64 Ed25519 signature of the hash.")

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.action}".strip()
