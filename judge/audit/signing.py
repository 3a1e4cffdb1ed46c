"""Hashing and signing records: what a record's hash covers, this machine's key, and checking signatures."""

import datetime as dt
import hashlib
import socket
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sandbox import signing as keys

GENESIS = "0" * 64  # the prev_hash of record 1
# Every column a record's hash covers: all of them but the hash and the signature.
CHAINED_FIELDS = (
    "seq",
    "at",
    "kind",
    "action",
    "host",
    "tenant_id",
    "user_id",
    "submission_id",
    "data",
    "prev_hash",
    "key_id",
)
# A record a judge host made carries the host's own signature of the rest of its data in these two fields.
HOST_KEY_FIELD, HOST_SIGNATURE_FIELD = "host_key_id", "host_signature"


def _at(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def record_body(record) -> dict:
    """The record as its hash sees it (also what audit_export writes, with hash and signature)."""
    body = {name: getattr(record, name) for name in CHAINED_FIELDS}
    body["at"] = _at(record.at)
    return body


def record_hash(record) -> str:
    return hashlib.sha256(keys.canonical(record_body(record))).hexdigest()


@dataclass(frozen=True)
class Signer:
    key_id: str
    public_key: str  # base64, raw 32 bytes
    host: str
    private: Ed25519PrivateKey

    def sign(self, digest: str) -> str:
        return keys.sign_b64(self.private, digest.encode())


def _key_from_file(path: Path) -> bytes:
    """The single-machine default: made once, 0600, under var/."""
    try:
        return keys.key_file_load(path)
    except keys.KeyFileError as exc:
        raise ImproperlyConfigured(str(exc)) from None


@lru_cache(maxsize=4)
def _signer(raw: bytes, key_id: str, host: str) -> Signer:
    private = keys.private_key(raw)
    public = keys.public_b64(private)
    return Signer(key_id or keys.key_id_of(public), public, host, private)


def signer_get() -> Signer:
    """This machine's signer: JUDGE_AUDIT_SIGNING_KEY, else the key kept in JUDGE_AUDIT_KEY_FILE."""
    raw = settings.JUDGE_AUDIT_SIGNING_KEY or _key_from_file(settings.JUDGE_AUDIT_KEY_FILE)
    return _signer(raw, settings.JUDGE_AUDIT_KEY_ID, socket.gethostname())


def trusted_keys_from_settings() -> dict[str, str]:
    """JUDGE_AUDIT_PUBLIC_KEYS as {key id: base64 public key}; {} when unset."""
    trusted = {}
    for item in settings.JUDGE_AUDIT_PUBLIC_KEYS:
        key_id, sep, public = item.partition("=")
        if not sep or not key_id.strip() or not public.strip():
            raise ImproperlyConfigured(
                f"JUDGE_AUDIT_PUBLIC_KEYS entries look like key_id=base64, got {item!r}"
            )
        trusted[key_id.strip()] = public.strip()
    return trusted


def signature_valid(*, public_key: str, digest: str, signature: str) -> bool:
    return keys.signature_valid(public_key=public_key, data=digest.encode(), signature=signature)


def host_signature_problem(data: dict, trusted: dict[str, str]) -> str:
    """What is wrong with the judge host's signature `data` carries; "" when valid or when it has none."""
    if HOST_SIGNATURE_FIELD not in data:
        return ""
    key_id = data.get(HOST_KEY_FIELD)
    public = trusted.get(key_id)
    if public is None:
        return f"is signed by an unknown judge host key {key_id!r}"
    said = {name: value for name, value in data.items() if name not in (HOST_KEY_FIELD, HOST_SIGNATURE_FIELD)}
    signature = data[HOST_SIGNATURE_FIELD]
    if not keys.signature_valid(public_key=public, data=keys.canonical(said), signature=signature):
        return f"does not match what judge host key {key_id!r} signed"
    return ""
