"""Winnowing (Schleimer, Wilkerson and Aiken, 2003: the method behind MOSS), on normalised tokens.

Every k consecutive tokens are hashed; in each window of w consecutive hashes the smallest is kept (the
rightmost on ties), once per position. Any match of at least w + k - 1 tokens shares a fingerprint, and
nothing shorter than k tokens does. Plain Python, no Django.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

K = 12  # tokens per k-gram: shorter matches (one `for` header) are common in honest code
W = 6  # window: a copied run of W + K - 1 = 17 tokens is always found


@dataclass(frozen=True)
class Fingerprint:
    hash: int
    position: int  # index of the k-gram's first token


def kgram_hashes(tokens: Sequence[str], *, k: int = K) -> list[int]:
    hashes = []
    for start in range(len(tokens) - k + 1):
        digest = hashlib.blake2b("\x1f".join(tokens[start : start + k]).encode(), digest_size=8).digest()
        hashes.append(int.from_bytes(digest, "big"))
    return hashes


def winnow(hashes: Sequence[int], *, w: int = W) -> list[Fingerprint]:
    """The fingerprints of a hash sequence; a sequence shorter than one window keeps its minimum."""
    if not hashes:
        return []
    picked: list[Fingerprint] = []
    last = -1
    for start in range(max(1, len(hashes) - w + 1)):
        window = hashes[start : start + w]
        low = min(window)
        position = start + max(i for i, value in enumerate(window) if value == low)
        if position != last:
            picked.append(Fingerprint(hash=low, position=position))
            last = position
    return picked


def fingerprints(tokens: Sequence[str], *, k: int = K, w: int = W) -> list[Fingerprint]:
    return winnow(kgram_hashes(tokens, k=k), w=w)


def similarity(a: Sequence[Fingerprint], b: Sequence[Fingerprint]) -> float:
    """Shared fingerprints over the fingerprints of the smaller side: 1.0 when one is inside the other."""
    hashes_a, hashes_b = {f.hash for f in a}, {f.hash for f in b}
    if not hashes_a or not hashes_b:
        return 0.0
    return len(hashes_a & hashes_b) / min(len(hashes_a), len(hashes_b))


def matched_spans(a: Sequence[Fingerprint], b: Sequence[Fingerprint], *, k: int = K) -> tuple[list, list]:
    """Token ranges [start, end) of each side covered by a k-gram whose hash the other side shares,
    merged where they touch or overlap."""
    shared = {f.hash for f in a} & {f.hash for f in b}
    return _merge([(f.position, f.position + k) for f in a if f.hash in shared]), _merge(
        [(f.position, f.position + k) for f in b if f.hash in shared]
    )


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
