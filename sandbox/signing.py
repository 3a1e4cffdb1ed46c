"""Ed25519 keys and signatures, Django-free: the judge host signs its results and execution records with
them, and the site's execution log signs its chain with the same primitives.

A key file holds base64 of a raw 32-byte private key, 0600, made once (the first process to make it wins).
"""

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


class KeyFileError(ValueError):
    """A key file that does not hold base64 of a 32-byte Ed25519 private key."""


def key_file_load(path: Path) -> bytes:
    """The raw private key kept in `path`, made there first if the file does not exist."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(base64.b64encode(os.urandom(32)).decode() + "\n")
        try:
            os.link(draft, path)  # whole or not at all
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    try:
        raw = base64.b64decode(path.read_text().strip(), validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise KeyFileError(f"{path} must hold base64 of a 32-byte Ed25519 key")
    return raw


def private_key(raw: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_b64(key: Ed25519PrivateKey) -> str:
    """The public half as base64 of its raw 32 bytes (how keys are published and compared)."""
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def key_id_of(public_key: str, prefix: str = "k-") -> str:
    """A short stable name for a public key."""
    return prefix + hashlib.sha256(public_key.encode()).hexdigest()[:16]


def sign_b64(key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data)).decode()


def signature_valid(*, public_key: str, data: bytes, signature: str) -> bool:
    """Whether `signature` (base64) is the holder of `public_key` (base64) signing exactly `data`."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(signature or "", validate=True), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def canonical(value) -> bytes:
    """One byte string per JSON value (sorted keys, no spaces, UTF-8): what a signed record's signature
    covers, so it still verifies after a database has stored and reordered it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
