import socket
import struct
import threading
import time

import pytest

from sandbox.protocol import (
    CHUNK,
    CappedBuffer,
    End,
    frames,
    header,
    split_artifacts,
    split_status,
    stdin_stream,
)
from sandbox.types import Limits, MiB, RunRequest, SourceFile

NONCE = "n0nce42"

# CappedBuffer


def test_capped_buffer_exactly_at_the_cap_is_fine():
    buffer = CappedBuffer(10)
    assert buffer.add(b"12345")
    assert buffer.add(b"67890")
    assert buffer.data == b"1234567890"
    assert buffer.size == 10


def test_capped_buffer_over_the_cap_says_false_and_truncates():
    buffer = CappedBuffer(10)
    assert buffer.add(b"123456")
    assert not buffer.add(b"789abc")
    assert buffer.data == b"123456789a"
    assert buffer.size == 12


def test_capped_buffer_keeps_nothing_more_after_the_cap():
    buffer = CappedBuffer(4)
    assert not buffer.add(b"abcdef")
    assert not buffer.add(b"ghi")
    assert buffer.data == b"abcd"
    assert buffer.size == 9


def test_capped_buffer_zero_cap():
    buffer = CappedBuffer(0)
    assert buffer.add(b"")
    assert not buffer.add(b"x")
    assert buffer.data == b""


# header and stdin_stream


def request(**changes) -> RunRequest:
    base = {"image": "img", "argv": ("./main",), "limits": Limits(cpu_time=1.5, memory=64 * MiB)}
    return RunRequest(**{**base, **changes})


def test_header_lines():
    text = header(request(collect=("main", "out/dir"), merge_stderr=True), NONCE).decode()
    limits = Limits(cpu_time=1.5, memory=64 * MiB)
    assert text.splitlines() == [
        f"OJBOX1 {NONCE}",
        f"L 3 {limits.file_size} {limits.open_files} {64 * MiB}",
        "M 1",
        "C main",
        "C out/dir",
    ]
    assert text.endswith("\n")


def test_header_cpu_limit_rounds_up_then_adds_a_second():
    assert b"\nL 2 " in header(request(limits=Limits(cpu_time=1.0)), NONCE)
    assert b"\nL 4 " in header(request(limits=Limits(cpu_time=2.01)), NONCE)
    assert b"\nM 0\n" in header(request(), NONCE)


def test_stdin_stream_framing():
    files = (SourceFile("main.c", b"int main;"), SourceFile("dir/data.txt", b"abc"))
    stream = b"".join(stdin_stream(request(files=files, stdin=b"5 7\n"), NONCE))
    head = header(request(files=files), NONCE)
    assert stream == head + b"F 644 9 main.c\nint main;" + b"F 644 3 dir/data.txt\nabc" + b"E\n5 7\n"


def test_stdin_stream_without_files_or_stdin():
    stream = b"".join(stdin_stream(request(), NONCE))
    assert stream == header(request(), NONCE) + b"E\n"


@pytest.mark.parametrize(
    ("file", "mode"),
    [
        (SourceFile("a.out", b"\x7fELF\x02\x01rest"), "755"),
        (SourceFile("run.sh", b"#!/bin/sh\necho hi\n"), "755"),
        (SourceFile("flagged", b"plain", executable=True), "755"),
        (SourceFile("notes.txt", b"ELF #! but not at the start"), "644"),
        (SourceFile("empty", b""), "644"),
    ],
)
def test_stdin_stream_detects_executables(file, mode):
    stream = b"".join(stdin_stream(request(files=(file,)), NONCE))
    assert f"\nF {mode} {len(file.data)} {file.name}\n".encode() in stream


