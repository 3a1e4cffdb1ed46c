"""What the operators' dashboard remembers: a sample of the queue and of quota use, about once a minute."""

from django.db import models

from accounts.models import Tenant


class OpsSample(models.Model):
    """One tenant's load at one moment; a row without a tenant is the whole site's queue."""

    at = models.DateTimeField(db_index=True)
    tenant = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    queued = models.PositiveIntegerField(default=0)
    running = models.PositiveIntegerField(default=0)
    saturation = models.FloatField(
        default=0,
        help_text="The fullest of the tenant's quotas then (runs, queue, CPU today), 0 to 1 or more.",
    )

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.tenant or 'site'} at {self.at:%Y-%m-%d %H:%M}"
