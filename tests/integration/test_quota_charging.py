"""Who pays for a submission: the problem's tenant only for its members and for contests; anyone else
practising a public problem is charged to the shared public pool, and nobody may queue more than
JUDGE_MAX_QUEUED_PER_USER at once."""

import pytest
from django.urls import reverse

from accounts.models import PUBLIC_POOL_SLUG, Membership, Tenant
from judge.contests.models import Contest, ContestParticipant
from judge.contests.services import contest_submission_create
from judge.submissions import events
from judge.submissions.models import Submission, TenantQuota
from judge.submissions.quotas import usage_today
from judge.submissions.services import REJUDGE_PRIORITY, submission_create
from problems.selectors import problem_get_for_user
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, TenantFactory, UserFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db

API = reverse("api:submission_list")
SOURCE = "print(1)\n"


@pytest.fixture
def school():
    return TenantFactory(name="Delta College")


@pytest.fixture
def problem(school):
    return ProblemFactory(code="sum", tenant=school)


@pytest.fixture
def member(school):
    return MembershipFactory(tenant=school).user


@pytest.fixture
def instructor(school):
    return MembershipFactory(tenant=school, role=Membership.Role.INSTRUCTOR).user


def _submit(user, code="sum") -> Submission:
    return submission_create(
        user=user, problem=problem_get_for_user(user=user, code=code), language="python", source=SOURCE
    )


def _api(client, user, code="sum"):
    client.force_login(user)
    return client.post(
        API, {"problem": code, "language": "python", "source": SOURCE}, content_type="application/json"
    )


def test_a_strangers_submission_is_charged_to_the_public_pool(problem, school, settings):
    settings.JUDGE_PUBLIC_QUOTA = {"max_running": 1, "max_queued": 7, "cpu_seconds_per_day": 99}

    submission = _submit(UserFactory())

    pool = Tenant.objects.get(slug=PUBLIC_POOL_SLUG)
    assert submission.tenant == pool
    assert submission.problem.tenant == school
    quota = TenantQuota.objects.get(tenant=pool)
    assert (quota.max_running, quota.max_queued, quota.cpu_seconds_per_day) == (1, 7, 99)
    assert usage_today(tenant_id=pool.id).submissions == 1
    assert usage_today(tenant_id=school.id).submissions == 0


def test_a_members_submission_is_charged_to_the_school_a_strangers_is_not(problem, school, member):
    assert _submit(member).tenant == school
    assert not Tenant.objects.filter(slug=PUBLIC_POOL_SLUG).exists()  # made on first use only

    assert _submit(UserFactory()).tenant != school


def test_a_member_of_another_school_is_a_stranger_here(problem):
    outsider = MembershipFactory().user

    assert _submit(outsider).tenant.slug == PUBLIC_POOL_SLUG


def test_a_contest_submission_is_charged_to_the_contests_tenant_even_for_an_invited_outsider():
    world = world_make()
    contest = contest_make(world, access=Contest.Access.INVITED)
    guest = UserFactory()
    ContestParticipant.objects.create(contest=contest, user=guest)
    practice = ProblemFactory(tenant=world.tenant, code="practice")

    in_contest = contest_submission_create(
        user=guest, contest=contest, problem_code=world.problems[0].code, language="python", source=SOURCE
    )
    outside = submission_create(user=guest, problem=practice, language="python", source=SOURCE)

    assert in_contest.tenant == contest.tenant
    assert outside.tenant.slug == PUBLIC_POOL_SLUG


def test_strangers_do_not_use_up_the_schools_queue(client, problem, school, member):
    TenantQuota.objects.create(tenant=school, max_queued=1)
    for _ in range(3):
        assert _api(client, UserFactory()).status_code == 201

    assert _api(client, member).status_code == 201
    response = _api(client, MembershipFactory(tenant=school).user)

    assert response.status_code == 429
    assert "Delta College" in response.json()["detail"]


