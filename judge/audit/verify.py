"""Walking the chain: every record in place, unaltered, linked to the one before and validly signed."""

import datetime as dt
from dataclasses import dataclass

from judge.audit import signing
from judge.audit.models import AuditHead, AuditKey, AuditRecord


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: str = ""  # the first thing wrong, naming its record; "" when the chain holds

    @property
    def ok(self) -> bool:
        return not self.problem


def _keys() -> dict[str, str]:
    """JUDGE_AUDIT_PUBLIC_KEYS when set (then the database is not trusted for keys), else the key table."""
    return signing.trusted_keys_from_settings() or dict(AuditKey.objects.values_list("key_id", "public_key"))


def _start(records, since: dt.datetime | None) -> tuple[int, str]:
    """(seq, prev_hash) the walk expects first."""
    if since is None:
        return 1, signing.GENESIS
    first = records.values_list("seq", flat=True).first()
    if first is None or first == 1:
        return 1, signing.GENESIS
    before = AuditRecord.objects.filter(seq=first - 1).values_list("hash", flat=True).first()
    return first, before or ""


def _problem(record: AuditRecord, *, seq: int, prev_hash: str, keys: dict[str, str]) -> str:
    if record.seq != seq:
        missing = f"{seq}" if record.seq == seq + 1 else f"{seq} to {record.seq - 1}"
        return f"record {missing} missing: removed from the log (the next present is {record.seq})"
    if record.prev_hash != prev_hash:
        return f"record {seq} does not follow record {seq - 1}: the log was re-ordered or records replaced"
    if signing.record_hash(record) != record.hash:
        return f"record {seq} was altered: its contents do not match its hash"
    public = keys.get(record.key_id)
    if public is None:
        return f"record {seq} is signed with an unknown key {record.key_id!r}"
    if not signing.signature_valid(public_key=public, digest=record.hash, signature=record.signature):
        return f"record {seq} has a forged signature (key {record.key_id!r})"
    if problem := signing.host_signature_problem(record.data, keys):
        return f"record {seq} {problem}"
    return ""


def audit_chain_verify(*, since: dt.datetime | None = None) -> ChainReport:
    """Check the records from `since` (all by default) to the end, and that none is missing after them."""
    records = AuditRecord.objects.order_by("seq")
    if since is not None:
        records = records.filter(at__gte=since)
    keys = _keys()
    seq, prev_hash = _start(records, since)
    checked = 0
    for record in records.iterator(chunk_size=2000):
        if problem := _problem(record, seq=seq, prev_hash=prev_hash, keys=keys):
            return ChainReport(checked, problem)
        seq, prev_hash, checked = seq + 1, record.hash, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.seq >= seq:
        return ChainReport(
            checked, f"record {seq} missing: the log ends at {seq - 1} but its head says {head.seq}"
        )
    return ChainReport(checked)
