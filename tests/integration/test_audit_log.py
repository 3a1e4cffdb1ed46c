"""The signed execution log: what judging and staff append, the chain audit_verify walks, and each way of
tampering with it that audit_verify must catch."""

import hashlib
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

import sandbox
from accounts.models import Membership
from accounts.services import membership_set
from judge.audit import signing
from judge.audit.models import AuditHead, AuditKey, AuditRecord
from judge.audit.services import audit_append
from judge.audit.verify import audit_chain_verify
from problems.services.authoring import problem_update
from tests.factories import MembershipFactory, SubmissionFactory, UserFactory
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db

INPUTS = ["1 2\n", "3 4\n"]


@pytest.fixture
def judged(engine, judge_queued):
    problem = problem_with_tests(tests=[(given, i == 0, "") for i, given in enumerate(INPUTS)])
    submission = SubmissionFactory(problem=problem, source="ok", tests_total=2)
    judge_queued()
    submission.refresh_from_db()
    return submission


def _verify(*args) -> tuple[int, str]:
    try:
        call_command("audit_verify", *args)
    except SystemExit as exit_:
        return exit_.code, ""
    return 0, ""


def _verify_says(capsys, *args) -> tuple[int, str]:
    code, _ = _verify(*args)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_judging_appends_its_compile_and_each_run(judged):
    records = list(AuditRecord.objects.filter(submission_id=judged.id))
    assert [r.kind for r in records] == ["compile", "run", "run"]
    compile_, first, second = records
    assert compile_.data["limits"]["cpu_time"] == 15.0  # the compiler's own limits
    assert first.data["limits"]["cpu_time"] == judged.problem.time_limit
    assert first.data["limits"]["memory"] == judged.problem.memory_limit * 1024 * 1024
    assert first.data["image"] == compile_.data["image"] == sandbox.language_get("python").image
    assert first.data["source_sha256"] == hashlib.sha256(b"ok").hexdigest()
    assert [r.data["input_sha256"] for r in (first, second)] == [
        hashlib.sha256(given.encode()).hexdigest() for given in INPUTS
    ]
    assert first.data["output_sha256"] == hashlib.sha256(b"3\n").hexdigest()
    assert (first.data["outcome"], first.data["exit_code"], first.data["signal"]) == ("OK", 0, None)
    assert first.data["cpu_time"] > 0 and first.data["memory"] == 1 << 20
    assert first.tenant_id == judged.tenant_id and first.user_id == judged.user_id
    assert first.host and first.key_id == AuditKey.objects.get().key_id


def test_audit_verify_passes_on_a_real_log(judged, capsys):
    membership_set(user=UserFactory(), tenant=judged.tenant, role=Membership.Role.INSTRUCTOR)
    code, said = _verify_says(capsys)
    assert code == 0
    assert f"{AuditRecord.objects.count()} record(s) checked" in said
    assert audit_chain_verify().checked == AuditRecord.objects.count() > 3


def test_an_edited_record_is_named(judged, capsys, tamper):
    tamper("UPDATE judge_auditrecord SET data = json_set(data, '$.cpu_time', 0.0) WHERE seq = 2")
    code, said = _verify_says(capsys)
    assert code == 1
    assert "record 2 was altered" in said


def test_an_edit_with_its_hash_recomputed_fails_on_the_signature(judged, capsys, tamper):
    record = AuditRecord.objects.get(seq=3)
    record.data["outcome"] = "TLE"
    forged = signing.record_hash(record)
    tamper(
        "UPDATE judge_auditrecord SET data = %s, hash = %s WHERE seq = 3", [json.dumps(record.data), forged]
    )
    tamper("UPDATE judge_audithead SET hash = %s", [forged])
    code, said = _verify_says(capsys)
    assert code == 1
    assert "record 3 has a forged signature" in said


def test_a_removed_record_is_named(judged, capsys):
    AuditRecord.objects.filter(seq=2).delete()  # SQLite: no trigger on DELETE (see the migration)
    code, said = _verify_says(capsys)
    assert code == 1
    assert "record 2 missing" in said


