"""Tokens for the ICPC Contest API (judge/ccs): each is made by a contest's staff, for one role."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A key to one contest's Contest API. Only its SHA-256 is stored; the key is shown once, when made."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Admin: everything, live (resolvers, shadow systems)"
        PUBLIC = "public", "Public: what spectators see; frozen during the freeze"
        TEAM = "team", "Team: what one participant sees"

    contest = models.ForeignKey("Contest", on_delete=models.CASCADE, related_name="api_tokens")
    role = models.CharField(max_length=8, choices=Role.choices)
    team = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Team tokens: the participant it speaks for.",
    )
    label = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False, help_text="The key's start, to tell keys apart.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contest", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="team", team__isnull=False)
                | (~models.Q(role="team") & models.Q(team__isnull=True)),
                name="apitoken_team_iff_team_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.role}) for {self.contest}"
