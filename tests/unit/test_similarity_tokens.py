"""Tokens and winnowing: comments, layout and renaming do not hide a copy; honest solutions stay apart."""

from pathlib import Path

import pytest

from judge.similarity.tokens import LEXERS, tokenize
from judge.similarity.winnowing import K, W, fingerprints, kgram_hashes, matched_spans, similarity, winnow
from sandbox import LANGUAGES

PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "similarity"
FLAG = 0.5  # judge.similarity.services.REPORT_SCORE; not imported: that module needs Django


def _prints(name: str, language: str):
    return fingerprints([t.text for t in tokenize(source=(PROGRAMS / name).read_text(), language=language)])


def test_every_judge_language_has_a_lexer():
    assert set(LEXERS) == set(LANGUAGES)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_language_tokenizes_its_self_test_program(language):
    source = LANGUAGES[language].self_test
    tokens = tokenize(source=source, language=language)
    assert len(tokens) >= 3
    assert "V" in {t.text for t in tokens}
    assert all(1 <= t.line <= source.count("\n") + 1 for t in tokens)


@pytest.mark.parametrize(("ext", "language"), [("cpp", "cpp"), ("py", "python")])
def test_a_renamed_and_reformatted_copy_is_flagged(ext, language):
    assert similarity(_prints(f"original.{ext}", language), _prints(f"copy.{ext}", language)) >= 0.9


@pytest.mark.parametrize(("ext", "language"), [("cpp", "cpp"), ("py", "python")])
def test_independent_solutions_of_the_same_problem_are_not(ext, language):
    original = _prints(f"original.{ext}", language)
    assert similarity(original, _prints(f"independent.{ext}", language)) < FLAG
    assert similarity(_prints(f"copy.{ext}", language), _prints(f"independent.{ext}", language)) < FLAG


def test_comments_whitespace_names_and_literals_vanish():
    a = tokenize(source="int total = 5; // five\n", language="cpp")
    b = tokenize(source="/* x */ int   sum=7 ;\n", language="cpp")
    assert [t.text for t in a] == [t.text for t in b] == ["int", "V", "=", "0", ";"]
    assert [t.text for t in tokenize(source='s = "a" "b"\n', language="python")] == ["V", "=", "S"]


def test_tokens_know_their_lines():
    tokens = tokenize(source="x = 1\n\n# note\ny = 2\n", language="python")
    assert [t.line for t in tokens] == [1, 1, 1, 4, 4, 4]


def test_winnowing_keeps_the_rightmost_minimum_of_each_window_once():
    assert [(f.hash, f.position) for f in winnow([5, 3, 3, 9, 1, 7], w=3)] == [(3, 2), (1, 4)]
    assert [(f.hash, f.position) for f in winnow([4, 2], w=3)] == [(2, 1)]  # shorter than a window
    assert winnow([], w=3) == []


def test_a_shared_run_of_w_plus_k_minus_1_tokens_is_always_found():
    shared = [f"t{i}" for i in range(W + K - 1)]
    a = [f"a{i}" for i in range(40)] + shared + [f"a{i}" for i in range(40, 80)]
    b = [f"b{i}" for i in range(25)] + shared
    assert {f.hash for f in fingerprints(a)} & {f.hash for f in fingerprints(b)}
    assert len(kgram_hashes(shared)) == W


def test_matched_spans_cover_the_shared_region_only():
    shared = [f"t{i}" for i in range(30)]
    a = [f"a{i}" for i in range(20)] + shared
    b = shared + [f"b{i}" for i in range(20)]
    spans_a, spans_b = matched_spans(fingerprints(a), fingerprints(b))
    assert spans_a and all(start >= 20 and end <= 50 for start, end in spans_a)
    assert spans_b and all(start >= 0 and end <= 30 for start, end in spans_b)


def test_empty_sources_score_zero():
    assert similarity([], _prints("original.py", "python")) == 0.0
