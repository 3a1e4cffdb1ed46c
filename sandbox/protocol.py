"""The wire format between the host and boxinit (see images/base/boxinit.c), and Docker's stream framing."""

import math
import re
import socket
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from sandbox.types import RunRequest, SourceFile

CHUNK = 64 * 1024
_SAFE_NAME = re.compile(r"^(?!/)(?!.*(^|/)\.\.?(/|$))[^\n\x00]{1,200}$")


class CappedBuffer:
    """Keeps at most `cap` bytes; `add` says False once more than that arrived."""

    def __init__(self, cap: int):
        self.cap = cap
        self._parts: list[bytes] = []
        self.size = 0

    def add(self, payload: bytes) -> bool:
        room = self.cap - self.size
        if room > 0:
            self._parts.append(payload[:room])
        self.size += len(payload)
        return self.size <= self.cap

    @property
    def data(self) -> bytes:
        return b"".join(self._parts)


def stdout_cap(request: RunRequest) -> int:
    if request.collect:
        return request.limits.output + 8 * request.limits.file_size
    return request.limits.output


def _check_name(name: str) -> str:
    if not _SAFE_NAME.fullmatch(name):
        raise ValueError(f"unsafe file name for the box: {name!r}")
    return name


def header(request: RunRequest, nonce: str) -> bytes:
    limits = request.limits
    lines = [
        f"OJBOX1 {nonce}",
        f"L {math.ceil(limits.cpu_time) + 1} {limits.file_size} {limits.open_files} {limits.memory}",
        f"M {int(request.merge_stderr)}",
    ]
    lines += [f"C {_check_name(path)}" for path in request.collect]
    return ("\n".join(lines) + "\n").encode()


def stdin_stream(request: RunRequest, nonce: str) -> Iterator[bytes]:
    yield header(request, nonce)
    for file in request.files:
        mode = 0o755 if file.executable or _looks_executable(file.data) else 0o644
        yield f"F {mode:o} {len(file.data)} {_check_name(file.name)}\n".encode()
        yield from _chunks(file.data)
    yield b"E\n"
    yield from _chunks(request.stdin)


def _looks_executable(data: bytes) -> bool:
    return data[:4] == b"\x7fELF" or data[:2] == b"#!"


def _chunks(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(data), CHUNK):
        yield bytes(view[start : start + CHUNK])


def frames(raw: socket.socket) -> Iterator[tuple[int, bytes]]:
    """Docker's multiplexed attach stream: 8-byte header (stream id, size) then the payload."""
    reader = raw.makefile("rb", buffering=CHUNK)
    while True:
        head = reader.read(8)
        if len(head) < 8:
            return
        stream, size = struct.unpack(">BxxxL", head)
        payload = reader.read(size)
        yield stream, payload
        if len(payload) < size:
            return


@dataclass(frozen=True)
class End:
    kind: str  # exit | signal | execfail
    value: int
    at: float | None = field(default=None, compare=False)  # CLOCK_MONOTONIC seconds when the program ended


def split_status(stderr: bytes, nonce: str) -> tuple[End | None, bytes]:
    """The program's stderr, and boxinit's status line if it is there (only the real nonce counts)."""
    marker = f"\nOJEND {nonce} ".encode()
    at = stderr.rfind(marker)
    if at < 0:
        return None, stderr
    fields = stderr[at + len(marker) :].split()
    if len(fields) < 2 or not re.fullmatch(rb"-?\d+", fields[1]):
        return None, stderr[:at]
    ended = float(fields[2]) if len(fields) > 2 and re.fullmatch(rb"\d+\.\d+", fields[2]) else None
    return End(fields[0].decode(errors="replace"), int(fields[1]), ended), stderr[:at]


def split_artifacts(stdout: bytes, nonce: str) -> tuple[tuple[SourceFile, ...], bytes]:
    marker = f"OJART {nonce}\n".encode()
    at = stdout.rfind(marker)
    if at < 0:
        return (), stdout
    return _parse_files(stdout[at + len(marker) :]), stdout[:at]


def _parse_files(data: bytes) -> tuple[SourceFile, ...]:
    files, pos = [], 0
    while data.startswith(b"F ", pos):
        end = data.index(b"\n", pos)
        _, mode, size, name = data[pos:end].decode().split(" ", 3)
        body = data[end + 1 : end + 1 + int(size)]
        files.append(SourceFile(_check_name(name), body, executable=bool(int(mode, 8) & 0o100)))
        pos = end + 1 + int(size)
    return tuple(files)
