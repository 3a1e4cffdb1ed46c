"""The execution records inside a judge host's messages: checked against the host's own key, bound to
their job, logged whole, and read back as the run's figures."""

import math

import sandbox
from judge.audit import services as audit
from judge.audit.models import AuditRecord
from judge.hosts.errors import HostRefused
from judge.hosts.models import JudgeHost, JudgeJob
from sandbox import signing


def number(message: dict, key: str, *, optional: bool = False) -> float | None:
    value = message.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise HostRefused(400, f"a result needs a number {key!r}")
    return value


def int_or_none(message: dict, key: str) -> int | None:
    value = message.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise HostRefused(400, f"{key!r} is a whole number or null")
    return value


def record_apply(
    *,
    host: JudgeHost,
    job: JudgeJob,
    of,
    message: dict,
    kind: str,
    test: tuple[int, int | None] | None = None,
) -> sandbox.RunResult:
    """The run's figures from the execution record inside `message`, once it is checked (the host's
    signature, bound to this job and, for a run, to `test`: its order and TestCase id, figures that are
    numbers) and put in the execution log whole. `of`: the Submission, or an audit Tryout."""
    record, signature = message.get("record"), message.get("record_signature")
    if not isinstance(record, dict) or not isinstance(signature, str):
        raise HostRefused(400, "a compile or test result carries its signed execution record")
    if not signing.signature_valid(
        public_key=host.public_key, data=signing.canonical(record), signature=signature
    ):
        raise HostRefused(403, "the execution record's signature does not match this host's key")
    if record.get("job") != job.id or record.get("submission") != job.submission_id:
        raise HostRefused(400, "the execution record is of another job")
    if kind == AuditRecord.Kind.RUN and (record.get("test"), record.get("test_case_id")) != test:
        raise HostRefused(400, "the execution record is of another test")
    run = _run(record)
    audit.host_execution_logged(
        submission=of,
        kind=kind,
        host_name=host.worker_name,
        record=record,
        key_id=sandbox.host_key_id(host.public_key),
        signature=signature,
    )
    return run


def _run(record: dict) -> sandbox.RunResult:
    """The run's figures as the host measured them."""
    try:
        outcome = sandbox.Outcome(record.get("outcome"))
    except ValueError:
        raise HostRefused(400, "the execution record has no known outcome") from None
    return sandbox.RunResult(
        outcome,
        exit_code=int_or_none(record, "exit_code"),
        signal=int_or_none(record, "signal"),
        cpu_time=number(record, "cpu_time"),
        wall_time=number(record, "wall_time"),
        memory=int(number(record, "memory")),
    )
