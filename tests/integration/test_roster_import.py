"""Accounts in bulk: a roster CSV becomes a course's students or a contest's teams, all rows or none."""

import csv
import io

import pytest
from django.conf import global_settings
from django.contrib.auth.hashers import get_hasher
from django.test import Client
from django.urls import reverse

from accounts.models import AccountProfile, Membership, User
from accounts.roster import MAX_ROWS
from accounts.services import GENERATED_PASSWORD_ITERATIONS
from judge.contests.models import ContestParticipant
from tests.factories import MembershipFactory, TenantFactory, UserFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db
URL = reverse("staff:roster_upload")
GOOD = (
    "Username,Display name,E-mail,Team members,Affiliation\n"
    "team01,Byte Me,t1@example.org,Ann; Bob; Cid,North High\n"
    'team02,<b>Bold</b> & Co,,"Dee, Eve",<script>alert(1)</script>\n'
)


@pytest.fixture
def world():
    return world_make()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(user, data: bytes | str, target: str, **fields):
    content = data.encode() if isinstance(data, str) else data
    upload = io.BytesIO(content)
    upload.name = "roster.csv"
    return _client(user).post(URL, {"target": target, "file": upload, "output": "page", **fields})


def _tenant_key(world) -> str:
    return f"tenant-{world.tenant.id}"


def test_a_good_file_creates_students_with_passwords_shown_once(world):
    response = _post(world.staff, GOOD, _tenant_key(world))

    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    accounts = response.context["accounts"]
    assert [a.row.username for a in accounts] == ["team01", "team02"] and all(a.created for a in accounts)
    team = User.objects.get(username="team01")
    assert team.first_name == "Byte Me" and team.email == "t1@example.org"
    assert team.profile.team_members == "Ann; Bob; Cid" and team.profile.affiliation == "North High"
    assert Membership.objects.get(user=team, tenant=world.tenant).role == Membership.Role.STUDENT
    password = accounts[0].password
    assert team.check_password(password)
    assert password not in team.password  # hashed
    body = response.content.decode()
    assert password in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in body


def test_re_importing_updates_instead_of_duplicating(world):
    _post(world.staff, GOOD, _tenant_key(world))
    hashed = User.objects.get(username="team01").password
    changed = GOOD.replace("Byte Me", "Byte You")

    response = _post(world.staff, changed, _tenant_key(world))

    assert response.status_code == 200
    assert User.objects.filter(username__startswith="team").count() == 2
    assert AccountProfile.objects.count() == 2
    team = User.objects.get(username="team01")
    assert team.first_name == "Byte You" and team.password == hashed  # password kept
    assert [a.created for a in response.context["accounts"]] == [False, False]
    assert all(a.password is None for a in response.context["accounts"])

    reset = _post(world.staff, changed, _tenant_key(world), reset_passwords="on")
    assert User.objects.get(username="team01").password != hashed
    assert all(a.password for a in reset.context["accounts"])


def test_a_bad_row_is_reported_with_its_line_and_nothing_is_created(world):
    bad = GOOD + "team03,Three,not-an-email,,\n" + "bad name!,Four,,,\n"

    response = _post(world.staff, bad, _tenant_key(world))

    assert response.status_code == 400
    errors = response.context["errors"]
    assert any(e.startswith("Line 4:") and "email" in e for e in errors)
    assert any(e.startswith("Line 5:") for e in errors)
    assert b"Nothing was imported" in response.content
    assert not User.objects.filter(username__startswith="team").exists()


def test_a_username_taken_outside_the_course_stops_everything(world):
    MembershipFactory(user__username="team02")  # a student of another school
    MembershipFactory(tenant=world.tenant, user__username="team01", role=Membership.Role.INSTRUCTOR)

    response = _post(world.staff, GOOD, _tenant_key(world))

    assert response.status_code == 400
    assert [e[:7] for e in response.context["errors"]] == ["Line 2:", "Line 3:"]
    assert not AccountProfile.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"username\n" + "caf\xe9\n".encode("latin-1"), "Line 2: the file is not UTF-8"),
        (b"username\nann\x00\n", "NUL"),
        ("username\n" + "".join(f"u{i}\n" for i in range(MAX_ROWS + 1)), f"more than {MAX_ROWS} rows"),
        ("login,colour\nann,red\n", "unknown column 'colour'"),
        ("email\na@example.org\n", "needs a “username” column"),
        ("username\nann\nAnn\n", "Line 3: the username 'Ann' is already on line 2"),
        ("username,name\nann," + "x" * 151 + "\n", "Line 2: display name is longer than 150"),
        ("username,email\n\n", "a header but no rows"),
    ],
)
def test_bad_files_are_refused_with_a_reason(world, data, message):
    response = _post(world.staff, data, _tenant_key(world))

    assert response.status_code == 400
    errors = response.context["errors"]
    assert any(message in error for error in errors), errors
    assert not User.objects.exclude(id__in=[world.staff.id, world.ann.id, world.bob.id]).exists()


