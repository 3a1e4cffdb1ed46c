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

    def run_pair(self, program: RunRequest, interactor: RunRequest) -> PairResult:
        """Interactive problems: each box's stdout is the other's stdin. Engines that can't say so."""
        raise SandboxError(f"{type(self).__name__} cannot run interactive problems")
