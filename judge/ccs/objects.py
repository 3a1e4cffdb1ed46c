"""Our contest objects as the ICPC Contest API's (icpc/ccs-specs, Contest API 2023-06): ids are strings,
times ISO 8601 with milliseconds, contest times RELTIME (h:mm:ss.uuu). Pure functions of model rows.

Mapping: a contest is one contest (id: its slug); its problems keep their codes as ids and their
contest labels; each participant is a team (id: the user id) of one organization, the course, school or
club; a submission's judgement has the submission's id, its runs "<submission>-<test>". Contest times
count from the team's own start (personal windows), so penalties rebuilt from the feed match the board.
A clarification is the question (its id) and, once answered, the answer ("<id>-r", a reply to it); a staff
announcement is one clarification from the jury.
"""

import datetime as dt

from judge.contests.models import Clarification, Contest, ContestProblem
from judge.contests.scoreboard import NOT_TRIES, PENALTY_PER_TRY, Board
from judge.submissions.models import Submission, TestResult, Verdict
from sandbox import LANGUAGES

API_VERSION = "2023-06"
# Our verdicts as the spec's judgement types. IE has none: judging is not over, the judgement stays open.
JUDGEMENT_TYPE_IDS = {
    Verdict.AC: "AC",
    Verdict.WA: "WA",
    Verdict.TLE: "TLE",
    Verdict.RE: "RTE",
    Verdict.MLE: "MLE",
    Verdict.OLE: "OLE",
    Verdict.CE: "CE",
}

# The properties of each endpoint's objects, as `access` lists them and every object below has them.
FIELDS: dict[str, tuple[str, ...]] = {
    "contest": (
        "id",
        "name",
        "formal_name",
        "start_time",
        "duration",
        "scoreboard_freeze_duration",
        "scoreboard_type",
        "penalty_time",
    ),
    "judgement-types": ("id", "name", "penalty", "solved"),
    "languages": ("id", "name", "entry_point_required", "extensions"),
    "problems": ("id", "label", "name", "ordinal", "time_limit", "test_data_count"),
    "organizations": ("id", "name", "formal_name"),
    "teams": ("id", "label", "name", "organization_id", "group_ids", "hidden"),
    "state": ("started", "frozen", "ended", "thawed", "finalized", "end_of_updates"),
    "submissions": ("id", "team_id", "problem_id", "language_id", "time", "contest_time", "files"),
    "judgements": (
        "id",
        "submission_id",
        "judgement_type_id",
        "start_time",
        "start_contest_time",
        "end_time",
        "end_contest_time",
        "max_run_time",
    ),
    "runs": ("id", "judgement_id", "ordinal", "judgement_type_id", "time", "contest_time", "run_time"),
    "clarifications": (
        "id",
        "from_team_id",
        "to_team_ids",
        "reply_to_id",
        "problem_id",
        "text",
        "time",
        "contest_time",
    ),
}


def iso_time(when: dt.datetime | None) -> str | None:
    if when is None:
        return None
    return when.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def reltime(delta: dt.timedelta) -> str:
    """RELTIME: (-)h:mm:ss.uuu, whole milliseconds."""
    ms = round(delta.total_seconds() * 1000)
    sign, ms = ("-" if ms < 0 else ""), abs(ms)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def contest_object(contest: Contest) -> dict:
    return {
        "id": contest.slug,
        "name": contest.title,
        "formal_name": contest.title,
        "start_time": iso_time(contest.start_at),
        "duration": reltime(contest.end_at - contest.start_at),
        "scoreboard_freeze_duration": reltime(dt.timedelta(minutes=contest.freeze_minutes)),
        "scoreboard_type": "pass-fail" if contest.format == Contest.Format.ICPC else "score",
        "penalty_time": PENALTY_PER_TRY,
    }


def judgement_type_objects() -> list[dict]:
    return [
        {
            "id": type_id,
            "name": Verdict(verdict).label.lower(),
            "penalty": verdict != Verdict.AC and verdict not in NOT_TRIES,
            "solved": verdict == Verdict.AC,
        }
        for verdict, type_id in JUDGEMENT_TYPE_IDS.items()
    ]


def language_object(key: str) -> dict:
    language = LANGUAGES[key]
    return {
        "id": key,
        "name": language.name,
        "entry_point_required": False,
        "extensions": [ext.lstrip(".") for ext in language.extensions],
    }


def problem_object(entry: ContestProblem, ordinal: int, test_count: int) -> dict:
    return {
        "id": entry.problem.code,
        "label": entry.label,
        "name": entry.problem.title,
        "ordinal": ordinal,
        "time_limit": entry.problem.time_limit,
        "test_data_count": test_count,
    }