def test_utf8_with_a_bom_and_any_column_order(world):
    data = "\ufeffaffiliation;ignored\n".replace(";ignored", ",username,name") + "Café Club,zoë,Zoë Ünal\n"
    response = _post(world.staff, data.encode("utf-8"), _tenant_key(world))

    assert response.status_code == 200, response.context["errors"]
    user = User.objects.get(username="zoë")
    assert user.first_name == "Zoë Ünal" and user.profile.affiliation == "Café Club"


def test_contest_teams_are_registered_in_the_contest(world):
    contest = contest_make(world, access="invited", started_minutes_ago=-60)

    response = _post(world.staff, GOOD, f"contest-{contest.id}")

    assert response.status_code == 200
    teams = set(ContestParticipant.objects.filter(contest=contest).values_list("user__username", flat=True))
    assert teams == {"team01", "team02"}
    assert not Membership.objects.filter(user__username="team01").exists()  # invited only: no school access
    assert _post(world.staff, GOOD, f"contest-{contest.id}").status_code == 200  # re-import: its own teams
    assert ContestParticipant.objects.filter(contest=contest).count() == 2


def test_the_csv_download_is_the_same_one_time_result(world):
    upload = io.BytesIO(GOOD.replace("North High", "=HYPERLINK(1)").encode())
    upload.name = "roster.csv"
    response = _client(world.staff).post(URL, {"target": _tenant_key(world), "file": upload, "output": "csv"})

    assert response["Content-Type"].startswith("text/csv") and response["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["username"] for r in rows] == ["team01", "team02"]
    assert User.objects.get(username="team01").check_password(rows[0]["password"])
    assert rows[0]["affiliation"] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet


def test_only_the_importers_own_courses_and_contests(world):
    other = TenantFactory(name="Rival School")
    other_staff = MembershipFactory(tenant=other, role=Membership.Role.INSTRUCTOR).user
    contest = contest_make(world, started_minutes_ago=-60)  # not running: nobody is locked

    for target in (_tenant_key(world), f"contest-{contest.id}"):
        response = _post(other_staff, GOOD, target)
        assert response.status_code == 400 and "target" in response.context["form"].errors
    assert _post(world.ann, GOOD, _tenant_key(world)).status_code == 404  # a student
    assert _client(UserFactory()).get(URL).status_code == 404
    assert Client().get(URL).status_code == 302  # to the login page
    assert not User.objects.filter(username__startswith="team").exists()


def test_the_upload_page_offers_the_importers_courses_and_contests(world):
    contest_make(world, started_minutes_ago=-60)

    body = _client(world.staff).get(URL).content.decode()

    assert "Students of Delta College" in body and "Teams of the contest Spring Cup" in body
    assert 'enctype="multipart/form-data"' in body and "tenant" not in body.replace(_tenant_key(world), "")


def test_generated_passwords_get_a_quick_hash_that_the_first_login_upgrades(world, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    password = _post(world.staff, GOOD, _tenant_key(world)).context["accounts"][0].password
    user = User.objects.get(username="team01")
    algorithm, iterations, *_ = user.password.split("$")
    assert algorithm == "pbkdf2_sha256" and int(iterations) == GENERATED_PASSWORD_ITERATIONS

    login = Client().post(reverse("accounts:login"), {"username": "team01", "password": password})
    assert login.status_code == 302

    user.refresh_from_db()
    assert int(user.password.split("$")[1]) == get_hasher().iterations > GENERATED_PASSWORD_ITERATIONS
