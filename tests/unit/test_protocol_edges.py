"""Wire-format edges left open by test_protocol.py: the cap's last byte, names with spaces, mode bits."""

from sandbox.protocol import CappedBuffer, End, _parse_files, split_artifacts, split_status, stdout_cap
from sandbox.types import Limits, RunRequest, SourceFile


def test_capped_buffer_keeps_the_very_last_byte_of_room():
    buffer = CappedBuffer(3)
    assert buffer.add(b"ab")
    assert not buffer.add(b"cd")
    assert (buffer.data, buffer.size) == (b"abc", 4)


def test_stdout_cap_makes_room_for_collected_files():
    limits = Limits(output=1000, file_size=10)
    assert stdout_cap(RunRequest(image="i", argv=("x",), limits=limits)) == 1000
    assert stdout_cap(RunRequest(image="i", argv=("x",), limits=limits, collect=("out",))) == 1080


def test_status_kind_with_bytes_that_are_not_utf8():
    assert split_status(b"err\nOJEND n0nce \xff 3\n", "n0nce") == (End("\ufffd", 3), b"err")


def test_artifacts_start_after_the_last_marker():
    stdout = b"out OJART n0nce\nF 644 1 a\nA" + b"OJART n0nce\nF 644 1 b\nB"
    files, rest = split_artifacts(stdout, "n0nce")
    assert files == (SourceFile("b", b"B"),)
    assert rest == b"out OJART n0nce\nF 644 1 a\nA"


def test_file_names_keep_their_spaces():
    assert _parse_files(b"F 644 2  a b\nhi") == (SourceFile(" a b", b"hi"),)


def test_only_the_owner_execute_bit_makes_a_file_executable():
    files = _parse_files(b"F 641 1 x\nXF 744 1 y\nY")
    assert [(f.name, f.executable) for f in files] == [("x", False), ("y", True)]
