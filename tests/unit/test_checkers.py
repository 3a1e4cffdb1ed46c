import pytest

from sandbox.checkers import ACCEPT_EXIT, REJECT_EXIT, _custom_verdict, check_exact, check_float, check_tokens

# check_exact


def test_exact_identical_output_is_accepted():
    result = check_exact(output=b"1 2\n3\n", answer=b"1 2\n3\n")
    assert result.accepted
    assert result.message == ""
    assert not result.failed


def test_exact_trailing_newline_difference_is_rejected_with_its_own_message():
    result = check_exact(output=b"1 2\n3", answer=b"1 2\n3\n")
    assert not result.accepted
    assert result.message == "differs only in trailing newlines"


def test_exact_trailing_space_is_a_real_difference():
    result = check_exact(output=b"1 2 \n", answer=b"1 2\n")
    assert not result.accepted
    assert result.message == "line 1 differs: expected '1 2', got '1 2 '"


def test_exact_names_the_first_differing_line():
    result = check_exact(output=b"a\nb\nX\nY\n", answer=b"a\nb\nc\nd\n")
    assert result.message == "line 3 differs: expected 'c', got 'X'"


def test_exact_output_that_ends_early():
    result = check_exact(output=b"a\n\nb\n", answer=b"a\n\nb\n\nc\n")
    assert not result.accepted
    assert result.message == "output ends early: 3 lines instead of 5"


def test_exact_extra_output():
    result = check_exact(output=b"a\nb\nc\n", answer=b"a\n")
    assert result.message == "extra output after 1 lines"


def test_exact_long_lines_are_shortened_in_the_message():
    result = check_exact(output=b"x" * 100, answer=b"y" * 100)
    assert result.message == f"line 1 differs: expected '{'y' * 37}...', got '{'x' * 37}...'"


# check_tokens


@pytest.mark.parametrize(
    "output",
    [b"1 2 3\n", b"1  2\t3", b"1\r\n2\r\n3\r\n", b"\n\n  1\n2 3  \n\n", b"1\t\t2\n\n\n3"],
)
def test_tokens_tolerate_any_whitespace(output):
    assert check_tokens(output=output, answer=b"1 2 3\n").accepted


def test_tokens_wrong_token_is_named():
    result = check_tokens(output=b"1 5 3", answer=b"1 2 3")
    assert not result.accepted
    assert result.message == "token 2 differs: expected '2', got '5'"


def test_tokens_missing_token():
    result = check_tokens(output=b"1 2", answer=b"1 2 3")
    assert not result.accepted
    assert result.message == "output ends early: 2 tokens instead of 3"


def test_tokens_extra_token():
    result = check_tokens(output=b"1 2 3 4", answer=b"1 2 3")
    assert not result.accepted
    assert result.message == "extra output after 3 tokens"


def test_tokens_empty_output_for_a_non_empty_answer():
    assert check_tokens(output=b"", answer=b"42").message == "output ends early: 0 tokens instead of 1"


def test_tokens_are_case_sensitive():
    assert not check_tokens(output=b"yes", answer=b"YES").accepted


# check_float


def test_float_exact_numbers_accepted():
    assert check_float(output=b"1.5 -2 3e2", answer=b"1.5 -2.0 300").accepted


@pytest.mark.parametrize(("got", "accepted"), [(b"0.1", True), (b"-0.1", True), (b"0.1001", False)])
def test_float_absolute_tolerance_boundary(got, accepted):
    # near zero only the absolute tolerance can help
    assert check_float(output=got, answer=b"0", abs_tol=0.1, rel_tol=0.0).accepted is accepted


@pytest.mark.parametrize(("got", "accepted"), [(b"1010", True), (b"990", True), (b"1010.5", False)])
def test_float_relative_tolerance_boundary(got, accepted):
    assert check_float(output=got, answer=b"1000", abs_tol=0.0, rel_tol=0.01).accepted is accepted


def test_float_either_tolerance_is_enough():
    # 1e6 + 0.5: far beyond abs_tol=1e-6 but within rel_tol=1e-6 of 1e6
    assert check_float(output=b"1000000.5", answer=b"1000000").accepted
    assert not check_float(output=b"1000002", answer=b"1000000").accepted


