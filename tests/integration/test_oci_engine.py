"""The OCI engine (runc/crun, no dockerd per run) on the real host, with the real images.

Marked `docker`: Docker is still needed once per image, to export its root filesystem. Every test
also checks that the run left nothing once the engine has drained its pool (spare boxes, removals in
flight): no runtime container, no bundle dir, no per-run cgroup dir in any hierarchy (the v1
controllers and, on a hybrid host, the unified one).
"""

import os
import pickle
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import sandbox
import sandbox.engines.oci.engine as oci_engine
from sandbox import Limits, MiB, Outcome
from sandbox.engines.oci import ID_PREFIX, OciEngine
from sandbox.engines.oci.pool import pools_drain
from tests.integration.host_checks import oci_leftovers

pytestmark = pytest.mark.docker

ROOT_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engine():
    engine = OciEngine()
    problems = engine.check()
    if problems and any("unusable" in problem for problem in problems):
        pytest.fail(f"OciEngine cannot run on this host: {problems}")
    return engine


@pytest.fixture
def clean(engine):
    yield
    pools_drain()  # spare boxes made ahead, and removals in flight, of this and every other OciEngine here
    assert oci_leftovers(engine) == []


def c_program(engine: OciEngine, source: str) -> sandbox.Program:
    compiled = sandbox.compile(language="c", source=textwrap.dedent(source), engine=engine)
    assert compiled.ok, compiled.output
    return compiled.program


def execute(engine, source: str, limits: Limits | None = None, stdin: bytes = b"") -> sandbox.RunResult:
    limits = limits or Limits()
    return sandbox.execute(program=c_program(engine, source), stdin=stdin, limits=limits, engine=engine)


def test_hello_world(engine, clean):
    result = execute(engine, '#include <stdio.h>\nint main(void){puts("hello, world");return 0;}\n')
    assert result.outcome == Outcome.OK, result.message
    assert result.stdout == b"hello, world\n"
    assert 0 < result.memory < 64 * MiB


def test_stdin_reaches_the_program(engine, clean):
    source = '#include <stdio.h>\nint main(void){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a+b);}\n'
    assert execute(engine, source, stdin=b"20 22\n").stdout == b"42\n"


def test_exit_code(engine, clean):
    result = execute(engine, "int main(void){return 3;}\n")
    assert (result.outcome, result.exit_code) == (Outcome.RE, 3)


def test_what_a_program_does_is_no_engine_outage(engine, clean):
    """A crash, a kill for memory and a compile error are the submission's: unreachable() stays silent,
    so judging gives them their verdicts instead of giving them back to the queue."""
    crashed = execute(engine, "#include <stdlib.h>\nint main(void){abort();}\n")
    hog = "#include <stdlib.h>\n#include <string.h>\nint main(void){for(;;)memset(malloc(1<<20),1,1<<20);}\n"
    killed = execute(engine, hog, Limits(memory=32 * MiB))
    broken = sandbox.compile(language="c", source="int main(void){return x;}\n", engine=engine)

    assert (crashed.outcome, killed.outcome, broken.ok) == (Outcome.RE, Outcome.MLE, False)
    assert engine.unreachable() == ""


def test_cpu_burn_is_tle_with_honest_cpu_time(engine, clean):
    result = execute(engine, "int main(void){volatile long x=0;for(;;)x++;}\n", Limits(cpu_time=0.5))
    assert result.outcome == Outcome.TLE, result.message
    assert 0.5 <= result.cpu_time <= 0.8
    assert "CPU time" in result.message  # not the wall limit, even on a busy host


