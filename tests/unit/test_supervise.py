"""The host's side of a box (sandbox/engines/supervise.py Relay) and interactive pairs (pair_run) with
recorded end orders: who ended first is when each program ended at the relay, not when its container's
teardown returned."""

import time

import pytest

from sandbox.engines import supervise
from sandbox.engines.supervise import Relay, pair_run
from sandbox.interactive import interaction_decide
from sandbox.protocol import End
from sandbox.types import Limits, Outcome, RunRequest, RunResult

NONCE = "ab" * 16


def _relay(collect: tuple[str, ...] = ()) -> Relay:
    return Relay(RunRequest(image="x", argv=("x",), collect=collect), NONCE)


def test_the_end_is_the_status_line_even_split_across_chunks():
    relay, seen = _relay(), []
    relay.on_end = seen.append
    for chunk in (b"traceback...\nOJ", f"END {NONCE} ex".encode(), b"it 43", b"\n"):
        assert relay.ended is None
        relay.err(chunk)
    assert relay.ended is not None and seen == [End("exit", 43)]
    relay.eof()
    assert seen == [End("exit", 43)]  # once


def test_the_end_is_boxinits_own_clock_reading_when_its_status_line_has_one():
    relay = _relay(collect=("judge/feedback",))
    relay.out(f"OJART {NONCE}\n".encode())
    relay.err(f"\nOJEND {NONCE} exit 43 12.000000500\n".encode())
    assert relay.ended == 12.0000005


def test_a_forged_status_line_is_not_the_end_and_a_killed_box_ends_with_its_streams():
    relay, seen = _relay(), []
    relay.on_end = seen.append
    relay.err(f"\nOJEND {'cd' * 16} exit 42\n".encode())
    assert relay.ended is None
    relay.eof()
    assert relay.ended is not None and seen == [None]


def test_with_files_to_collect_the_end_is_their_marker_and_only_the_programs_output_is_forwarded():
    relay, seen = _relay(collect=("judge/feedback",)), []
    relay.on_end = seen.append
    assert relay.out(b"higher\n") == b"higher\n"
    files = f"correct\nOJART {NONCE}\nF 644 9 judge/feedback/judgemessage.txt\n".encode()
    assert relay.out(files) == b"correct\n"
    ended = relay.ended
    assert ended is not None and seen == []  # the program has ended; its status comes after the files
    assert relay.out(b"found in 3E\n") == b""
    relay.err(f"\nOJEND {NONCE} exit 42\n".encode())
    assert (relay.ended, seen) == (ended, [End("exit", 42)])


def test_the_last_output_still_reaches_the_partner_when_the_status_line_overtakes_it():
    """stdout and stderr travel apart: an interactor's final "correct" can arrive after the status line
    saying it exited 42. Dropping it left the program reading EOF (RE) in 4 of 30 runs on a loaded host."""
    relay, seen = _relay(collect=("judge/feedback",)), []
    relay.on_end = seen.append
    relay.err(f"\nOJEND {NONCE} exit 42\n".encode())
    assert seen == [End("exit", 42)]
    assert relay.out(f"correct\nOJART {NONCE}\nF 644 0 judge/feedback/x\n".encode()) == b"correct\n"
    assert relay.out(b"more files\n") == b""


def test_without_files_to_collect_everything_is_forwarded():
    assert _relay().out(f"OJART {NONCE}\n".encode()) == f"OJART {NONCE}\n".encode()


def test_the_programs_wall_clock_leaves_out_the_interactors_start_and_cpu_up_to_its_wall_limit():
    program, interactor = _relay(), _relay()
    program.started = time.monotonic() - 10.0
    interactor.started = program.started + 3.0  # the interactor's box came up 3 s later
    interactor.cpu = 4.0
    waited = supervise._program_waited(program, interactor, most=30.0)
    assert waited == pytest.approx(7.0)
    assert supervise._program_waited(program, interactor, most=5.0) == 5.0
    program.credit = lambda: waited
    assert program.wall_used() == pytest.approx(3.0, abs=0.1)


