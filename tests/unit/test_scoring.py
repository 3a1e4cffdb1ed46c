from judge.submissions.models import Verdict
from judge.submissions.scoring import Summary, TestOutcome, verdict_aggregate


def outcome(
    order: int, verdict: str = Verdict.AC, group: str = "", fraction: float | None = None
) -> TestOutcome:
    return TestOutcome(order=order, group=group, verdict=verdict, fraction=fraction)


# pass/fail


def test_all_accepted_scores_one():
    outcomes = [outcome(1), outcome(2), outcome(3)]
    assert verdict_aggregate(outcomes=outcomes, group_points={}, scored=False) == Summary(Verdict.AC, 1.0)


def test_first_failure_by_order_not_by_list_position():
    outcomes = [outcome(3, Verdict.WA), outcome(1), outcome(2, Verdict.TLE)]
    assert verdict_aggregate(outcomes=outcomes, group_points={}, scored=False) == Summary(Verdict.TLE, 0.0)


def test_single_failure_among_passes():
    outcomes = [outcome(1), outcome(2, Verdict.MLE), outcome(3)]
    assert verdict_aggregate(outcomes=outcomes, group_points={}, scored=False) == Summary(Verdict.MLE, 0.0)


def test_pass_fail_ignores_group_points():
    outcomes = [outcome(1, group="a"), outcome(2, Verdict.WA, group="b")]
    summary = verdict_aggregate(outcomes=outcomes, group_points={"a": 40, "b": 60}, scored=False)
    assert summary == Summary(Verdict.WA, 0.0)


# scored


def test_scored_all_groups_pass():
    outcomes = [outcome(1, group="a"), outcome(2, group="b"), outcome(3, group="b")]
    summary = verdict_aggregate(outcomes=outcomes, group_points={"a": 30, "b": 70}, scored=True)
    assert summary == Summary(Verdict.AC, 100.0)


def test_scored_group_earns_only_if_every_test_passes():
    outcomes = [
        outcome(1, group="a"),
        outcome(2, group="b"),
        outcome(3, Verdict.WA, group="b"),
        outcome(4, group="c"),
    ]
    summary = verdict_aggregate(outcomes=outcomes, group_points={"a": 20, "b": 30, "c": 50}, scored=True)
    assert summary == Summary(Verdict.WA, 70.0)


def test_scored_verdict_is_the_first_failure_by_order():
    outcomes = [outcome(5, Verdict.WA, group="b"), outcome(2, Verdict.RE, group="a"), outcome(1, group="a")]
    summary = verdict_aggregate(outcomes=outcomes, group_points={"a": 50, "b": 50}, scored=True)
    assert summary == Summary(Verdict.RE, 0.0)


def test_scored_group_without_tests_earns_nothing():
    outcomes = [outcome(1, group="a")]
    summary = verdict_aggregate(outcomes=outcomes, group_points={"a": 40, "missing": 60}, scored=True)
    assert summary == Summary(Verdict.AC, 40.0)


def test_scored_partial_fraction_takes_the_minimum_in_the_group():
    outcomes = [
        outcome(1, group="a", fraction=0.8),
        outcome(2, group="a", fraction=0.5),
        outcome(3, group="a"),  # no fraction: does not lower the minimum
        outcome(4, group="b", fraction=0.25),
    ]
    summary = verdict_aggregate(outcomes=outcomes, group_points={"a": 10, "b": 40}, scored=True)
    assert summary == Summary(Verdict.AC, 15.0)


def test_scored_fraction_does_not_rescue_a_failed_group():
    outcomes = [outcome(1, group="a", fraction=1.0), outcome(2, Verdict.WA, group="a", fraction=0.9)]
    summary = verdict_aggregate(outcomes=outcomes, group_points={"a": 100}, scored=True)
    assert summary == Summary(Verdict.WA, 0.0)


def test_scored_ungrouped_tests_do_not_score_but_set_the_verdict():
    outcomes = [outcome(1, Verdict.WA, group=""), outcome(2, group="main")]
    summary = verdict_aggregate(outcomes=outcomes, group_points={"main": 100}, scored=True)
    assert summary == Summary(Verdict.WA, 100.0)


def test_scored_ungrouped_passing_tests_add_nothing():
    outcomes = [outcome(1, group=""), outcome(2, group="")]
    summary = verdict_aggregate(outcomes=outcomes, group_points={"main": 100}, scored=True)
    assert summary == Summary(Verdict.AC, 0.0)


def test_scored_total_is_rounded():
    outcomes = [outcome(1, group="a", fraction=1 / 3), outcome(2, group="b", fraction=1 / 3)]
    summary = verdict_aggregate(outcomes=outcomes, group_points={"a": 1, "b": 1}, scored=True)
    assert summary.score == 0.666667
