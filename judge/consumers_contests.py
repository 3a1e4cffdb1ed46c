"""Contest sockets: access checked on connect through contest_get_for_user, then events are only relayed."""

from django.http import Http404

from judge import events_contests
from judge.consumers import CLOSE_FORBIDDEN, SendOnlyConsumer
from judge.selectors_contests import contest_get_for_user, contest_is_staff, contest_scoreboard


class _ContestConsumer(SendOnlyConsumer):
    def contest_or_refuse(self):
        try:
            return contest_get_for_user(
                user=self.scope["user"], slug=self.scope["url_route"]["kwargs"]["slug"]
            )
        except Http404:
            self.close(code=CLOSE_FORBIDDEN)
            return None


class ScoreboardConsumer(_ContestConsumer):
    """`/ws/contests/<slug>/scoreboard/`: the board now, then again after every change. Staff get the live
    board; everyone else the participants' board, which is frozen while the contest is."""

    def connect(self):
        contest = self.contest_or_refuse()
        if contest is None:
            return
        live = contest_is_staff(user=self.scope["user"], contest=contest)
        self.join(events_contests.board_group(contest.id, live=live))
        self.accept()
        # Joined before computing the snapshot, so no change in between is missed.
        board = contest_scoreboard(contest=contest, live=live)
        self.send_json({"type": "board", "board": events_contests.board_payload(board)})

    def scoreboard_update(self, event):
        self.send_json({"type": "board", "board": event["board"]})


class ContestConsumer(_ContestConsumer):
    """`/ws/contests/<slug>/`: clarifications. Staff hear new questions; everyone hears answers given to
    everyone; an asker hears the private answers to their own questions."""

    def connect(self):
        contest = self.contest_or_refuse()
        if contest is None:
            return
        user = self.scope["user"]
        self.join(events_contests.everyone_group(contest.id))
        if contest_is_staff(user=user, contest=contest):
            self.join(events_contests.staff_group(contest.id))
        else:
            self.join(events_contests.asker_group(contest.id, user.id))
        self.accept()

    def clarification_notify(self, event):
        self.send_json(
            {"type": "clarification", "event": event["event"], "clarification": event["clarification"]}
        )
