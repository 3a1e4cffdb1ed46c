"""The judge-host API (JSON, token-authenticated, no cookies or CSRF) and the revoke button of /ops/."""

import json
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

import sandbox
from judge.hosts.errors import HostRefused
from judge.hosts.jobs import job_claim, job_result_apply, test_file_get
from judge.hosts.models import JudgeHost
from judge.hosts.services import host_authenticate, host_heartbeat, host_revoke

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _host_api(view):
    """Authenticate the host, bound the body, and turn HostRefused into its status with a JSON reason."""

    @csrf_exempt
    def wrapped(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if length > settings.JUDGE_HOST_MAX_MESSAGE_BYTES:
                raise HostRefused(413, "the message is too large")
            host = host_authenticate(authorization=request.META.get("HTTP_AUTHORIZATION", ""))
            return view(request, host, *args, **kwargs)
        except HostRefused as exc:
            return JsonResponse({"error": str(exc)}, status=exc.status)
        except ValueError:
            return JsonResponse({"error": "a bad request"}, status=400)

    return wrapped


def _json(request) -> dict:
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise HostRefused(400, "the body is not JSON") from None
    if not isinstance(payload, dict):
        raise HostRefused(400, "the body is a JSON object")
    return payload


@require_POST
@_host_api
def claim(request, host):
    languages = _json(request).get("languages")
    if not isinstance(languages, list):
        raise HostRefused(400, "say which languages this host runs: {'languages': [...]}")
    job = job_claim(host=host, languages=[key for key in languages[:100] if isinstance(key, str)])
    return HttpResponse(status=204) if job is None else JsonResponse(job)


@require_GET
@_host_api
def test_file(request, host, sha: str):
    if not _SHA256.fullmatch(sha):
        raise HostRefused(404, "not a SHA-256")
    return HttpResponse(test_file_get(host=host, sha=sha), content_type="application/octet-stream")


@require_POST
@_host_api
def results(request, host, job_id: int):
    signature = request.META.get("HTTP_" + sandbox.SIGNATURE_HEADER.upper().replace("-", "_"), "")
    job_result_apply(host=host, job_id=job_id, body=request.body, signature=signature)
    return JsonResponse({"ok": True})


@require_POST
@_host_api
def heartbeat(request, host):
    host_heartbeat(host=host, payload=_json(request))
    return JsonResponse({"ok": True, "execution": settings.JUDGE_EXECUTION})


@login_required
@require_POST
def revoke(request, host_id: int):
    host = host_revoke(user=request.user, host_id=get_object_or_404(JudgeHost, pk=host_id).pk)
    messages.success(request, f"Revoked the judge host {host.name}: its token is refused from now on.")
    return redirect("ops:dashboard")
