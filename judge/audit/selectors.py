"""Reading the execution log: a submission's trace for its staff, and the records to export."""

import datetime as dt
from collections.abc import Iterator

from judge.audit import signing
from judge.audit.models import AuditRecord


def execution_trace_for(*, submission_id: int) -> list[AuditRecord]:
    """What ran for a submission, where and under which limits (every judging of it, oldest first).
    For the submission's staff only: the caller checks (submission_is_staff_viewer)."""
    kinds = (AuditRecord.Kind.COMPILE, AuditRecord.Kind.RUN)
    return list(AuditRecord.objects.filter(submission_id=submission_id, kind__in=kinds).order_by("seq"))


def audit_export_rows(*, since: dt.datetime | None = None) -> Iterator[dict]:
    """Each record as audit_export writes it: what its hash covers, plus the hash and the signature."""
    records = AuditRecord.objects.order_by("seq")
    if since is not None:
        records = records.filter(at__gte=since)
    for record in records.iterator(chunk_size=2000):
        yield {**signing.record_body(record), "hash": record.hash, "signature": record.signature}
