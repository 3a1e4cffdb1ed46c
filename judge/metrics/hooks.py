"""The counters and histograms, and the one-line calls the judging code makes to feed them.

Each process counts its own. With PROMETHEUS_MULTIPROC_DIR set (scripts/run.sh sets it), prometheus-client
keeps the values in files there, so the site's /metrics (and a worker's own port) sums every process of
the machine: the web processes and each Celery pool process. This module imports nothing of the site (only the
sandbox's types), so any module may call it.
"""

from prometheus_client import Counter, Histogram

from sandbox import RunResult

_SECONDS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
_MEMORY = tuple(2**n * 1024 * 1024 for n in range(0, 12))  # 1 MiB .. 2 GiB
_LATENCY = (0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800)

RUNS = Counter("ojudge_runs", "Test runs, by the sandbox's outcome.", ["language", "outcome", "tenant"])
RUN_CPU = Histogram("ojudge_run_cpu_seconds", "CPU time of one test run.", ["language"], buckets=_SECONDS)
RUN_WALL = Histogram("ojudge_run_wall_seconds", "Wall time of one test run.", ["language"], buckets=_SECONDS)
RUN_MEMORY = Histogram(
    "ojudge_run_memory_bytes", "Peak memory of one test run.", ["language"], buckets=_MEMORY
)
COMPILE = Histogram(
    "ojudge_compile_seconds", "Wall time of one compile (or syntax check).", ["language"], buckets=_SECONDS
)
CONTAINER_FAILURES = Counter(
    "ojudge_container_failures", "Judgings the sandbox could not finish (no verdict given).", ["reason"]
)
LATENCY = Histogram(
    "ojudge_submission_latency_seconds",
    "From submit (or rejudge) to verdict.",
    ["kind"],
    buckets=_LATENCY,
)
QUOTA_REJECTIONS = Counter("ojudge_quota_rejections", "Submissions refused by a quota.", ["tenant", "quota"])


def run_observed(*, language: str, tenant: str, run: RunResult) -> None:
    RUNS.labels(language=language, outcome=str(run.outcome), tenant=tenant).inc()
    RUN_CPU.labels(language=language).observe(run.cpu_time)
    RUN_WALL.labels(language=language).observe(run.wall_time)
    RUN_MEMORY.labels(language=language).observe(run.memory)


def compile_observed(*, language: str, result: RunResult | None) -> None:
    """`result` None: the language has no compile step, so nothing ran."""
    if result is not None:
        COMPILE.labels(language=language).observe(result.wall_time)


def container_failed(*, reason: str) -> None:
    CONTAINER_FAILURES.labels(reason=reason).inc()


def verdict_given(*, submission) -> None:
    """Submit (or the last rejudge) to verdict; kind is normal, reference or rejudge."""
    start = submission.rejudged_at or submission.created_at
    kind = "rejudge" if submission.rejudged_at else submission.kind
    LATENCY.labels(kind=kind).observe(max((submission.judged_at - start).total_seconds(), 0.0))


def quota_rejected(*, tenant: str, quota: str) -> None:
    QUOTA_REJECTIONS.labels(tenant=tenant, quota=quota).inc()
