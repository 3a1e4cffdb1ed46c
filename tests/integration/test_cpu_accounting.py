"""The CPU time a run is charged is its program's, on both engines: the runtime's init spends some
20-40 ms of CPU in the run's cgroups setting the box up before the program may start (a C program
that only returns was charged 26 ms on OciEngine, 46 ms on DockerEngine), and none of it counts."""

import pytest

import sandbox
from sandbox import Limits, Outcome
from sandbox.engines import DOCKER_ENGINE, OCI_ENGINE

pytestmark = pytest.mark.docker

BURN = """#include <time.h>
int main(void){volatile unsigned long x=0;clock_t end=clock()+CLOCKS_PER_SEC*3/10;
while(clock()<end)x++;return 0;}
"""


@pytest.fixture(scope="module", params=[DOCKER_ENGINE, OCI_ENGINE], ids=["docker", "oci"])
def engine(request):
    return sandbox.engine_get(request.param)


def _program(engine, source: str) -> sandbox.Program:
    compiled = sandbox.compile(language="c", source=source, engine=engine)
    assert compiled.ok, compiled.output
    return compiled.program


def _cpu(engine, program: sandbox.Program) -> float:
    result = sandbox.execute(program=program, stdin=b"", limits=Limits(), engine=engine)
    assert result.outcome == Outcome.OK, result.message
    return result.cpu_time


def test_a_program_that_only_returns_is_charged_almost_nothing(engine):
    program = _program(engine, "int main(void){return 0;}\n")
    for _ in range(3):  # on OciEngine the first run of a shape makes its box itself, the next take spares
        assert 0 < _cpu(engine, program) < 0.012


def test_a_burn_is_charged_what_it_burns(engine):
    assert 0.29 <= _cpu(engine, _program(engine, BURN)) <= 0.35
