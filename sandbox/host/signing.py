"""How a judge host proves who it is and what it ran; the site checks with the same functions.

- Its **token** authenticates its requests; the site keeps only `token_hash`.
- Its **signing key** (Ed25519, made on the host, never sent) signs every result message, over the exact
  body bytes, and every execution record inside one. The site pins the public key the host announces in
  its first heartbeat; it can verify what the host said but cannot say it in the host's name.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sandbox.signing import canonical, key_file_load, key_id_of, private_key, public_b64, sign_b64

SIGNATURE_HEADER = "X-Judge-Signature"
HOST_KEY_PREFIX = "host-"


def token_hash(token: str) -> str:
    return hashlib.sha256(b"judge-host-auth:" + token.encode()).hexdigest()


def host_key_id(public_key: str) -> str:
    """How the execution log names a host's key."""
    return key_id_of(public_key, HOST_KEY_PREFIX)


@dataclass(frozen=True)
class HostKey:
    public_key: str
    _private: object

    @classmethod
    def load(cls, path: Path) -> "HostKey":
        """The host's key kept in `path` (made there on first use)."""
        key = private_key(key_file_load(path))
        return cls(public_b64(key), key)

    @property
    def key_id(self) -> str:
        return host_key_id(self.public_key)

    def sign(self, data: bytes) -> str:
        return sign_b64(self._private, data)

    def record_sign(self, record: dict) -> str:
        return self.sign(canonical(record))