def test_removing_the_last_records_is_seen_from_the_head(judged, capsys):
    last = AuditRecord.objects.order_by("-seq").first().seq
    AuditRecord.objects.filter(seq=last).delete()
    code, said = _verify_says(capsys)
    assert code == 1
    assert f"record {last} missing" in said


def test_reordered_records_are_named(judged, capsys, tamper):
    tamper("UPDATE judge_auditrecord SET seq = 1000 WHERE seq = 2")
    tamper("UPDATE judge_auditrecord SET seq = 2 WHERE seq = 3")
    tamper("UPDATE judge_auditrecord SET seq = 3 WHERE seq = 1000")
    code, said = _verify_says(capsys)
    assert code == 1
    assert "record 2 does not follow record 1" in said


def test_a_forged_signature_is_named(judged, capsys, tamper):
    other = signing._signer(b"\x07" * 32, "", "elsewhere")
    record = AuditRecord.objects.get(seq=2)
    tamper("UPDATE judge_auditrecord SET signature = %s WHERE seq = 2", [other.sign(record.hash)])
    code, said = _verify_says(capsys)
    assert code == 1
    assert "record 2 has a forged signature" in said


def test_trusted_keys_in_settings_override_the_key_table(judged, settings):
    assert audit_chain_verify().ok
    other = signing._signer(b"\x07" * 32, "", "elsewhere")
    settings.JUDGE_AUDIT_PUBLIC_KEYS = [f"{other.key_id}={other.public_key}"]
    report = audit_chain_verify()
    assert not report.ok and "record 1 is signed with an unknown key" in report.problem
    key = AuditKey.objects.get()
    settings.JUDGE_AUDIT_PUBLIC_KEYS = [f"{key.key_id}={key.public_key}"]
    assert audit_chain_verify().ok


def test_sqlite_refuses_updates_of_the_log(judged):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError, match="append-only"):
        AuditRecord.objects.filter(seq=1).update(host="elsewhere")


def test_since_checks_from_that_day_and_still_links_to_the_record_before(judged, capsys, tamper):
    assert _verify_says(capsys, "--since", "2000-01-01")[0] == 0
    cut = AuditRecord.objects.get(seq=3).at.isoformat()
    code, said = _verify_says(capsys, "--since", cut)
    assert code == 0 and "record(s) checked" in said
    tamper("UPDATE judge_auditrecord SET hash = %s WHERE seq = 2", ["f" * 64])
    code, said = _verify_says(capsys, "--since", cut)
    assert code == 1 and "record 3 does not follow record 2" in said
    with pytest.raises(Exception, match="--since must be a date"):
        call_command("audit_verify", "--since", "yesterday")


def test_export_writes_one_json_line_per_record(judged, capsys):
    call_command("audit_export")
    lines = capsys.readouterr().out.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [row["seq"] for row in rows] == list(AuditRecord.objects.values_list("seq", flat=True))
    for row in rows:  # each line is enough to check its hash without the database
        body = {name: row[name] for name in signing.CHAINED_FIELDS}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(canonical.encode()).hexdigest() == row["hash"]
    call_command("audit_export", "--since", "2999-01-01")
    assert capsys.readouterr().out == ""


def test_staff_actions_are_logged_with_who_did_them(judged):
    staff = MembershipFactory(tenant=judged.tenant, role=Membership.Role.INSTRUCTOR).user
    problem_update(problem=judged.problem, time_limit=2.5)
    client = Client()
    client.force_login(staff)
    response = client.post(reverse("staff:submission_rejudge", args=[judged.id]))
    assert response.status_code == 302
    membership_set(user=UserFactory(), tenant=judged.tenant, role=Membership.Role.STUDENT)

    staff_records = AuditRecord.objects.filter(kind=AuditRecord.Kind.STAFF)
    actions = {r.action: r for r in staff_records}
    assert actions["problem.update"].data["time_limit"] == 2.5
    assert actions["problem.update"].data["actor"] == "(system)"  # no request: a command or the shell
    rejudge = actions["submission.rejudge"]
    assert (rejudge.user_id, rejudge.data["actor"]) == (staff.id, staff.username)
    assert rejudge.data["target"] == f"submission {judged.id}"
    assert actions["membership.set"].tenant_id == judged.tenant_id
    assert audit_chain_verify().ok