def test_float_default_tolerance_rejects_a_clear_difference():
    result = check_float(output=b"1 2.001", answer=b"1 2")
    assert not result.accepted
    assert result.message == "token 2: expected '2', got '2.001'"


def test_float_non_numeric_tokens_compare_exactly():
    assert check_float(output=b"Case #1: 0.5", answer=b"Case #1: 0.5000001").accepted
    result = check_float(output=b"case #1: 0.5", answer=b"Case #1: 0.5")
    assert not result.accepted
    assert result.message == "token 1 differs: expected 'Case', got 'case'"


def test_float_word_where_a_number_is_expected():
    result = check_float(output=b"abc", answer=b"1.0")
    assert not result.accepted
    assert result.message == "token 1: expected '1.0', got 'abc'"


@pytest.mark.parametrize("bad", [b"nan", b"NaN", b"inf", b"-inf", b"infinity"])
def test_float_nan_and_inf_in_the_output_are_rejected(bad):
    assert not check_float(output=bad, answer=b"1.0", abs_tol=1e300, rel_tol=1e300).accepted


def test_float_inf_in_the_answer_needs_the_same_text():
    assert check_float(output=b"inf", answer=b"inf").accepted
    assert not check_float(output=b"1e999", answer=b"inf").accepted


@pytest.mark.parametrize(
    ("output", "message"), [(b"1 2", "expected 3 tokens, got 2"), (b"1 2 3 4", "expected 3 tokens, got 4")]
)
def test_float_token_count_mismatch(output, message):
    result = check_float(output=output, answer=b"1 2 3")
    assert not result.accepted
    assert result.message == message


# _custom_verdict (the exit-code and score.txt half of check_custom; the run itself needs Docker)


def test_custom_accept_exit():
    result = _custom_verdict(ACCEPT_EXIT, "fine", None)
    assert (result.accepted, result.message, result.score, result.failed) == (True, "fine", None, False)


def test_custom_reject_exit():
    result = _custom_verdict(REJECT_EXIT, "wrong path length", None)
    assert (result.accepted, result.message, result.score, result.failed) == (
        False,
        "wrong path length",
        None,
        False,
    )


@pytest.mark.parametrize("code", [0, 1, 41, 44, None])
def test_custom_other_exit_is_a_checker_failure(code):
    result = _custom_verdict(code, "", None)
    assert not result.accepted
    assert result.failed
    assert result.message == f"checker exited with {code}, not 42 or 43"


@pytest.mark.parametrize(
    ("text", "score"),
    [(b"0.25", 0.25), (b"0.5\n", 0.5), (b" 1 \n", 1.0), (b"0", 0.0), (b"1.7", 1.0), (b"-0.3", 0.0)],
)
def test_custom_score_is_parsed_and_clamped(text, score):
    result = _custom_verdict(ACCEPT_EXIT, "", text)
    assert result.accepted
    assert not result.failed
    assert result.score == score


def test_custom_score_with_reject_is_kept():
    result = _custom_verdict(REJECT_EXIT, "", b"0.3")
    assert (result.accepted, result.score) == (False, 0.3)


@pytest.mark.parametrize("text", [b"", b"half", b"0.5 points", b"\xff", b"nan"])
def test_custom_bad_score_is_a_checker_failure(text):
    result = _custom_verdict(ACCEPT_EXIT, "", text)
    assert not result.accepted
    assert result.failed
    assert result.message == "checker wrote a score that is not a number"


# case_sensitive=False (Kattis problems without the case_sensitive validator flag)


def test_tokens_case_insensitive_when_asked():
    assert check_tokens(output=b"yes\nPOSSIBLE", answer=b"YES possible", case_sensitive=False).accepted
    result = check_tokens(output=b"yes no", answer=b"YES YES", case_sensitive=False)
    assert not result.accepted
    assert result.message == "token 2 differs: expected 'YES', got 'no'"


def test_float_words_case_insensitive_when_asked():
    assert check_float(output=b"case #1: 0.5", answer=b"Case #1: 0.5", case_sensitive=False).accepted
    assert not check_float(output=b"case #1: 0.6", answer=b"Case #1: 0.5", case_sensitive=False).accepted
