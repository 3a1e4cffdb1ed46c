"""The float checker's relative tolerance is relative to the answer, whatever its sign."""

import pytest

from sandbox.checkers import check_float


@pytest.mark.parametrize(
    ("got", "answer", "accepted"),
    [
        (b"-1010", b"-1000", True),  # |diff| = 1 % of |answer|
        (b"-990", b"-1000", True),
        (b"-1010.5", b"-1000", False),
        (b"1010.05", b"1000", False),  # within 1 % of the output, not of the answer
        (b"990.1", b"1000", True),  # within 1 % of the answer, not of the output
    ],
)
def test_relative_tolerance_is_a_fraction_of_the_answer(got, answer, accepted):
    assert check_float(output=got, answer=answer, abs_tol=0.0, rel_tol=0.01).accepted is accepted


def test_absolute_tolerance_alone_decides_near_zero():
    assert check_float(output=b"-0.05", answer=b"0.05", abs_tol=0.1, rel_tol=0.5).accepted
    assert not check_float(output=b"-0.06", answer=b"0.05", abs_tol=0.1, rel_tol=0.5).accepted
