"""Contest sockets: access checked through contest_get_for_user on connect and again while they live,
then events are only relayed."""

from django.http import Http404

from judge.contests import boards, events
from judge.contests.selectors import contest_get_for_user, contest_is_staff
from judge.sockets.consumers import SendOnlyConsumer


class _ContestConsumer(SendOnlyConsumer):
    live: bool | None = None  # whether this socket joined the staff side when it opened

    def authorize(self) -> bool:
        user = self.scope["user"]
        try:
            self.contest = contest_get_for_user(user=user, slug=self.scope["url_route"]["kwargs"]["slug"])
        except Http404:
            return False
        is_staff = contest_is_staff(user=user, contest=self.contest)
        if self.live is None:
            self.live = is_staff
        return is_staff == self.live  # staff who lose their role must not keep the live side


class ScoreboardConsumer(_ContestConsumer):
    """`/ws/contests/<slug>/scoreboard/`: the board now, then the rows each verdict changes (the whole board
    again after changes to every row). Staff get the live board; everyone else the participants' board,
    which is frozen while the contest is."""

    def opened(self) -> None:
        contest = self.contest
        self.join(events.board_group(contest.id, live=self.live))
        self.accept()
        # Joined before computing the snapshot, so no change in between is missed.
        board = boards.board_get(contest=contest, live=self.live)
        self.send_json({"type": "board", "board": boards.board_payload(board)})

    def scoreboard_update(self, event):
        self.send_json({"type": "board", "board": event["board"]})

    def scoreboard_rows(self, event):
        self.send_json({"type": "rows", **event["change"]})


class ContestConsumer(_ContestConsumer):
    """`/ws/contests/<slug>/`: clarifications. Staff hear new questions; everyone hears answers given to
    everyone; an asker hears the private answers to their own questions."""

    def opened(self) -> None:
        contest = self.contest
        self.join(events.everyone_group(contest.id))
        if self.live:
            self.join(events.staff_group(contest.id))
        else:
            self.join(events.asker_group(contest.id, self.scope["user"].id))
        self.accept()

    def clarification_notify(self, event):
        self.send_json(
            {"type": "clarification", "event": event["event"], "clarification": event["clarification"]}
        )
