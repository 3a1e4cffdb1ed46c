from django import forms

from judge.submissions.models import TenantQuota


class TenantQuotaForm(forms.ModelForm):
    """A tenant's limits; the bounds are the model's (0 up to each field's MaxValueValidator)."""

    class Meta:
        model = TenantQuota
        fields = TenantQuota.LIMIT_FIELDS
        labels = {"max_running": "Runs at once", "max_queued": "Queued", "cpu_seconds_per_day": "CPU-s / day"}
