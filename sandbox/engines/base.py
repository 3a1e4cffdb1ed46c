import abc

from sandbox.errors import SandboxError
from sandbox.types import PairResult, RunRequest, RunResult


class Engine(abc.ABC):
    """Runs one program once, in a fresh box, and always answers with exactly one outcome."""

    @abc.abstractmethod
    def run(self, request: RunRequest) -> RunResult:
        """Never raises for anything the program does; engine failures come back as Outcome.IE."""

    def check(self) -> list[str]:
        """Problems that stop this engine from working, in words a user can act on; empty when ready."""
        return []

    def describe(self) -> str:
        """What this engine runs on, for `python -m sandbox check` (e.g. "runc 1.1.5, cgroup v1 hybrid")."""
        return ""

    def unreachable(self) -> str:
        """Why the engine cannot be reached now ('' when it answers). Judging asks after an IE: an
        unreachable engine is no verdict, the submission waits for it. By default: always reachable."""
        return ""

    def sweep(self) -> int:
        """Remove boxes that outlived their run (a worker died, a reply was cut off); returns how many."""
        return 0

    def drain(self) -> None:
        """Give back what the engine keeps between runs (OciEngine: boxes made ahead); before a worker
        process exits. By default there is nothing."""
        return None

    def run_pair(self, program: RunRequest, interactor: RunRequest) -> PairResult:
        """Interactive problems: each box's stdout is the other's stdin. Engines that can't say so."""
        raise SandboxError(f"{type(self).__name__} cannot run interactive problems")