def organization_object(contest: Contest) -> dict:
    tenant = contest.tenant
    return {"id": tenant.slug, "name": tenant.name, "formal_name": tenant.name}


def team_object(contest: Contest, user_id: int, name: str) -> dict:
    return {
        "id": str(user_id),
        "label": str(user_id),
        "name": name,
        "organization_id": contest.tenant.slug,
        "group_ids": [],
        "hidden": False,
    }


def state_object(contest: Contest, *, now: dt.datetime, finalized_at: dt.datetime | None) -> dict:
    """The state as it was at `now`; `finalized_at`: when the results became final (None: not yet)."""

    def when(moment: dt.datetime | None) -> str | None:
        return iso_time(moment) if moment is not None and moment <= now else None

    return {
        "started": when(contest.start_at),
        "frozen": when(contest.freeze_at),
        "ended": when(contest.end_at),
        "thawed": when(contest.unfrozen_at) if contest.freeze_at else None,
        "finalized": when(finalized_at),
        "end_of_updates": when(finalized_at),
    }


def submission_object(submission: Submission, *, code: str, start: dt.datetime) -> dict:
    return {
        "id": str(submission.id),
        "team_id": str(submission.user_id),
        "problem_id": code,
        "language_id": submission.language,
        "time": iso_time(submission.created_at),
        "contest_time": reltime(submission.created_at - start),
        "files": [],
    }


def judgement_object(submission: Submission, *, start: dt.datetime) -> dict:
    begun = submission.started_at or submission.created_at
    return {
        "id": str(submission.id),
        "submission_id": str(submission.id),
        "judgement_type_id": JUDGEMENT_TYPE_IDS[submission.verdict],
        "start_time": iso_time(begun),
        "start_contest_time": reltime(begun - start),
        "end_time": iso_time(submission.judged_at),
        "end_contest_time": reltime(submission.judged_at - start),
        "max_run_time": submission.max_time,
    }


def run_object(result: TestResult, *, judged_at: dt.datetime, start: dt.datetime) -> dict:
    return {
        "id": f"{result.submission_id}-{result.order}",
        "judgement_id": str(result.submission_id),
        "ordinal": result.order,
        "judgement_type_id": JUDGEMENT_TYPE_IDS.get(result.verdict),
        "time": iso_time(judged_at),
        "contest_time": reltime(judged_at - start),
        "run_time": result.time,
    }


def clarification_objects(
    clarification: Clarification, *, contest: Contest, announcement: bool, asker_is_team: bool
) -> list[tuple[dt.datetime, dict]]:
    """(when it happened, object) for the question and its answer; an announcement is one object."""
    problem = clarification.problem.problem.code if clarification.problem_id else None

    def item(id_: str, when: dt.datetime, text: str, **who) -> tuple[dt.datetime, dict]:
        base = {"id": id_, "from_team_id": None, "to_team_ids": None, "reply_to_id": None, **who}
        data = {**base, "problem_id": problem, "text": text, "time": iso_time(when)}
        return when, {**data, "contest_time": reltime(when - contest.start_at)}

    if announcement:
        text = f"{clarification.question}\n\n{clarification.answer}"
        return [item(str(clarification.id), clarification.answered_at, text)]
    asker = str(clarification.author_id) if asker_is_team else None
    items = [
        item(str(clarification.id), clarification.created_at, clarification.question, from_team_id=asker)
    ]
    if clarification.answered_at is not None:
        to = None if clarification.is_public or asker is None else [asker]
        reply = dict(to_team_ids=to, reply_to_id=str(clarification.id))
        items.append(item(f"{clarification.id}-r", clarification.answered_at, clarification.answer, **reply))
    return items


def scoreboard_object(board: Board, *, codes: dict[str, str], state: dict, now: dt.datetime, start) -> dict:
    """`codes`: label -> problem id. ICPC rows carry solved and penalty; IOI rows their score."""
    icpc = board.format == Contest.Format.ICPC
    rows = []
    for row in board.rows:
        problems = []
        for cell in row.cells:
            item = {"problem_id": codes[cell.label], "num_judged": cell.tries + int(cell.solved)}
            item["num_pending"], item["solved"] = cell.pending, cell.solved
            if icpc and cell.solved:
                item["time"], item["first_to_solve"] = cell.minute, cell.first_solve
            if not icpc:
                item["score"] = cell.score or 0.0
            problems.append(item)
        score = {"num_solved": row.solved, "total_time": row.penalty} if icpc else {"score": row.score}
        rows.append({"rank": row.rank, "team_id": str(row.user_id), "score": score, "problems": problems})
    return {"time": iso_time(now), "contest_time": reltime(now - start), "state": state, "rows": rows}