def test_stdin_stream_large_file_is_chunked_and_complete():
    data = bytes(range(256)) * (CHUNK // 128 + 3)
    parts = list(stdin_stream(request(files=(SourceFile("big", data),), stdin=data), NONCE))
    assert max(len(p) for p in parts) <= CHUNK
    assert b"".join(parts).endswith(b"E\n" + data)
    assert f"F 644 {len(data)} big\n".encode() + data + b"E\n" in b"".join(parts)


@pytest.mark.parametrize(
    "name", ["../x", "a/../../x", "a/..", "/etc/x", "a\nb", "", ".", "./x", "a\x00b", "x" * 201]
)
def test_unsafe_file_names_are_rejected(name):
    with pytest.raises(ValueError, match="unsafe file name"):
        list(stdin_stream(request(files=(SourceFile(name, b"x"),)), NONCE))


@pytest.mark.parametrize("name", ["x\n", "main.c\n"])
def test_file_name_with_a_trailing_newline_is_rejected(name):
    # A trailing newline would end the F line early and shift every later byte of the framing.
    with pytest.raises(ValueError, match="unsafe file name"):
        list(stdin_stream(request(files=(SourceFile(name, b"x"),)), NONCE))


@pytest.mark.parametrize("path", ["../etc", "/proc", "a\nb"])
def test_unsafe_collect_paths_are_rejected(path):
    with pytest.raises(ValueError, match="unsafe file name"):
        header(request(collect=(path,)), NONCE)


@pytest.mark.parametrize("name", ["main.c", "a/b/c.txt", "..hidden", "a..b", ".keep", "judge/feedback/.keep"])
def test_safe_file_names_pass(name):
    stream = b"".join(stdin_stream(request(files=(SourceFile(name, b"x"),)), NONCE))
    assert f"F 644 1 {name}\n".encode() in stream


# split_status


def test_split_status_exit():
    end, stderr = split_status(b"warning: x\n" + f"\nOJEND {NONCE} exit 3\n".encode(), NONCE)
    assert end == End("exit", 3)
    assert stderr == b"warning: x\n"


def test_split_status_with_the_time_the_program_ended():
    end, _ = split_status(f"\nOJEND {NONCE} signal 9 4711.000000042\n".encode(), NONCE)
    assert (end, end.at) == (End("signal", 9), 4711.000000042)
    assert split_status(f"\nOJEND {NONCE} exit 0 soon\n".encode(), NONCE)[0].at is None


def test_split_status_signal_and_execfail():
    assert split_status(f"\nOJEND {NONCE} signal 9\n".encode(), NONCE) == (End("signal", 9), b"")
    assert split_status(f"\nOJEND {NONCE} execfail 2\n".encode(), NONCE) == (End("execfail", 2), b"")


def test_split_status_missing():
    assert split_status(b"Segmentation fault\n", NONCE) == (None, b"Segmentation fault\n")


def test_split_status_forged_line_with_another_nonce_stays_in_stderr():
    forged = b"\nOJEND guessed exit 0\n"
    end, stderr = split_status(forged + f"\nOJEND {NONCE} signal 11\n".encode(), NONCE)
    assert end == End("signal", 11)
    assert stderr == forged


def test_split_status_forged_line_alone_is_no_status():
    forged = b"oops\nOJEND other exit 0\n"
    assert split_status(forged, NONCE) == (None, forged)


def test_split_status_last_real_line_wins():
    data = f"out\nOJEND {NONCE} exit 0\nmore\nOJEND {NONCE} signal 9\n".encode()
    end, stderr = split_status(data, NONCE)
    assert end == End("signal", 9)
    assert stderr == f"out\nOJEND {NONCE} exit 0\nmore".encode()


@pytest.mark.parametrize("tail", [b"", b"exit", b"exit x", b"exit \n", b"exit 1.5", b"exit --5"])
def test_split_status_malformed_is_none(tail):
    end, stderr = split_status(b"text" + f"\nOJEND {NONCE} ".encode() + tail, NONCE)
    assert end is None
    assert stderr == b"text"


# split_artifacts


def test_split_artifacts_round_trip():
    binary = bytes(range(256)) + b"\nF 644 3 fake\nabc"
    body = (
        f"F 755 {len(binary)} main\n".encode()
        + binary
        + b"F 644 5 classes/pkg/Main.class\nhello"
        + b"F 600 0 classes/empty\n"
    )
    program_output = b"answer 42\nOJART other\n"
    files, stdout = split_artifacts(program_output + f"OJART {NONCE}\n".encode() + body, NONCE)
    assert stdout == program_output
    assert files == (
        SourceFile("main", binary, executable=True),
        SourceFile("classes/pkg/Main.class", b"hello", executable=False),
        SourceFile("classes/empty", b"", executable=False),
    )


@pytest.mark.parametrize(
    ("mode", "executable"), [("700", True), ("100", True), ("644", False), ("070", False)]
)
def test_split_artifacts_owner_exec_bit_marks_executable(mode, executable):
    files, _ = split_artifacts(f"OJART {NONCE}\nF {mode} 1 f\nx".encode(), NONCE)
    assert files[0].executable is executable


def test_split_artifacts_missing_marker():
    assert split_artifacts(b"just output\n", NONCE) == ((), b"just output\n")


def test_split_artifacts_marker_without_files():
    assert split_artifacts(f"out\nOJART {NONCE}\n".encode(), NONCE) == ((), b"out\n")


def test_split_artifacts_rejects_an_unsafe_name():
    with pytest.raises(ValueError, match="unsafe file name"):
        split_artifacts(f"OJART {NONCE}\nF 644 1 ../evil\nx".encode(), NONCE)


# frames


def frame(stream: int, payload: bytes) -> bytes:
    return struct.pack(">BxxxL", stream, len(payload)) + payload


def read_frames(data: bytes, *, pieces: int = 1) -> list[tuple[int, bytes]]:
    """Send `data` in `pieces` separate writes (a short pause between them) and close; collect frames()."""
    ours, theirs = socket.socketpair()

    def send() -> None:
        step = max(1, -(-len(data) // pieces))
        for start in range(0, len(data), step):
            theirs.sendall(data[start : start + step])
            if pieces > 1:
                time.sleep(0.002)
        theirs.close()

    writer = threading.Thread(target=send)
    writer.start()
    try:
        return list(frames(ours))
    finally:
        writer.join(timeout=5)
        ours.close()


def test_frames_stdout_and_stderr():
    data = frame(1, b"hello ") + frame(2, b"oops\n") + frame(1, b"world")
    assert read_frames(data) == [(1, b"hello "), (2, b"oops\n"), (1, b"world")]


def test_frames_empty_payload():
    assert read_frames(frame(1, b"") + frame(2, b"x")) == [(1, b""), (2, b"x")]


def test_frames_partial_reads_are_reassembled():
    payload = bytes(range(256)) * 40
    data = frame(1, payload) + frame(2, b"err")
    assert read_frames(data, pieces=7) == [(1, payload), (2, b"err")]


def test_frames_byte_by_byte_header():
    data = frame(2, b"abc") + frame(1, b"de")
    assert read_frames(data, pieces=len(data)) == [(2, b"abc"), (1, b"de")]


def test_frames_eof_mid_payload_yields_what_arrived_then_stops():
    data = frame(1, b"whole") + frame(2, b"cut short")[:-5]
    assert read_frames(data) == [(1, b"whole"), (2, b"cut ")]


def test_frames_eof_mid_header_stops():
    data = frame(1, b"whole") + frame(1, b"next")[:5]
    assert read_frames(data) == [(1, b"whole")]


def test_frames_immediate_eof():
    assert read_frames(b"") == []
