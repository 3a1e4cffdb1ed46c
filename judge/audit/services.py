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


def _key_register(signer: signing.Signer) -> None:
    """Publish this machine's public key beside its records, so anyone can check them."""
    key, _ = AuditKey.objects.get_or_create(
        key_id=signer.key_id, defaults={"public_key": signer.public_key, "host": signer.host}
    )
    if key.public_key != signer.public_key:
        raise RuntimeError(f"audit key id {signer.key_id!r} is registered with another public key")


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
) -> AuditRecord:
    signer = signing.signer_get()
    _key_register(signer)
    head = _head_lock()
    record = AuditRecord(
        seq=head.seq + 1,
        at=timezone.now(),
        kind=kind,
        action=action,
        host=socket.gethostname(),
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


def _limits(limits: sandbox.Limits) -> dict:
    return {
        "cpu_time": limits.cpu_time,
        "wall_time": limits.wall,
        "memory": limits.memory,
        "processes": limits.processes,
        "output": limits.output,
        "file_size": limits.file_size,
        "open_files": limits.open_files,
    }


def _result(result: sandbox.RunResult) -> dict:
    return {
        "outcome": str(result.outcome),
        "cpu_time": result.cpu_time,
        "wall_time": result.wall_time,
        "memory": result.memory,
        "exit_code": result.exit_code,
        "signal": result.signal,
    }


@dataclass(frozen=True)
class Tryout:
    """What a Run-box run is logged as (it has no submission): the same attributes a Submission has."""

    tenant_id: int
    user_id: int
    language: str
    source: str
    id: None = None


def _execution(of, *, kind: str, limits: sandbox.Limits, result: sandbox.RunResult, **data):
    """`of`: the Submission being judged, or a Tryout."""
    return audit_append(
        kind=kind,
        tenant_id=of.tenant_id,
        user_id=of.user_id,
        submission_id=of.id,
        data={
            "language": of.language,
            "image": sandbox.language_get(of.language).image,  # the tag: digests cost a call
            "limits": _limits(limits),
            **_result(result),
            "source_sha256": signing.sha256_hex(of.source),
            **({"tryout": True} if isinstance(of, Tryout) else {}),
            **data,
        },
    )


def compile_logged(*, submission, compiled: sandbox.CompileResult) -> None:
    """A compile (or syntax check) of a submission or Tryout; nothing for a language without one."""
    if compiled.result is None:
        return
    output = compiled.result.stdout + compiled.result.stderr
    _execution(
        submission,
        kind=AuditRecord.Kind.COMPILE,
        limits=sandbox.COMPILE_LIMITS,
        result=compiled.result,
        output_sha256=signing.sha256_hex(output),
    )


def run_logged(
    *, submission, test_case_id: int | None, order: int, limits: sandbox.Limits, input_data: bytes, run
) -> None:
    """One run of a submission (a test) or a Tryout (order 0), whatever came of it (an internal error too)."""
    _execution(
        submission,
        kind=AuditRecord.Kind.RUN,
        limits=limits,
        result=run,
        test=order,
        test_case_id=test_case_id,
        input_sha256=signing.sha256_hex(input_data),
        output_sha256=signing.sha256_hex(run.stdout),
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
