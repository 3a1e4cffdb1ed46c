"""The one rule for which tests a complete judging runs (worker, judge host, and the site checking a host)."""

from sandbox import JudgingPlan


def test_pass_fail_stops_at_the_first_failure_when_asked():
    plan = JudgingPlan(skip_failed_groups=False, stop_on_failure=True)
    assert plan.due("") and not plan.record("", "AC")
    assert plan.record("", "WA")


def test_pass_fail_without_stopping_runs_everything():
    plan = JudgingPlan(skip_failed_groups=False, stop_on_failure=False)
    assert not plan.record("g", "TLE")
    assert plan.due("g")


def test_group_scoring_skips_the_rest_of_a_failed_group_only():
    plan = JudgingPlan(skip_failed_groups=True, stop_on_failure=False)
    assert not plan.record("g1", "WA")
    assert not plan.due("g1") and plan.due("g2")
    assert not plan.record("", "WA") and plan.due("")  # tests in no group are never skipped
