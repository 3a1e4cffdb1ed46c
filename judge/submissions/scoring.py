"""From per-test outcomes to one verdict and score. Pure functions: no database, no sandbox."""

from dataclasses import dataclass

from judge.submissions.models import Verdict


@dataclass(frozen=True)
class TestOutcome:
    __test__ = False

    order: int
    group: str
    verdict: str
    time: float = 0.0
    memory: int = 0
    fraction: float | None = None  # partial credit from a custom checker; None = all or nothing


@dataclass(frozen=True)
class Summary:
    verdict: str
    score: float


def verdict_aggregate(
    *, outcomes: list[TestOutcome], group_points: dict[str, float], scored: bool
) -> Summary:
    """Pass/fail: the first failing test decides. Scored: a group earns its points only if all its tests pass
    (scaled by the lowest partial-credit fraction in it); the verdict is still the first failure, or AC."""
    ordered = sorted(outcomes, key=lambda o: o.order)
    first_failure = next((o.verdict for o in ordered if o.verdict != Verdict.AC), Verdict.AC)
    if not scored:
        return Summary(first_failure, 1.0 if first_failure == Verdict.AC else 0.0)
    return Summary(first_failure, _group_score(ordered, group_points))


def _group_score(outcomes: list[TestOutcome], group_points: dict[str, float]) -> float:
    by_group: dict[str, list[TestOutcome]] = {}
    for outcome in outcomes:
        by_group.setdefault(outcome.group, []).append(outcome)
    total = 0.0
    for name, points in group_points.items():
        total += group_earned(points=points, members=by_group.get(name, []))
    return round(total, 6)


def group_earned(*, points: float, members: list[TestOutcome]) -> float:
    """A group's points if every test in it passed, scaled by its lowest partial-credit fraction; else 0."""
    if not members or any(o.verdict != Verdict.AC for o in members):
        return 0.0
    fractions = [o.fraction for o in members if o.fraction is not None]
    return points * (min(fractions) if fractions else 1.0)
