"""Interactive pairs through the real sandbox on both engines (sandbox.interact, no site): who ended
first is what happened in the boxes, and the wall limit waits for the interactor's own time.
Programs and interactors are in tests/programs/interactive/ (see its README)."""

import time
from pathlib import Path

import pytest

import sandbox
from sandbox import Limits, MiB, Outcome
from sandbox.engines.docker import DockerEngine
from sandbox.engines.oci import OciEngine

pytestmark = pytest.mark.docker
PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "interactive"
LIMITS = Limits(cpu_time=0.2, memory=64 * MiB)  # wall limit 1.6 s
LANGUAGES = {".c": "c", ".py": "python", ".java": "java"}


@pytest.fixture(scope="module", params=["docker", "oci"])
def engine(request):
    return DockerEngine() if request.param == "docker" else OciEngine()


@pytest.fixture(scope="module")
def compiled(engine):
    cache: dict[str, sandbox.Program] = {}

    def get(name: str) -> sandbox.Program:
        if name not in cache:
            path = PROGRAMS / name  # or tests/programs/<folder>/<file>, as "../<folder>/<file>"
            done = sandbox.compile(language=LANGUAGES[path.suffix], source=path.read_bytes(), engine=engine)
            assert done.ok, done.output
            cache[name] = done.program
        return cache[name]

    return get


def _interact(engine, compiled, program: str, interactor: str, input_data: bytes = b"1\n", limits=LIMITS):
    return sandbox.interact(
        program=compiled(program),
        interactor=compiled(interactor),
        input_data=input_data,
        answer=b"",
        limits=limits,
        engine=engine,
    )


def test_interactor_rejecting_first_is_wrong_answer_though_the_program_then_exits_cleanly(engine, compiled):
    for _ in range(5):  # both end within milliseconds: the order must be right every time
        done = _interact(engine, compiled, "exit_on_reply.c", "reject_at_once.c")
        assert (done.outcome, done.accepted, done.message) == (Outcome.OK, False, "rejected at once")


def test_interactor_rejecting_first_is_wrong_answer_though_the_program_then_crashes(engine, compiled):
    # The interactor's box sends an 8 MiB report after it ended; the program crashes once it has gone.
    done = _interact(engine, compiled, "crash_at_eof.c", "reject_at_once.c", b"8388608\n")
    assert (done.outcome, done.accepted, done.message) == (Outcome.OK, False, "rejected at once"), (
        done.program
    )
    assert done.program.outcome == Outcome.RE  # it crashed, or was stopped first: WA all the same


def test_program_crashing_before_the_interactor_decides_is_a_runtime_error(engine, compiled):
    done = _interact(engine, compiled, "crash_on_reply.c", "slow_doubling.py")
    assert (done.outcome, done.program.exit_code, done.failed) == (Outcome.RE, 3, False)


def test_many_round_trips_with_a_slow_interactor_are_accepted_on_little_cpu(engine, compiled):
    # Seconds of the interactor's CPU and relay time: about twice the program's 1.6 s wall limit.
    done = _interact(engine, compiled, "doubler.c", "slow_doubling.py", b"1500\n")
    assert (done.outcome, done.accepted, done.message) == (Outcome.OK, True, "1500 rounds"), done.program
    assert done.program.cpu_time < LIMITS.cpu_time < LIMITS.wall < done.program.wall_time


def test_program_waiting_forever_is_stopped_by_the_wall_limit(engine, compiled):
    started = time.monotonic()
    done = _interact(engine, compiled, "sleeper.c", "slow_doubling.py")
    assert done.outcome == Outcome.TLE and "wall time" in done.program.message, done.program
    assert time.monotonic() - started < LIMITS.wall + 10


def test_a_runtime_running_out_of_its_heap_is_memory_limit_exceeded_here_too(engine, compiled):
    limits = Limits(cpu_time=3.0, memory=64 * MiB)  # the JVM's start-up alone is about 0.4 s of CPU
    done = _interact(engine, compiled, "../memory/java/hog.java", "slow_doubling.py", limits=limits)
    assert done.outcome == Outcome.MLE, done.program
