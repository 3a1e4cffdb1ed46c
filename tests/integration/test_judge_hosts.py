"""The judge-host protocol as the site sees it: tokens, claims, signed and ordered results, the sweeper.

No host runs here (test_judge_hosts_live.py runs a real one): these messages are what a host would send.
"""

import datetime as dt
import io
import json
import os
from functools import cache

import pytest
from django.core.management import call_command
from django.utils import timezone

import sandbox
from judge.audit.models import AuditKey, AuditRecord
from judge.audit.verify import audit_chain_verify
from judge.hosts.models import JudgeHost, JudgeJob
from judge.hosts.services import host_add, host_revoke
from judge.judging.sweeper import submission_sweep_stuck
from judge.submissions.models import Submission, Verdict
from judge.submissions.services import submission_create
from problems.services import testdata
from sandbox import signing
from sandbox.records import compile_record, run_record
from tests.factories import ProblemFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosts_mode(settings):
    settings.JUDGE_EXECUTION = "hosts"


@pytest.fixture
def host():
    return host_add(name="box-1")


def _auth(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@cache
def _key(token: str) -> sandbox.HostKey:
    """The signing key of the host holding `token` (one per token, as each real host has its own)."""
    private = signing.private_key(os.urandom(32))
    return sandbox.HostKey(signing.public_b64(private), private)


def _beat(client, token: str, **payload):
    payload = {"public_key": _key(token).public_key, **payload}
    return client.post("/hosts/api/heartbeat", payload, "application/json", **_auth(token))


def _submission(tests=(("1 2\n", "3\n"), ("2 2\n", "4\n"))) -> Submission:
    problem = ProblemFactory()
    for input_data, answer in tests:
        testdata.test_case_add(
            problem=problem,
            input_data=input_data.encode(),
            answer_data=answer.encode(),
            is_sample=False,
            group=None,
        )
    return submission_create(user=UserFactory(), problem=problem, language="python", source="print(3)\n")


def _claim(client, token: str) -> dict:
    assert _beat(client, token).status_code == 200
    response = client.post(
        "/hosts/api/jobs/claim", {"languages": ["python"]}, "application/json", **_auth(token)
    )
    assert response.status_code == 200, response.content
    return response.json()


def _send(
    client,
    token: str,
    job: dict,
    seq: int,
    body: dict | None = None,
    *,
    signature: str | None = None,
    **fields,
):
    raw = json.dumps(body or {**fields, "job": job["job"], "claim": job["claim"], "seq": seq}).encode()
    sign = _key(token).sign(raw) if signature is None else signature
    return client.post(
        f"/hosts/api/jobs/{job['job']}/results",
        raw,
        "application/json",
        **_auth(token),
        **{"HTTP_X_JUDGE_SIGNATURE": sign},
    )


def _signed(token: str, job: dict, record: dict) -> dict:
    record = {"job": job["job"], "submission": job["submission"], **record}
    return {"record": record, "record_signature": _key(token).record_sign(record)}


RUN = sandbox.RunResult(sandbox.Outcome.OK, exit_code=0, cpu_time=0.01, wall_time=0.02, memory=1024)


def _compiled(token: str, job: dict) -> dict:
    record = compile_record(language="python", source=job["program"]["source"], result=RUN)
    return dict(kind="compile", ok=True, output="", **_signed(token, job, record))


def _test(token: str, job: dict, index: int, verdict: str, **record_fields) -> dict:
    test = job["tests"][index]
    record = run_record(
        language="python",
        source=job["program"]["source"],
        limits=sandbox.Limits(),
        result=RUN,
        test=test["order"],
        test_case_id=test["id"],
        input_data=b"",
    )
    return dict(
        kind="test",
        test=test["id"],
        order=test["order"],
        verdict=verdict,
        message="",
        fraction=None,
        stdout="",
        stderr="",
        **_signed(token, job, {**record, **record_fields}),
    )


def test_the_command_prints_a_token_once_and_keeps_only_its_hash():
    out = io.StringIO()
    call_command("judge_host_add", "box-9", stdout=out, stderr=io.StringIO())

    token = out.getvalue().strip()
    stored = JudgeHost.objects.get(name="box-9")
    assert token and stored.token_hash == sandbox.token_hash(token)
    assert token not in stored.token_hash and stored.public_key == ""  # the host announces its key


def test_unknown_missing_and_revoked_tokens_are_refused(client, host, admin_user):
    stored, token = host
    assert client.post("/hosts/api/heartbeat", {}, "application/json", **_auth("nope")).status_code == 401
    assert client.post("/hosts/api/heartbeat", {}, "application/json").status_code == 401
    assert _beat(client, token).status_code == 200

    host_revoke(user=admin_user, host_id=stored.id)

    assert _beat(client, token).status_code == 401
    assert client.get(f"/hosts/api/tests/{'0' * 64}", **_auth(token)).status_code == 401


def test_in_local_mode_hosts_get_no_jobs(client, host):
    _submission()

    response = client.post(
        "/hosts/api/jobs/claim", {"languages": ["python"]}, "application/json", **_auth(host[1])
    )

    assert response.status_code == 204
    assert Submission.objects.get().status == Submission.Status.QUEUED


def test_a_host_gets_no_job_before_it_announces_its_key_nor_in_a_language_it_cannot_run(
    client, host, hosts_mode
):
    _submission()

    def claim(languages):
        return client.post(
            "/hosts/api/jobs/claim", {"languages": languages}, "application/json", **_auth(host[1])
        )

    assert claim(["python"]).status_code == 403  # no signing key pinned yet: it could sign nothing
    _beat(client, host[1])
    assert claim(["java"]).status_code == 204
    assert Submission.objects.get().status == Submission.Status.QUEUED


def test_results_apply_in_order_and_the_site_gives_the_verdict(client, host, hosts_mode):
    token = host[1]
    submission = _submission()
    job = _claim(client, token)
    assert [t["order"] for t in job["tests"]] == [1, 2] and job["program"]["source"] == "print(3)\n"

    assert _send(client, token, job, 1, **_compiled(token, job)).status_code == 200
    assert _send(client, token, job, 2, **_test(token, job, 0, "AC")).status_code == 200
    assert _send(client, token, job, 3, **_test(token, job, 1, "WA")).status_code == 200
    assert _send(client, token, job, 4, kind="done").status_code == 200

    submission.refresh_from_db()
    assert (submission.status, submission.verdict, submission.worker) == (
        Submission.Status.DONE,
        Verdict.WA,
        "host:box-1",
    )
    assert list(submission.results.values_list("verdict", flat=True)) == ["AC", "WA"]


def test_a_host_that_skips_a_test_gets_no_verdict_from_it(client, host, hosts_mode):
    token = host[1]
    submission = _submission()
    job = _claim(client, token)
    _send(client, token, job, 1, **_compiled(token, job))
    _send(client, token, job, 2, **_test(token, job, 1, "AC"))  # test 1 never reported

    _send(client, token, job, 3, kind="done")

    submission.refresh_from_db()
    assert submission.status == Submission.Status.QUEUED  # an internal error is tried once more
    assert "skipped test 1" in submission.internal_message


def test_a_replayed_or_tampered_result_is_refused_and_changes_nothing(client, host, hosts_mode):
    token = host[1]
    submission = _submission()
    job = _claim(client, token)
    _send(client, token, job, 1, **_compiled(token, job))
    first = {**_test(token, job, 0, "WA"), "job": job["job"], "claim": job["claim"], "seq": 2}
    assert _send(client, token, job, 2, first).status_code == 200

    assert _send(client, token, job, 2, first).status_code == 409
    signed = _key(token).sign(json.dumps(first).encode())
    tampered = {**first, "verdict": "AC", "seq": 3}
    assert _send(client, token, job, 3, tampered, signature=signed).status_code == 403
    assert _send(client, token, job, 3, signature="", kind="done").status_code == 403
    other = host_add(name="box-2")[1]  # another host's valid signature is not this host's
    assert _send(client, other, job, 3, kind="done").status_code == 404

    assert list(submission.results.values_list("verdict", flat=True)) == ["WA"]
    assert JudgeJob.objects.get().last_seq == 2


def test_a_malformed_result_is_refused(client, host, hosts_mode):
    token = host[1]
    _submission()
    job = _claim(client, token)

    assert _send(client, token, job, 1, **{**_test(token, job, 0, "XX")}).status_code == 400
    assert _send(client, token, job, 1, **{**_test(token, job, 0, "AC"), "order": 7}).status_code == 400
    assert _send(client, token, job, 1, **_test(token, job, 0, "AC", cpu_time="soon")).status_code == 400
    assert _send(client, token, job, 1, **_test(token, job, 0, "AC", outcome="FINE")).status_code == 400
    assert _send(client, token, job, 1, **_test(token, job, 0, "AC", test=2)).status_code == 400
    assert _send(client, token, job, 1, **_test(token, job, 0, "AC", submission=0)).status_code == 400
    unsigned = {k: v for k, v in _test(token, job, 0, "AC").items() if k != "record_signature"}
    assert _send(client, token, job, 1, **unsigned).status_code == 400
    forged = {
        **_test(token, job, 0, "AC"),
        "record_signature": _test(token, job, 1, "AC")["record_signature"],
    }
    assert _send(client, token, job, 1, **forged).status_code == 403
    assert JudgeJob.objects.get().last_seq == 0  # a refused message uses up no sequence number
    assert not AuditRecord.objects.filter(kind=AuditRecord.Kind.RUN).exists()  # nor leaves a record


def test_a_host_that_went_silent_is_swept_and_its_late_results_are_refused(client, host, hosts_mode):
    token = host[1]
    submission = _submission()
    job = _claim(client, token)
    _send(client, token, job, 1, **_compiled(token, job))
    Submission.objects.filter(pk=submission.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))

    assert submission_sweep_stuck() == [submission.id]
    again = _claim(client, token)  # judged afresh under a new claim

    assert _send(client, token, job, 2, **_test(token, job, 0, "AC")).status_code == 410
    assert again["claim"] != job["claim"]
    assert _send(client, token, again, 1, **_compiled(token, again)).status_code == 200
    assert not submission.results.exists()


