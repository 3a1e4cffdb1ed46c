from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from judge.metrics.access import metrics_access_allowed
from judge.metrics.exposition import site_metrics_text


@never_cache
@require_GET
def metrics(request):
    """Prometheus text format; 403 for a client without the token or outside the allow-list."""
    if not metrics_access_allowed(request):
        return HttpResponseForbidden(
            "Not allowed: see METRICS_TOKEN and METRICS_ALLOW.\n", content_type="text/plain"
        )
    return HttpResponse(site_metrics_text(), content_type=CONTENT_TYPE_LATEST)