def test_a_rolled_back_staff_action_leaves_no_record(judged):
    count = AuditRecord.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any validation error: the point is what is left
        problem_update(problem=judged.problem, time_limit=-1)
    assert AuditRecord.objects.count() == count
    assert AuditHead.objects.get().seq == count


def test_staff_see_the_execution_trace_and_students_do_not(judged):
    staff = MembershipFactory(tenant=judged.tenant, role=Membership.Role.INSTRUCTOR).user
    url = reverse("judge:submission_detail", args=[judged.id])
    client = Client()
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "Execution trace" in page
    assert AuditRecord.objects.filter(submission_id=judged.id).first().host in page
    assert hashlib.sha256(b"ok").hexdigest() in page
    client.force_login(judged.user)
    page = client.get(url).content.decode()
    assert "Execution trace" not in page and "source_sha256" not in page
    outsider = MembershipFactory(role=Membership.Role.INSTRUCTOR).user  # staff of another school
    client.force_login(outsider)
    assert "Execution trace" not in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_appends_from_many_threads_at_once_stay_one_chain():
    def append(n: int) -> None:
        try:
            for i in range(5):
                audit_append(kind=AuditRecord.Kind.STAFF, action="test.append", data={"thread": n, "i": i})
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert list(AuditRecord.objects.values_list("seq", flat=True)) == list(range(1, 21))
    assert audit_chain_verify().ok  # the test's flush then deletes them: SQLite allows it (see the migration)


def test_a_quota_changed_in_the_admin_is_logged(judged):
    from judge.submissions.models import TenantQuota

    quota = TenantQuota.objects.get(tenant=judged.tenant)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    url = reverse("admin:judge_tenantquota_change", args=[quota.id])
    form = {"tenant": judged.tenant_id, "max_running": 7, "max_queued": quota.max_queued}
    response = client.post(url, {**form, "cpu_seconds_per_day": quota.cpu_seconds_per_day})
    assert response.status_code == 302, response.content[:2000]

    record = AuditRecord.objects.get(action="tenantquota.change")
    assert (record.tenant_id, record.user_id) == (judged.tenant_id, admin.id)
    assert record.data["max_running"] == "7" and "max_queued" not in record.data
    assert audit_chain_verify().ok


@pytest.mark.docker
def test_a_real_sandbox_judging_is_logged_and_verifies(judge_queued, capsys):
    problem = problem_with_tests(tests=[("1 2\n", True, "")])
    submission = SubmissionFactory(problem=problem, tests_total=1)  # print(sum(map(int, input().split())))
    [judged] = judge_queued()
    assert judged.verdict == "AC"

    compile_, run = AuditRecord.objects.filter(submission_id=submission.id)
    assert run.data["outcome"] == "OK" and run.data["exit_code"] == 0
    assert 0 < run.data["cpu_time"] < problem.time_limit and run.data["memory"] > 1 << 20
    assert run.data["output_sha256"] == hashlib.sha256(b"3\n").hexdigest()
    assert compile_.data["image"] == sandbox.language_get("python").image
    total = AuditRecord.objects.count()  # with the test the problem was made with
    assert _verify_says(capsys) == (0, f"execution log ok: {total} record(s) checked\n")


def test_the_default_key_is_made_once_private_and_an_environment_key_wins(settings, tmp_path):
    import base64
    import stat

    settings.JUDGE_AUDIT_KEY_FILE = tmp_path / "var" / "audit-signing-key"
    first = signing.signer_get()
    assert stat.S_IMODE(settings.JUDGE_AUDIT_KEY_FILE.stat().st_mode) == 0o600
    assert signing.signer_get().public_key == first.public_key
    assert list(settings.JUDGE_AUDIT_KEY_FILE.parent.iterdir()) == [settings.JUDGE_AUDIT_KEY_FILE]
    settings.JUDGE_AUDIT_SIGNING_KEY, settings.JUDGE_AUDIT_KEY_ID = b"\x01" * 32, "worker-7"
    given = signing.signer_get()
    assert given.key_id == "worker-7" and given.public_key != first.public_key
    assert len(base64.b64decode(given.public_key)) == 32
