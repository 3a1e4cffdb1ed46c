"""Judge hosts: adding one (its token shown once), revoking it, knowing it by its token, its heartbeats."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

import sandbox
from judge.audit import services as audit
from judge.hosts.errors import HostRefused
from judge.hosts.models import JudgeHost, JudgeJob
from judge.hosts.tryouts import tryout_jobs_unanswered
from judge.submissions import dispatch
from judge.submissions.models import Submission
from judge.submissions.services import submission_requeue

NAME_MAX = JudgeHost._meta.get_field("name").max_length
_PUBLIC_KEY = re.compile(r"[A-Za-z0-9+/]{43}=")  # base64 of 32 bytes


def host_add(*, name: str) -> tuple[JudgeHost, str]:
    """A new judge host and its token (kept only hashed: this is the one time it is seen)."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationError(f"A judge host needs a name of 1 to {NAME_MAX} characters.")
    if JudgeHost.objects.filter(name=name).exists():
        raise ValidationError(f"There already is a judge host named {name!r}.")
    token = secrets.token_urlsafe(32)
    host = JudgeHost.objects.create(name=name, token_hash=sandbox.token_hash(token))
    return host, token


@transaction.atomic
def host_revoke(*, user, host_id: int) -> JudgeHost:
    """Refuse the host's token from now on; the submissions it was judging go back to the queue."""
    if not user.is_superuser:
        raise PermissionDenied("Only site administrators revoke judge hosts.")
    host = JudgeHost.objects.select_for_update().get(pk=host_id)
    host.revoked = True
    host.save(update_fields=["revoked"])
    running = JudgeJob.objects.filter(host=host, finished_at__isnull=True, submission__isnull=False)
    for job in running.select_related("submission"):
        if job.submission.claim == job.claim:
            submission_requeue(submission=job.submission, priority=job.submission.priority)
            dispatch.judging_request(submission_id=job.submission_id)
    tryout_jobs_unanswered(host=host)
    JudgeJob.objects.filter(host=host, finished_at__isnull=True).update(finished_at=timezone.now())
    return host


def host_authenticate(*, authorization: str) -> JudgeHost:
    """The host whose token is in `Authorization: Bearer ...`; HostRefused(401) when it is missing,
    unknown or revoked."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HostRefused(401, "a judge host token is needed (Authorization: Bearer ...)")
    host = JudgeHost.objects.filter(token_hash=sandbox.token_hash(token.strip())).first()
    if host is None or host.revoked:
        raise HostRefused(401, "unknown or revoked judge host token")
    return host


def _text(payload: dict, key: str, limit: int) -> str:
    value = payload.get(key, "")
    return value[:limit] if isinstance(value, str) else ""


def _key_pin(host: JudgeHost, public_key) -> None:
    """Pin the signing key a host announces first; any other key later is refused (revoke and add the
    host again to change it). The key is published in the execution log's key table too."""
    if not isinstance(public_key, str) or not _PUBLIC_KEY.fullmatch(public_key):
        raise HostRefused(400, "a heartbeat announces the host's Ed25519 public key ('public_key', base64)")
    if host.public_key == public_key:
        return
    if host.public_key:
        raise HostRefused(403, "this is not the signing key this host first announced; add the host again")
    if not JudgeHost.objects.filter(pk=host.pk, public_key="").update(public_key=public_key):
        raise HostRefused(409, "another key was pinned for this host just now")
    host.public_key = public_key
    audit.key_publish(key_id=sandbox.host_key_id(public_key), public_key=public_key, host=host.worker_name)


def host_heartbeat(*, host: JudgeHost, payload: dict) -> None:
    """Record what the host says of itself; keep its running jobs' submissions alive for the sweeper."""
    _key_pin(host, payload.get("public_key"))
    languages = payload.get("languages")
    languages = (
        {str(k)[:20]: str(v)[:100] for k, v in languages.items()} if isinstance(languages, dict) else {}
    )
    capacity = payload.get("capacity")
    host.hostname = _text(payload, "hostname", 200)
    host.engine = _text(payload, "engine", 100)
    host.engine_problem = _text(payload, "engine_problem", 500)
    host.languages = dict(list(languages.items())[:100])
    host.capacity = capacity if isinstance(capacity, int) and 0 < capacity < 1000 else 1
    host.last_heartbeat = timezone.now()
    host.save(
        update_fields=["hostname", "engine", "engine_problem", "languages", "capacity", "last_heartbeat"]
    )
    _jobs_touch(host=host, job_ids=payload.get("jobs"))
    available = sorted(key for key, version in host.languages.items() if version)
    missing = sorted(set(sandbox.LANGUAGES) - set(available))
    if settings.JUDGE_EXECUTION == "hosts":  # then hosts are the workers that fail-fast and /ops/ count
        dispatch.heartbeat_record(
            hostname=host.worker_name,
            engine_problem=host.engine_problem,
            languages={"available": available, "missing": missing},
        )


def _jobs_touch(*, host: JudgeHost, job_ids) -> None:
    if not isinstance(job_ids, list):
        return
    ids = [i for i in job_ids[:1000] if isinstance(i, int)]
    for submission_id, claim in JudgeJob.objects.filter(
        host=host, pk__in=ids, finished_at__isnull=True
    ).values_list("submission_id", "claim"):
        Submission.objects.filter(
            pk=submission_id, claim=claim, status__in=(Submission.Status.COMPILING, Submission.Status.RUNNING)
        ).update(heartbeat_at=timezone.now())
