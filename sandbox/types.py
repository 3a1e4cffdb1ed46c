"""The sandbox's vocabulary: immutable values passed in and out of engines."""

import enum
from dataclasses import dataclass, field, replace

MiB = 1024 * 1024
ACCEPT_EXIT, REJECT_EXIT = 42, 43  # Kattis validator convention, also for interactors


class Outcome(enum.StrEnum):
    OK = "OK"
    CE = "CE"  # compile error, including a compiler that ran over its own limits
    RE = "RE"  # non-zero exit or killed by a signal
    TLE = "TLE"  # CPU or wall time limit
    MLE = "MLE"
    OLE = "OLE"  # more output than allowed
    IE = "IE"  # the sandbox failed; never the program's fault


@dataclass(frozen=True)
class Limits:
    cpu_time: float = 1.0  # seconds, all threads and processes together
    wall_time: float | None = None  # seconds; None means a few times the CPU limit
    memory: int = 256 * MiB  # bytes of resident memory (cgroup), no swap
    processes: int = 32  # processes plus threads
    output: int = 8 * MiB  # bytes, for stdout and for stderr each
    file_size: int = 16 * MiB  # largest file the program may write
    open_files: int = 64
    work_dir: int = 64 * MiB  # size of the writable tmpfs work dir

    @property
    def wall(self) -> float:
        return self.wall_time if self.wall_time is not None else self.cpu_time * 3 + 1.0

    def with_(self, **changes) -> "Limits":
        return replace(self, **changes)


COMPILE_LIMITS = Limits(
    cpu_time=15.0,
    wall_time=40.0,
    memory=1024 * MiB,
    processes=64,
    output=64 * 1024,
    file_size=64 * MiB,
    work_dir=256 * MiB,
)


@dataclass(frozen=True)
class SourceFile:
    name: str  # relative path inside the work dir
    data: bytes
    executable: bool = False


@dataclass(frozen=True)
class RunRequest:
    image: str
    argv: tuple[str, ...]
    files: tuple[SourceFile, ...] = ()
    stdin: bytes = b""
    limits: Limits = field(default_factory=Limits)
    collect: tuple[str, ...] = ()  # paths (files or dirs) to bring back after the run
    merge_stderr: bool = False  # stdout and stderr as one stream (compilers)


@dataclass(frozen=True)
class RunResult:
    outcome: Outcome
    exit_code: int | None = None
    signal: int | None = None
    cpu_time: float = 0.0  # seconds, from the cgroup
    wall_time: float = 0.0  # seconds, host monotonic clock
    memory: int = 0  # bytes, peak of the cgroup
    stdout: bytes = b""
    stderr: bytes = b""
    files: tuple[SourceFile, ...] = ()
    message: str = ""  # why, in words; for IE, what an admin should look at
    timings: dict[str, float] = field(default_factory=dict, compare=False)  # engine steps, for benchmarks

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK


@dataclass(frozen=True)
class Program:
    """What a compile produced: the files one run needs, ready for any number of fresh runs."""

    language: str
    files: tuple[SourceFile, ...]
    entry: str = ""  # the file the run argv's {entry} names; "" means the language's usual file name
    argv: tuple[str, ...] = ()  # instead of the language's run argv (a Kattis `run` script)


@dataclass(frozen=True)
class CompileResult:
    outcome: Outcome  # OK, CE or IE
    program: Program | None
    output: str  # compiler messages, capped
    result: RunResult | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK


@dataclass(frozen=True)
class PairResult:
    """An interactive run: the program, the interactor, and which of the two ended first."""

    program: RunResult
    interactor: RunResult
    first: str  # "program" | "interactor"
