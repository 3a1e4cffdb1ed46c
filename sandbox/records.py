"""What the execution log says of one compile or run: built here, where the run happened, so the site's
worker and a judge host describe their runs with the same fields."""

import hashlib

from sandbox.languages import language_get
from sandbox.types import COMPILE_LIMITS, Limits, RunResult


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def limits_record(limits: Limits) -> dict:
    return {
        "cpu_time": limits.cpu_time,
        "wall_time": limits.wall,
        "memory": limits.memory,
        "processes": limits.processes,
        "output": limits.output,
        "file_size": limits.file_size,
        "open_files": limits.open_files,
    }


def result_record(result: RunResult) -> dict:
    return {
        "outcome": str(result.outcome),
        "cpu_time": result.cpu_time,
        "wall_time": result.wall_time,
        "memory": result.memory,
        "exit_code": result.exit_code,
        "signal": result.signal,
    }


def execution_record(*, language: str, source: str, limits: Limits, result: RunResult, **data) -> dict:
    """A compile (give `output_sha256`) or a test run (`test`, `test_case_id`, `input_sha256`,
    `output_sha256`) of a program whose main source is `source`."""
    return {
        "language": language,
        "image": language_get(language).image,  # the tag: digests cost a call
        "limits": limits_record(limits),
        **result_record(result),
        "source_sha256": sha256_hex(source),
        **data,
    }


def compile_record(*, language: str, source: str, result: RunResult) -> dict:
    return execution_record(
        language=language,
        source=source,
        limits=COMPILE_LIMITS,
        result=result,
        output_sha256=sha256_hex(result.stdout + result.stderr),
    )


def run_record(
    *,
    language: str,
    source: str,
    limits: Limits,
    result: RunResult,
    test: int,
    test_case_id: int | None,
    input_data: bytes,
) -> dict:
    """A run of test number `test` (0: a Run-box tryout)."""
    return execution_record(
        language=language,
        source=source,
        limits=limits,
        result=result,
        test=test,
        test_case_id=test_case_id,
        input_sha256=sha256_hex(input_data),
        output_sha256=sha256_hex(result.stdout),
    )
