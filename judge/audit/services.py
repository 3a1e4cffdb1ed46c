"""Appending to the execution log. One chain for the whole site: every append locks the chain head, so
records from many workers form one line (a few milliseconds per append; judging spends seconds per run).
An append joins the caller's transaction: a staff action that rolls back leaves no record behind."""

import json
import socket
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

import sandbox
from judge.audit import signing
from judge.audit.models import AuditHead, AuditKey, AuditRecord
from sandbox import records


def key_publish(*, key_id: str, public_key: str, host: str) -> None:
    """Publish a signer's public key beside its records (this machine's, or a judge host's), so anyone
    can check them."""
    key, _ = AuditKey.objects.get_or_create(key_id=key_id, defaults={"public_key": public_key, "host": host})
    if key.public_key != public_key:
        raise RuntimeError(f"audit key id {key_id!r} is registered with another public key")


def _head_lock() -> AuditHead:
    AuditHead.objects.get_or_create(pk=1)
    return AuditHead.objects.select_for_update().get(pk=1)


@transaction.atomic
def audit_append(
    *,
    kind: str,
    data: dict,
    action: str = "",
    tenant_id: int | None = None,
    user_id: int | None = None,
    submission_id: int | None = None,
    host: str = "",
) -> AuditRecord:
    signer = signing.signer_get()
    key_publish(key_id=signer.key_id, public_key=signer.public_key, host=signer.host)
    head = _head_lock()
    record = AuditRecord(
        seq=head.seq + 1,
        at=timezone.now(),
        kind=kind,
        action=action,
        host=host or socket.gethostname(),
        tenant_id=tenant_id,
        user_id=user_id,
        submission_id=submission_id,
        data=json.loads(json.dumps(data)),  # as the database gives it back (lists, not tuples)
        prev_hash=head.hash or signing.GENESIS,
        key_id=signer.key_id,
    )
    record.hash = signing.record_hash(record)
    record.signature = signer.sign(record.hash)
    record.save()
    AuditHead.objects.filter(pk=head.pk).update(seq=record.seq, hash=record.hash)
    return record


@dataclass(frozen=True)
class Tryout:
    """What a Run-box run is logged as (it has no submission): the same attributes a Submission has."""

    tenant_id: int
    user_id: int
    language: str
    source: str
    id: None = None


def _execution(of, *, kind: str, record: dict) -> AuditRecord:
    """`of`: the Submission being judged, or a Tryout."""
    return audit_append(
        kind=kind,
        tenant_id=of.tenant_id,
        user_id=of.user_id,
        submission_id=of.id,
        data={**record, **({"tryout": True} if isinstance(of, Tryout) else {})},
    )


def compile_logged(*, submission, compiled: sandbox.CompileResult) -> None:
    """A compile (or syntax check) of a submission or Tryout; nothing for a language without one."""
    if compiled.result is None:
        return
    record = records.compile_record(
        language=submission.language, source=submission.source, result=compiled.result
    )
    _execution(submission, kind=AuditRecord.Kind.COMPILE, record=record)


def run_logged(
    *, submission, test_case_id: int | None, order: int, limits: sandbox.Limits, input_data: bytes, run
) -> None:
    """One run of a submission (a test) or a Tryout (order 0), whatever came of it (an internal error too)."""
    record = records.run_record(
        language=submission.language,
        source=submission.source,
        limits=limits,
        result=run,
        test=order,
        test_case_id=test_case_id,
        input_data=input_data,
    )
    _execution(submission, kind=AuditRecord.Kind.RUN, record=record)


def host_execution_logged(
    *, submission, kind: str, host_name: str, record: dict, key_id: str, signature: str
):
    """A compile or run a judge host did, as it described it and signed it: the record is kept whole,
    with the host's signature, so the log proves which host said what ran (judge/audit/verify.py)."""
    audit_append(
        kind=kind,
        tenant_id=submission.tenant_id,
        user_id=submission.user_id,
        submission_id=submission.id,
        host=host_name,
        data={**record, signing.HOST_KEY_FIELD: key_id, signing.HOST_SIGNATURE_FIELD: signature},
    )


DETAIL_LIMIT = 500  # characters of one detail (a statement's text is not the log's to keep)


def _detail(value):
    return value if isinstance(value, int | float) else str(value)[:DETAIL_LIMIT]


def staff_action_record(*, action: str, tenant_id, target: str, actor, details: dict, **_) -> None:
    """The receiver of accounts.audit.staff_action (connected in judge.apps)."""
    audit_append(
        kind=AuditRecord.Kind.STAFF,
        action=action,
        tenant_id=tenant_id,
        user_id=actor.pk if actor is not None else None,
        data={
            "target": target,
            "actor": actor.get_username() if actor is not None else "(system)",
            **{key: _detail(value) for key, value in details.items()},
        },
    )