def test_a_program_waiting_on_an_interactor_that_waits_too_earns_nothing():
    program, interactor = _relay(), _relay()
    program.started = interactor.started = time.monotonic() - 10.0
    assert supervise._program_waited(program, interactor, most=30.0) == 0.0


class _Run:
    """A box that ends (status line at the relay) at `end_after` seconds and whose teardown returns at
    `return_after`: what the engines' runs look like to pair_run."""

    def __init__(self, result: RunResult, *, end_after: float, return_after: float, clock: str = ""):
        self.result, self.end_after, self.return_after = result, end_after, return_after
        self.clock = clock  # boxinit's reading of when the program ended, in its status line
        self.relay = _relay()
        self.limits = Limits()
        self.stopped: list[str] = []

    def stop(self, reason: str) -> None:
        self.stopped.append(reason)

    def execute(self) -> RunResult:
        self.relay.begin()
        time.sleep(self.end_after)
        code = self.result.exit_code
        self.relay.err(f"\nOJEND {NONCE} exit {code} {self.clock}\n".encode() if code is not None else b"")
        time.sleep(self.return_after - self.end_after)
        return self.result


def _pair(program: _Run, interactor: _Run):
    return pair_run(program, interactor, lambda run: run.execute())


def test_interactor_rejecting_first_is_wrong_answer_though_the_program_returned_first():
    program = _Run(RunResult(Outcome.OK, exit_code=0), end_after=0.1, return_after=0.1)
    interactor = _Run(RunResult(Outcome.RE, exit_code=43), end_after=0.0, return_after=0.4)
    pair = _pair(program, interactor)
    assert pair.first == "interactor"
    assert program.stopped == ["peer"]  # at the interactor's end, not after its teardown
    done = interaction_decide(pair)
    assert (done.outcome, done.accepted, done.failed) == (Outcome.OK, False, False)


def test_program_failing_first_keeps_its_verdict_though_the_interactor_returned_first():
    program = _Run(RunResult(Outcome.RE, exit_code=3), end_after=0.0, return_after=0.4)
    interactor = _Run(RunResult(Outcome.RE, exit_code=43), end_after=0.1, return_after=0.1)
    pair = _pair(program, interactor)
    assert pair.first == "program" and program.stopped == []
    assert interaction_decide(pair).outcome == Outcome.RE


def test_an_accepting_interactor_lets_the_program_finish():
    program = _Run(RunResult(Outcome.OK, exit_code=0), end_after=0.1, return_after=0.1)
    interactor = _Run(RunResult(Outcome.RE, exit_code=42), end_after=0.0, return_after=0.0)
    pair = _pair(program, interactor)
    assert (pair.first, program.stopped) == ("interactor", [])
    assert interaction_decide(pair).accepted


def test_a_box_that_could_not_run_stops_its_partner():
    program = _Run(RunResult(Outcome.IE, message="docker: gone"), end_after=0.0, return_after=0.0)
    interactor = _Run(RunResult(Outcome.RE, exit_code=42), end_after=0.2, return_after=0.2)
    pair = _pair(program, interactor)
    assert interactor.stopped == ["peer"] and pair.first == "program"
    assert interaction_decide(pair).failed


def test_boxinits_clock_readings_decide_who_ended_first_over_when_the_relay_saw_them():
    # The program's status reached the relay first, but its box saw it end 5 ms after the interactor.
    program = _Run(RunResult(Outcome.RE, exit_code=3), end_after=0.0, return_after=0.0, clock="100.005")
    interactor = _Run(RunResult(Outcome.RE, exit_code=43), end_after=0.2, return_after=0.2, clock="100.0")
    pair = _pair(program, interactor)
    assert pair.first == "interactor"
    assert interaction_decide(pair).outcome == Outcome.OK  # WA: the rejection came first
