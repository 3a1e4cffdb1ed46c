"""A judge host's side of a job when the site or the engine goes away (sandbox/host/worker.py): results are
sent again while the site is away, and a job the engine broke under goes back to the queue, not to IE.
The site here records what it is sent; tests/faults/test_faults_hosts.py runs the real thing."""

import argparse
import threading

import pytest

import sandbox.engines.oci.engine as oci_engine
from sandbox import Engine, Outcome, RunResult
from sandbox.engines.oci import OciEngine
from sandbox.host import worker
from sandbox.host.__main__ import Host
from sandbox.host.client import SiteError

ENGINE_DOWN = "cannot reach the Docker engine: connection refused"
JOB = {
    "job": 7,
    "claim": "c1",
    "submission": 3,
    "tests": [],
    "program": {"language": "c", "source": "int main(void) { return 0; }", "entry": "", "files": {}},
    "compile_output_limit": 1000,
}


class RecordingSite:
    """Answers each report with the next of `answers` (an exception is raised), then with success."""

    def __init__(self, *answers):
        self.answers, self.sent, self.messages = list(answers), [], []

    def report(self, job: dict, seq: int, message: dict) -> dict:
        self.sent.append((seq, message["kind"]))
        self.messages.append(message)
        if self.answers:
            raise self.answers.pop(0)
        return {"ok": True}


class BrokenEngine(Engine):
    def __init__(self, unreachable: str):
        self.problem = unreachable

    def run(self, request):
        return RunResult(Outcome.IE, message="docker: connection aborted")

    def unreachable(self) -> str:
        return self.problem


@pytest.fixture
def waits(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(worker.time, "sleep", slept.append)
    return slept


def _run(site: RecordingSite, engine: Engine) -> str:
    return worker.job_run(site=site, data=JOB, engine=engine, active=set(), lock=threading.Lock())


def test_a_result_the_site_could_not_take_is_sent_again_with_its_sequence_number(waits):
    site = RecordingSite(ConnectionRefusedError(111, "refused"), SiteError(502, "bad gateway"))

    worker.Job(site, JOB, BrokenEngine("")).report("done")

    assert site.sent == [(1, "done")] * 3
    assert waits == [0.5, 1.0]


def test_a_try_that_got_through_before_its_reply_was_lost_counts_as_sent(waits):
    site = RecordingSite(ConnectionResetError(104, "reset"), SiteError(409, "already received"))

    worker.Job(site, JOB, BrokenEngine("")).report("done")  # no error

    assert site.sent == [(1, "done")] * 2


@pytest.mark.parametrize("status", [400, 403, 404])
def test_a_refusal_is_not_tried_again(waits, status):
    site = RecordingSite(SiteError(status, "no"))

    with pytest.raises(SiteError):
        worker.Job(site, JOB, BrokenEngine("")).report("done")

    assert site.sent == [(1, "done")] and waits == []


def test_a_claim_lost_meanwhile_abandons_the_job(waits):
    site = RecordingSite(OSError("down"), SiteError(410, "this result is for another claim"))

    with pytest.raises(worker.JobAbandoned):
        worker.Job(site, JOB, BrokenEngine("")).report("done")


def test_retrying_stops_after_its_time(waits, monkeypatch):
    monkeypatch.setattr(worker, "RETRY_SECONDS", 0.0)
    site = RecordingSite(OSError("down"))

    with pytest.raises(OSError):
        worker.Job(site, JOB, BrokenEngine("")).report("done")


def test_a_job_broken_while_the_engine_is_unreachable_is_reported_as_an_engine_problem(waits):
    site = RecordingSite()

    problem = _run(site, BrokenEngine(ENGINE_DOWN))

    assert problem == ENGINE_DOWN  # the host claims nothing more until a heartbeat finds the engine back
    assert site.sent == [(1, "failed")]
    assert site.messages[0]["engine_problem"] == ENGINE_DOWN  # the site gives it back to the queue


def test_a_job_broken_with_the_engine_answering_is_a_plain_failure(waits):
    site = RecordingSite()

    assert _run(site, BrokenEngine("")) == ""
    assert site.sent == [(1, "failed")]
    assert site.messages[0]["engine_problem"] == "" and "compile step failed" in site.messages[0]["message"]


def test_a_job_on_an_oci_engine_that_cannot_run_here_is_an_engine_problem(waits, monkeypatch, tmp_path):
    monkeypatch.setattr(oci_engine, "oci_usable", lambda: (False, "neither runc nor crun is installed"))
    site = RecordingSite()

    problem = _run(site, OciEngine(state_dir=tmp_path / "state", cache_dir=tmp_path / "cache"))

    assert problem == "OciEngine unusable: neither runc nor crun is installed"
    assert site.messages[0]["engine_problem"] == problem


class ProbeBreaks(BrokenEngine):
    def unreachable(self) -> str:
        raise OSError("no such file: runc")

    def sweep(self) -> int:
        raise FileNotFoundError("runc")


class BeatSite:
    def __init__(self):
        self.beats: list[dict] = []

    def heartbeat(self, data: dict) -> None:
        self.beats.append(data)


def test_a_host_whose_engine_probe_breaks_still_beats_and_says_why():
    site = BeatSite()
    host = Host(site, ProbeBreaks(""), argparse.Namespace(capacity=1))

    host.beat()
    host.sweep()  # a sweep that breaks does not end the heartbeat thread

    assert site.beats[0]["engine_problem"] == "the engine check failed: no such file: runc"
    assert site.beats[0]["languages"] == {}