def test_a_box_past_its_limit_ends_while_the_runtime_is_down(clean):
    # The runtime fails every command (an upgrade half-way, say) while a spare box it made runs a loop:
    # the loop is still killed at its CPU limit, and the box is still destroyed, through its cgroups.
    engine = OciEngine()
    program = c_program(engine, "int main(void){volatile long x=0;for(;;)x++;}\n")
    limits = Limits(cpu_time=0.3)
    sandbox.execute(program=program, stdin=b"", limits=limits, engine=engine)  # leaves a spare of its shape
    deadline = time.monotonic() + 10
    while engine.pool.spares() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    engine.runtime = "/bin/false"
    result = sandbox.execute(program=program, stdin=b"", limits=limits, engine=engine)
    assert result.outcome == Outcome.TLE, result.message
    engine.drain()  # the other spare too: destroyed with the runtime still down


def test_memory_hog_is_mle(engine, clean):
    source = """
        #include <stdlib.h>
        #include <string.h>
        int main(void){for(;;){char*p=malloc(1<<20);if(!p)return 9;memset(p,1,1<<20);}}
    """
    result = execute(engine, source, Limits(memory=64 * MiB))
    assert result.outcome == Outcome.MLE, result.message
    assert result.memory >= 60 * MiB


def test_output_flood_is_ole(engine, clean):
    source = '#include <stdio.h>\nint main(void){for(;;)fputs("yyyyyyyyyyyyyyyy\\n",stdout);}\n'
    result = execute(engine, source, Limits(output=64 * 1024))
    assert result.outcome == Outcome.OLE, result.message
    assert len(result.stdout) <= 64 * 1024


def test_fork_bomb_is_contained(engine, clean):
    source = """
        #include <stdio.h>
        #include <unistd.h>
        int main(void){
          for (int n = 0; n < 100000; n++) if (fork() < 0) { printf("refused after %d\\n", n); return 0; }
          return 1;
        }
    """
    result = execute(engine, source, Limits(processes=16))
    assert result.outcome == Outcome.OK, result.message
    assert result.stdout.startswith(b"refused after ")
    assert int(result.stdout.split()[2]) <= 20


def test_no_network(engine, clean):
    source = """
        #include <dirent.h>
        #include <errno.h>
        #include <stdio.h>
        #include <string.h>
        #include <arpa/inet.h>
        #include <sys/socket.h>
        int main(void){
          DIR *d = opendir("/sys/class/net"); struct dirent *e;
          while (d && (e = readdir(d))) if (e->d_name[0] != '.') printf("if %s\\n", e->d_name);
          FILE *f = fopen("/sys/class/net/lo/flags", "r"); unsigned flags = 0;
          if (f) fscanf(f, "%x", &flags);
          printf("lo up %d\\n", flags & 1);
          struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(53)};
          inet_pton(AF_INET, "1.1.1.1", &to.sin_addr);
          int s = socket(AF_INET, SOCK_DGRAM, 0);
          printf("connect %s\\n", connect(s, (void *)&to, sizeof to) ? strerror(errno) : "ok");
        }
    """
    result = execute(engine, source)
    # runc brings loopback up in every new network namespace (Docker's network "none" does too).
    assert result.stdout == b"if lo\nlo up 1\nconnect Network is unreachable\n", result.stdout


def test_root_is_read_only_and_the_user_is_10000(engine, clean):
    source = """
        #include <stdio.h>
        #include <unistd.h>
        #include <errno.h>
        #include <string.h>
        int main(void){
          FILE *f = fopen("/etc/owned", "w");
          printf("uid=%d gid=%d write=%s\\n", getuid(), getgid(), f ? "yes" : strerror(errno));
          char host[64]; gethostname(host, sizeof host); printf("host=%s\\n", host);
        }
    """
    result = execute(engine, source)
    assert b"uid=10000 gid=10000 write=Read-only file system" in result.stdout, result.stdout
    assert b"host=box" in result.stdout


def test_python_program(engine, clean):
    source = "print(input()[::-1])\n"
    compiled, result = sandbox.run(language="python", source=source, stdin=b"abc\n", engine=engine)
    assert compiled.ok, compiled.output
    assert result.stdout == b"cba\n"


