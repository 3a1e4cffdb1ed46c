"""The operators' dashboard: quotas and load per school, course or club, workers, anomalies, charts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from judge.hosts.selectors import host_list
from judge.ops.forms import TenantQuotaForm
from judge.ops.selectors import ops_scope_get, ops_snapshot
from judge.ops.services import tenant_quota_update
from judge.submissions.quotas import quota_for


def _tenant_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _quota_form(request, tenant_id: int, failed: tuple[int, TenantQuotaForm] | None):
    """Site admins edit limits in place: the form that failed keeps its input and errors."""
    if not request.user.is_superuser:
        return None
    if failed is not None and failed[0] == tenant_id:
        return failed[1]
    return TenantQuotaForm(instance=quota_for(tenant_id=tenant_id), prefix=f"t{tenant_id}")


def _page(request, scope, *, failed: tuple[int, TenantQuotaForm] | None = None):
    snapshot = ops_snapshot(scope=scope)
    context = {
        "scope": scope,
        "snapshot": snapshot,
        "rows": [(row, _quota_form(request, row["id"], failed)) for row in snapshot["tenants"]],
        "failed_id": failed[0] if failed else None,
        "socket": "/ws/ops/" if scope.site else f"/ws/ops/tenants/{scope.tenant.id}/",
        "judge_hosts": host_list() if scope.site and request.user.is_superuser else None,
        "execution": settings.JUDGE_EXECUTION,
    }
    return render(request, "judge/ops/dashboard.html", context, status=400 if failed else 200)


@login_required
@require_GET
def dashboard(request):
    scope = ops_scope_get(user=request.user, tenant_id=_tenant_param(request.GET.get("tenant")))
    return _page(request, scope)


@login_required
@require_POST
def quota_edit(request, tenant_id: int):
    scope = ops_scope_get(user=request.user, tenant_id=tenant_id)
    if not request.user.is_superuser:
        raise PermissionDenied("Only site administrators change quotas.")
    form = TenantQuotaForm(request.POST, instance=quota_for(tenant_id=tenant_id), prefix=f"t{tenant_id}")
    if form.is_valid():
        try:
            tenant_quota_update(user=request.user, tenant_id=tenant_id, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Saved the limits of {scope.tenant.name}.")
            return redirect(f"{reverse('ops:dashboard')}#tenant-{tenant_id}")
    return _page(request, ops_scope_get(user=request.user), failed=(tenant_id, form))  # the site's view
