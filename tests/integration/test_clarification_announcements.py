"""Clarifications on the page and live: cards the page script can find by id, and announcements that staff
post to everyone in the contest without a question."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from judge.contests.clarifications import clarification_announce, clarification_answer, clarification_ask
from judge.contests.models import Clarification
from tests.integration.contest_world import contest_make, world_make
from tests.integration.test_contest_websockets import _messages


@pytest.fixture
def world():
    return world_make()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(user, contest) -> str:
    return _client(user).get(reverse("contests:clarifications", args=[contest.slug])).content.decode()


def _announce(user, contest, **data):
    url = reverse("contests:clarification_announce", args=[contest.slug])
    return _client(user).post(
        url, {"problem": "", "question": "Clock", "answer": "Ten more minutes.", **data}
    )


@pytest.mark.django_db
def test_every_card_carries_its_id_for_live_answers(world):
    contest = contest_make(world)
    question = clarification_ask(user=world.ann, contest=contest, label="A", question="Is n > 0?")

    for viewer in (world.ann, world.staff):
        assert f'id="clar-{question.id}" data-id="{question.id}"' in _page(viewer, contest)
    assert 'id="clar-list"' in _page(world.bob, contest)


@pytest.mark.django_db
def test_staff_post_an_announcement_and_everyone_reads_it(world):
    contest = contest_make(world)

    assert 'id="announce-title"' in _page(world.staff, contest)
    assert 'id="announce-title"' not in _page(world.ann, contest)
    assert _announce(world.staff, contest, problem="B", question="Statement fixed").status_code == 302

    announcement = Clarification.objects.get()
    assert announcement.is_public and announcement.answered_at and announcement.problem.label == "B"
    bob_page = _page(world.bob, contest)
    card = bob_page.split(f'data-id="{announcement.id}"', 1)[1].split("</article>", 1)[0]
    assert "Announcement" in card and "Statement fixed" in card and "Ten more minutes." in card
    assert "coach" not in card and "To everyone" not in card
    assert "clar-answer-form" not in _page(world.staff, contest)  # nothing to answer
    assert "data-clar-count hidden" in _page(world.staff, contest)  # and not counted as open


@pytest.mark.django_db
def test_participants_cannot_announce(world):
    contest = contest_make(world)

    assert _announce(world.ann, contest).status_code == 403
    with pytest.raises(PermissionDenied):
        clarification_announce(user=world.ann, contest=contest, title="Free points", text="For all")
    assert not Clarification.objects.exists()


@pytest.mark.django_db
def test_an_empty_announcement_is_refused(world):
    contest = contest_make(world)

    _announce(world.staff, contest, answer="   ")

    assert not Clarification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_announcement_reaches_every_socket_of_the_contest(world):
    contest = contest_make(world)
    path = f"/ws/contests/{contest.slug}/"

    def announce():
        clarification_announce(user=world.staff, contest=contest, label="A", title="Clock", text="Ten more.")

    viewers = {"staff": (path, world.staff), "ann": (path, world.ann), "bob": (path, world.bob)}
    received = _messages(viewers, announce)

    for name in viewers:
        [message] = received[name]
        assert message["type"] == "clarification" and message["event"] == "announced", name
        c = message["clarification"]
        assert (c["question"], c["answer"], c["problem"], c["announcement"]) == (
            "Clock",
            "Ten more.",
            "A",
            True,
        )
        assert "author" not in c


@pytest.mark.django_db(transaction=True)
def test_an_answer_carries_what_the_card_shows(world):
    contest = contest_make(world)
    question = clarification_ask(user=world.ann, contest=contest, label="A", question="Can n be 0?")
    path = f"/ws/contests/{contest.slug}/"

    def answer():
        clarification_answer(user=world.staff, clarification=question, answer="No.\nNever.", public=False)

    received = _messages({"ann": (path, world.ann)}, answer)

    [message] = received["ann"]
    c = message["clarification"]
    assert c["id"] == question.id and c["answer"] == "No.\nNever." and c["answered"]
    assert c["announcement"] is False