def test_sweep_removes_what_a_killed_worker_left(engine):
    """A worker killed mid-run (with its runtime process) leaves a running box: the sweep removes it."""
    program = c_program(engine, "#include <unistd.h>\nint main(void){sleep(60);}\n")
    script = textwrap.dedent(
        f"""
        import pickle, sys
        sys.path.insert(0, {str(ROOT_DIR)!r})
        import sandbox
        from sandbox.engines.oci import OciEngine
        program = pickle.loads(sys.stdin.buffer.read())
        print("started", flush=True)
        sandbox.execute(program=program, limits=sandbox.Limits(cpu_time=30, wall_time=60), engine=OciEngine())
        """
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True
    )
    worker.stdin.write(pickle.dumps(program))
    worker.stdin.close()
    assert worker.stdout.readline() == b"started\n"
    dead = f"{ID_PREFIX}{worker.pid}-"
    deadline = time.monotonic() + 20
    while not any(line.startswith("container") for line in oci_leftovers(engine, dead)):
        assert time.monotonic() < deadline, "the worker's box never started"
        time.sleep(0.1)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    assert oci_leftovers(engine, dead)  # the box, its bundle and cgroups are still there
    assert engine.sweep() >= 1
    assert oci_leftovers(engine, dead) == []


def test_sweep_leaves_live_runs_alone(engine, clean):
    request = sandbox.RunRequest(image=sandbox.LANGUAGES["c"].image, argv=("true",), limits=Limits())
    box, _ = engine.box_get(request)  # a box of this live process, created and never started
    try:
        engine.sweep()
        assert {f"container {box.id}", f"bundle {box.id}"} <= set(oci_leftovers(engine, box.id))
    finally:
        engine.box_destroy(box)


def test_sweep_kills_a_box_the_runtime_lost(engine, clean, monkeypatch):
    # A create cut short by its worker's death can leave the box's init waiting in its cgroups with no
    # runtime state to delete it by: the sweep must kill it, or its cgroups stay (and it) for good.
    request = sandbox.RunRequest(image=sandbox.LANGUAGES["c"].image, argv=("true",), limits=Limits())
    box, _ = engine.box_get(request)
    shutil.rmtree(engine.state_dir / "runtime" / box.id)
    monkeypatch.setattr(oci_engine, "_owner_alive", lambda run_id: run_id != box.id)
    try:
        assert engine.sweep() >= 1
        assert not box.cgroup.remains()
    finally:
        box.close_pipes()
        engine.box_destroy(box)


INTERACTIVE = ROOT_DIR / "tests" / "programs" / "interactive"


def _interact(engine, program: str, language: str, interactor: str = "interactor.py"):
    solution = sandbox.compile(language=language, source=(INTERACTIVE / program).read_text(), engine=engine)
    checker = sandbox.compile(language="python", source=(INTERACTIVE / interactor).read_text(), engine=engine)
    assert solution.ok and checker.ok, solution.output + checker.output
    return sandbox.interact(
        program=solution.program,
        interactor=checker.program,
        input_data=b"777777\n",
        answer=b"",
        limits=Limits(cpu_time=1.0),
        engine=engine,
    )


def test_interactive_binary_search_is_accepted(engine, clean):
    done = _interact(engine, "good.cpp", "cpp")
    assert (done.outcome, done.accepted) == (Outcome.OK, True), done.message
    assert done.message.startswith("found in ")


def test_interactor_rejecting_first_stops_the_program(engine, clean):
    done = _interact(engine, "bad.py", "python")
    assert (done.outcome, done.accepted, done.message) == (Outcome.OK, False, "too many guesses")


def test_interactive_program_that_never_talks_is_tle(engine, clean):
    assert _interact(engine, "hang.py", "python").outcome == Outcome.TLE


def test_crashed_interactor_is_an_internal_error(engine, clean):
    done = _interact(engine, "good.cpp", "cpp", "crash_interactor.py")
    assert done.failed and "interactor failed" in done.message