def test_heartbeats_keep_a_running_job_alive_and_describe_the_host(client, host, hosts_mode):
    stored, token = host
    submission = _submission()
    job = _claim(client, token)
    Submission.objects.filter(pk=submission.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    beat = {
        "languages": {"python": "3.11.2", "java": ""},
        "engine": "DockerEngine",
        "capacity": 2,
        "jobs": [job["job"]],
    }

    assert _beat(client, token, **beat).status_code == 200

    assert submission_sweep_stuck() == []
    stored.refresh_from_db()
    assert (stored.engine, stored.capacity, stored.languages["python"]) == ("DockerEngine", 2, "3.11.2")


def test_test_files_are_served_only_for_the_hosts_running_jobs(client, host, hosts_mode):
    token = host[1]
    _submission()
    job = _claim(client, token)
    sha = job["tests"][0]["input"]

    assert client.get(f"/hosts/api/tests/{sha}", **_auth(token)).content == b"1 2\n"
    assert client.get(f"/hosts/api/tests/{sha}", **_auth(host_add(name="box-2")[1])).status_code == 404
    assert client.get("/hosts/api/tests/..%2Fetc", **_auth(token)).status_code == 404
    Submission.objects.update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    submission_sweep_stuck()  # the claim is gone: so is the host's access to its files
    assert client.get(f"/hosts/api/tests/{sha}", **_auth(token)).status_code == 404


def test_an_oversized_message_is_refused_before_it_is_read(client, host, hosts_mode, settings):
    settings.JUDGE_HOST_MAX_MESSAGE_BYTES = 100
    beat = {"languages": {"python": "x" * 200}}

    response = _beat(client, host[1], **beat)

    assert response.status_code == 413
    assert JudgeHost.objects.get().last_heartbeat is None


def test_revoking_a_host_requeues_what_it_was_judging(client, host, hosts_mode, admin_user):
    stored, token = host
    submission = _submission()
    _claim(client, token)
    client.force_login(admin_user)

    response = client.post(f"/hosts/{stored.id}/revoke/")

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.QUEUED and submission.claim == ""
    assert JudgeHost.objects.get().revoked


def test_only_site_administrators_revoke_hosts(client, host):
    client.force_login(UserFactory())

    assert client.post(f"/hosts/{host[0].id}/revoke/").status_code == 403
    assert not JudgeHost.objects.get().revoked


def test_with_hosts_judging_only_a_live_host_lets_submits_in(client, host, hosts_mode, settings):
    from judge.submissions import dispatch

    settings.JUDGE_REQUIRE_LIVE_WORKER = True
    dispatch.heartbeat_record(hostname="celery@site")  # a housekeeping worker judges nothing now
    assert dispatch.workers_alive() == []

    beat = {"languages": {"python": "3.11.2"}, "engine": "DockerEngine", "capacity": 1, "jobs": []}
    _beat(client, host[1], **beat)

    assert dispatch.workers_alive() == ["host:box-1"]


def test_with_hosts_judging_the_celery_task_claims_nothing(hosts_mode):
    from judge.tasks import judge_submission

    submission = _submission()

    assert judge_submission.apply(args=[submission.id]).get() is None
    submission.refresh_from_db()
    assert submission.status == Submission.Status.QUEUED


def test_site_admins_see_and_revoke_hosts_on_the_dashboard(client, host, admin_user):
    TenantFactory()  # the dashboard is about schools, courses and clubs: it needs one
    client.force_login(admin_user)
    assert "not announced yet" in client.get("/ops/").content.decode()
    _beat(client, host[1])

    page = client.get("/ops/").content.decode()

    assert 'data-judge-host="box-1"' in page and f'action="/hosts/{host[0].id}/revoke/"' in page
    assert f"<code>{sandbox.host_key_id(_key(host[1]).public_key)}</code>" in page


def test_a_school_admin_sees_no_judge_hosts(client, host):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(role="admin")
    client.force_login(membership.user)

    page = client.get(f"/ops/?tenant={membership.tenant_id}")

    assert page.status_code == 200 and "Judge hosts" not in page.content.decode()


def test_the_first_announced_key_is_pinned_and_another_is_refused(client, host):
    stored, token = host

    assert _beat(client, token, public_key="short").status_code == 400
    assert _beat(client, token).status_code == 200
    other = signing.public_b64(signing.private_key(os.urandom(32)))
    assert _beat(client, token, public_key=other).status_code == 403

    stored.refresh_from_db()
    assert stored.public_key == _key(token).public_key
    published = AuditKey.objects.get(key_id=sandbox.host_key_id(stored.public_key))
    assert (published.public_key, published.host) == (stored.public_key, "host:box-1")


def test_what_a_host_ran_is_in_the_execution_log_under_its_own_signature(client, host, hosts_mode, tamper):
    from judge.audit import signing as audit_signing
    from judge.audit.models import AuditHead

    token = host[1]
    submission = _submission()
    job = _claim(client, token)
    _send(client, token, job, 1, **_compiled(token, job))
    _send(client, token, job, 2, **_test(token, job, 0, "AC"))
    _send(client, token, job, 3, **_test(token, job, 1, "WA"))
    _send(client, token, job, 4, kind="done")

    records = list(AuditRecord.objects.filter(submission_id=submission.id).order_by("seq"))
    assert [(r.kind, r.host, r.data.get("test")) for r in records] == [
        ("compile", "host:box-1", None),
        ("run", "host:box-1", 1),
        ("run", "host:box-1", 2),
    ]
    assert {r.data["host_key_id"] for r in records} == {sandbox.host_key_id(_key(token).public_key)}
    assert audit_chain_verify().ok

    # The site rewrites what the host said and re-signs its own chain: the host's signature gives it away.
    last = records[-1]
    last.data = {**last.data, "cpu_time": 0.001}
    last.hash = audit_signing.record_hash(last)
    last.signature = audit_signing.signer_get().sign(last.hash)
    tamper(
        "UPDATE judge_auditrecord SET data = %s, hash = %s, signature = %s WHERE seq = %s",
        (json.dumps(last.data), last.hash, last.signature, last.seq),
    )
    AuditHead.objects.update(hash=last.hash)

    report = audit_chain_verify()
    assert not report.ok and f"record {last.seq} does not match what judge host key" in report.problem


@pytest.fixture
def tryout_queued(monkeypatch, hosts_mode):
    """Queue a Run-box run of `print(3)` on sample 1 (as the site's worker does with judge hosts)."""
    from judge import tasks
    from judge.submissions import tryout

    monkeypatch.setattr(tryout.app, "send_task", lambda name, args: tasks.tryout_run(*args))
    problem = ProblemFactory()
    testdata.test_case_add(
        problem=problem, input_data=b"1 2\n", answer_data=b"3\n", is_sample=True, group=None
    )
    user = UserFactory()

    def queue() -> str:
        return tryout.tryout_create(
            user=user, problem=problem, language="python", source="print(3)\n", sample=1
        )

    queue.user = user
    return queue


def _tryout_answer(token: str, job: dict, **run_fields) -> dict:
    run = sandbox.RunResult(sandbox.Outcome.OK, exit_code=0, cpu_time=0.01, wall_time=0.02, memory=1024)
    record = run_record(
        language="python",
        source="print(3)\n",
        limits=sandbox.Limits(),
        result=run,
        test=0,
        test_case_id=None,
        input_data=b"1 2\n",
    )
    signed = _signed(token, job, {**record, "tryout": True, **run_fields})
    ran = {**signed, "stdout": "3\n", "stdout_truncated": False, "stderr": "", "message": "", "matches": True}
    return dict(kind="tryout", compile_ok=True, compile_outcome="OK", compile_output="", run=ran)


def test_a_host_answers_a_run_box_run_before_any_submission(client, host, tryout_queued):
    from judge.submissions.tryout import tryout_result_get

    token = host[1]
    _submission()  # queued first, but someone is waiting on the run box
    run = tryout_queued()
    job = _claim(client, token)
    assert job["kind"] == "tryout" and job["submission"] is None and job["input"]
    assert client.get(f"/hosts/api/tests/{job['input']}", **_auth(token)).content == b"1 2\n"

    assert _send(client, token, job, 1, **_tryout_answer(token, job, cpu_time="x")).status_code == 400
    assert tryout_result_get(user=tryout_queued.user, token=run) == {"status": "pending"}
    assert _send(client, token, job, 1, **_tryout_answer(token, job)).status_code == 200
    assert _send(client, token, job, 2, **_tryout_answer(token, job)).status_code == 410  # answered once

    result = tryout_result_get(user=tryout_queued.user, token=run)
    assert (result["outcome"], result["stdout"], result["matches"]) == ("OK", "3\n", True)
    assert AuditRecord.objects.filter(host="host:box-1", data__tryout=True).count() == 1
    assert _claim(client, token)["kind"] != "tryout"  # the submission's turn now


def test_a_run_box_run_whose_host_goes_silent_or_is_revoked_is_answered_not_available(
    client, host, tryout_queued, admin_user
):
    from judge.hosts.tryouts import ANSWER_SECONDS, tryout_jobs_unanswered
    from judge.submissions.tryout import tryout_result_get

    stored, token = host
    silent, revoked = tryout_queued(), tryout_queued()
    _claim(client, token)
    JudgeJob.objects.update(created_at=timezone.now() - dt.timedelta(seconds=ANSWER_SECONDS + 1))
    assert tryout_jobs_unanswered() == 1
    _claim(client, token)

    host_revoke(user=admin_user, host_id=stored.id)

    for run in (silent, revoked):
        result = tryout_result_get(user=tryout_queued.user, token=run)
        assert result["outcome"] == "IE" and "not available" in result["message"]
    assert not JudgeJob.objects.filter(finished_at__isnull=True).exists()


def test_test_file_hashes_are_kept_on_the_row_and_redone_when_a_file_changes(client, host, hosts_mode):
    import hashlib

    from problems.models import TestCase
    from problems.services.testfiles import test_hashes

    _submission()
    job = _claim(client, host[1])
    test = TestCase.objects.get(pk=job["tests"][0]["id"])
    assert test.input_sha256 == job["tests"][0]["input"] == hashlib.sha256(b"1 2\n").hexdigest()
    assert test.answer_sha256 == hashlib.sha256(b"3\n").hexdigest()

    testdata.test_case_update(test=test, name=test.name, is_sample=False, group=None, input_data=b"5 5\n")

    test.refresh_from_db()
    assert test.input_sha256 == "" and test.answer_sha256  # the answer did not change
    assert test_hashes(test)[0] == hashlib.sha256(b"5 5\n").hexdigest()
    assert TestCase.objects.get(pk=test.pk).input_sha256 == hashlib.sha256(b"5 5\n").hexdigest()


def test_a_run_box_run_that_expired_unclaimed_is_not_served_and_is_forgotten(client, host, tryout_queued):
    from judge.hosts.models import QueuedTryout
    from judge.hosts.tryouts import tryout_jobs_unanswered
    from judge.submissions.tryout import RESULT_SECONDS

    tryout_queued()
    QueuedTryout.objects.update(created_at=timezone.now() - dt.timedelta(seconds=RESULT_SECONDS + 1))

    assert _beat(client, host[1]).status_code == 200
    claim = client.post(
        "/hosts/api/jobs/claim", {"languages": ["python"]}, "application/json", **_auth(host[1])
    )
    assert claim.status_code == 204
    tryout_jobs_unanswered()
    assert not QueuedTryout.objects.exists()
