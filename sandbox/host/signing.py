"""How a judge host proves who it is and what it reported; the site verifies with the same functions.

The token authenticates requests (the site keeps only `token_hash`); results are signed with HMAC-SHA256
under a key derived from the token (the site keeps that key, not the token), over the exact body bytes.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Judge-Signature"


def token_hash(token: str) -> str:
    return hashlib.sha256(b"judge-host-auth:" + token.encode()).hexdigest()


def signing_key(token: str) -> str:
    return hmac.new(token.encode(), b"judge-host-signing", hashlib.sha256).hexdigest()


def message_sign(*, key: str, body: bytes) -> str:
    return hmac.new(bytes.fromhex(key), body, hashlib.sha256).hexdigest()


def message_verify(*, key: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(message_sign(key=key, body=body), signature or "")