def test_the_pool_has_its_own_queue_limit(client, problem, settings):
    settings.JUDGE_PUBLIC_QUOTA = {"max_running": 1, "max_queued": 2, "cpu_seconds_per_day": 3600}
    for _ in range(2):
        assert _api(client, UserFactory()).status_code == 201

    response = _api(client, UserFactory())

    assert response.status_code == 429
    assert "outside the problem's course, school or club" in response.json()["detail"]


def _staff_list_ids(client) -> set[int]:
    return {s.id for s in client.get(reverse("staff:submission_list")).context["page_obj"]}


def test_staff_of_the_problems_school_see_a_pool_charged_submission(client, problem, instructor):
    submission = _submit(UserFactory())
    assert submission.tenant.slug == PUBLIC_POOL_SLUG
    client.force_login(instructor)

    assert client.get(reverse("judge:submission_detail", args=[submission.id])).status_code == 200
    assert client.get(reverse("api:submission_detail", args=[submission.id])).status_code == 200
    assert submission.id in _staff_list_ids(client)

    client.force_login(MembershipFactory(role=Membership.Role.INSTRUCTOR).user)  # another school's
    assert client.get(reverse("judge:submission_detail", args=[submission.id])).status_code == 404
    assert submission.id not in _staff_list_ids(client)


def test_updates_reach_the_problems_staff_group_too(
    problem, school, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(events, "sends_safe", lambda sends: sent.extend(group for group, _ in sends))

    with django_capture_on_commit_callbacks(execute=True):
        submission = _submit(UserFactory())

    assert submission.tenant_id != school.id
    assert events.tenant_staff_group(school.id) in sent
    assert events.tenant_staff_group(submission.tenant_id) in sent
    assert len(sent) == len(set(sent))


def test_the_pools_name_is_not_shown_as_a_tenant(client, problem):
    stranger = UserFactory()
    submission = _submit(stranger)
    assert submission.tenant.name == "Public practice"
    client.force_login(stranger)

    page = client.get(reverse("judge:submission_detail", args=[submission.id])).content.decode()
    api = client.get(reverse("api:submission_detail", args=[submission.id]))

    assert "Public practice" not in page
    assert "Public practice" not in api.content.decode()
    assert "tenant" not in api.json()


def test_per_user_queue_cap_is_429_saying_how_many_wait(client, problem, member, settings, queued_tasks):
    settings.JUDGE_MAX_QUEUED_PER_USER = 2
    assert _api(client, member).status_code == 201
    assert _api(client, member).status_code == 201

    response = _api(client, member)

    assert response.status_code == 429
    assert "You already have 2 submissions waiting" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert Submission.objects.filter(user=member).count() == 2
    assert len(queued_tasks) == 2


def test_per_user_cap_shows_on_the_submit_page(client, problem, member, settings):
    settings.JUDGE_MAX_QUEUED_PER_USER = 1
    SubmissionFactory(problem=problem, user=member)
    client.force_login(member)

    response = client.post(reverse("judge:submit", args=["sum"]), {"language": "python", "source": SOURCE})

    assert response.status_code == 429
    assert any(
        "You already have 1 submissions waiting" in e
        for e in response.context["submit_form"].non_field_errors()
    )


def test_per_user_cap_counts_only_the_users_own_live_waiting_submissions(client, problem, member, settings):
    settings.JUDGE_MAX_QUEUED_PER_USER = 1
    SubmissionFactory(problem=problem)  # someone else's
    SubmissionFactory(problem=problem, user=member, status=Submission.Status.DONE)
    SubmissionFactory(problem=problem, user=member, priority=REJUDGE_PRIORITY)  # a rejudge: the staff's doing

    assert _api(client, member).status_code == 201
    assert _api(client, member).status_code == 429


def test_staff_of_the_problems_school_rejudge_a_pool_charged_submission(client, problem, instructor):
    submission = _submit(UserFactory())
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.DONE, verdict="WA")
    client.force_login(instructor)

    page = client.get(reverse("judge:submission_detail", args=[submission.id]))
    response = client.post(reverse("staff:submission_rejudge", args=[submission.id]))

    assert page.context["is_staff"]
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.previous_verdict) == (Submission.Status.QUEUED, "WA")
