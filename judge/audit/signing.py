"""Hashing and signing records: what a record's hash covers, this machine's key, and checking signatures."""

import base64
import datetime as dt
import hashlib
import json
import os
import socket
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

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


def _at(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def record_body(record) -> dict:
    """The record as its hash sees it (also what audit_export writes, with hash and signature)."""
    body = {name: getattr(record, name) for name in CHAINED_FIELDS}
    body["at"] = _at(record.at)
    return body


def record_hash(record) -> str:
    canonical = json.dumps(record_body(record), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _public_b64(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


@dataclass(frozen=True)
class Signer:
    key_id: str
    public_key: str  # base64, raw 32 bytes
    host: str
    private: Ed25519PrivateKey

    def sign(self, digest: str) -> str:
        return base64.b64encode(self.private.sign(digest.encode())).decode()


def _key_from_file(path: Path) -> bytes:
    """The single-machine default: made once, 0600, under var/."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(base64.b64encode(os.urandom(32)).decode() + "\n")
        try:
            os.link(draft, path)  # whole or not at all; the first process to get here wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    raw = base64.b64decode(path.read_text().strip())
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{path} must hold base64 of a 32-byte Ed25519 key")
    return raw


@lru_cache(maxsize=4)
def _signer(raw: bytes, key_id: str, host: str) -> Signer:
    private = Ed25519PrivateKey.from_private_bytes(raw)
    public = _public_b64(private)
    return Signer(key_id or "k-" + sha256_hex(public)[:16], public, host, private)


def signer_get() -> Signer:
    """This machine's signer: JUDGE_AUDIT_SIGNING_KEY, else the key kept in JUDGE_AUDIT_KEY_FILE."""
    raw = settings.JUDGE_AUDIT_SIGNING_KEY or _key_from_file(settings.JUDGE_AUDIT_KEY_FILE)
    return _signer(raw, settings.JUDGE_AUDIT_KEY_ID, socket.gethostname())


def trusted_keys_from_settings() -> dict[str, str]:
    """JUDGE_AUDIT_PUBLIC_KEYS as {key id: base64 public key}; {} when unset."""
    keys = {}
    for item in settings.JUDGE_AUDIT_PUBLIC_KEYS:
        key_id, sep, public = item.partition("=")
        if not sep or not key_id.strip() or not public.strip():
            raise ImproperlyConfigured(
                f"JUDGE_AUDIT_PUBLIC_KEYS entries look like key_id=base64, got {item!r}"
            )
        keys[key_id.strip()] = public.strip()
    return keys


def signature_valid(*, public_key: str, digest: str, signature: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(signature), digest.encode())
    except (InvalidSignature, ValueError):
        return False
    return True
