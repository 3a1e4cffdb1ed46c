"""Reads of the similarity check: whose submissions are compared, who may see a check, a pair side by side."""

from dataclasses import dataclass

from django.db.models.functions import Length
from django.http import Http404

from accounts.models import User
from accounts.selectors import tenant_ids_for_staff, user_is_staff_of
from judge.contests.models import Contest
from judge.similarity.models import SimilarityCheck
from judge.similarity.tokens import LEXERS, tokenize
from judge.similarity.winnowing import fingerprints, matched_spans, similarity
from judge.submissions.models import Submission
from problems.models import Problem

MAX_SUBMISSIONS = 400  # final submissions compared per check: 400 in one language is ~80,000 pairs
MAX_SOURCE_CHARS = 65_536  # larger sources are generated or padded; they are skipped and counted


@dataclass(frozen=True)
class Final:
    """One user's final submission to one problem, as the check compares it."""

    id: int
    user_id: int
    problem_id: int
    language: str

    @property
    def group(self) -> tuple[int, str]:
        """Compared only within the same problem and the same lexer (Python and PyPy are one)."""
        return self.problem_id, LEXERS[self.language]


def similarity_finals(
    *, problem: Problem | None = None, contest: Contest | None = None
) -> tuple[list[Final], int]:
    """Each user's best submission per problem (highest score, then the latest), newest first, at most
    MAX_SUBMISSIONS; and how many finals were left out (too large or beyond the bound)."""
    scope = {"problem": problem} if problem is not None else {"contest": contest}
    rows = (
        Submission.objects.filter(kind=Submission.Kind.NORMAL, **scope)
        .order_by("user_id", "problem_id", "-score", "-created_at", "-id")
        .values_list("id", "user_id", "problem_id", "language", "created_at")
    )
    best: dict[tuple[int, int], tuple] = {}
    for row in rows:
        best.setdefault((row[1], row[2]), row)
    newest = sorted(best.values(), key=lambda row: (row[4], row[0]), reverse=True)
    small = set(
        Submission.objects.filter(id__in=[row[0] for row in newest])
        .annotate(size=Length("source"))
        .filter(size__lte=MAX_SOURCE_CHARS)
        .values_list("id", flat=True)
    )
    kept = [Final(*row[:4]) for row in newest if row[0] in small][:MAX_SUBMISSIONS]
    return kept, len(newest) - len(kept)


def similarity_check_get_for_user(*, user: User, check_id: int) -> SimilarityCheck:
    """A check, for staff of its course, school or club only; anyone else gets a 404."""
    check = SimilarityCheck.objects.select_related("problem", "contest").filter(pk=check_id).first()
    if check is None or not user_is_staff_of(user=user, tenant_id=check.tenant_id):
        raise Http404("No such check")
    return check


def similarity_check_list_for_user(*, user: User, limit: int = 50) -> list[SimilarityCheck]:
    checks = SimilarityCheck.objects.filter(tenant_id__in=tenant_ids_for_staff(user=user))
    return list(checks.select_related("problem", "contest")[:limit])


@dataclass(frozen=True)
class PairRow:
    a: Submission
    b: Submission
    score: float


def similarity_pair_rows(*, check: SimilarityCheck) -> list[PairRow]:
    """The reported pairs with their submissions (users, problem, language), most similar first."""
    ids = {pair[side] for pair in check.pairs for side in ("a", "b")}
    subs = Submission.objects.select_related("user", "problem").defer("source").in_bulk(ids)
    return [
        PairRow(a=subs[pair["a"]], b=subs[pair["b"]], score=pair["score"])
        for pair in check.pairs
        if pair["a"] in subs and pair["b"] in subs
    ]


@dataclass(frozen=True)
class Line:
    number: int
    text: str  # as written: the template escapes it
    marked: bool


@dataclass(frozen=True)
class Side:
    submission: Submission
    lines: list[Line]


@dataclass(frozen=True)
class PairView:
    score: float
    left: Side
    right: Side

    @property
    def sides(self) -> tuple[Side, Side]:
        return self.left, self.right


def _lines_marked(source: str, tokens, spans) -> list[Line]:
    marked = set()
    for start, end in spans:
        marked.update(range(tokens[start].line, tokens[end - 1].line + 1))
    return [Line(number=n, text=text, marked=n in marked) for n, text in enumerate(source.splitlines(), 1)]


def similarity_pair_view(*, check: SimilarityCheck, a_id: int, b_id: int) -> PairView:
    """Two sources of a pair this check reported, with the lines of their shared regions marked."""
    if not any(pair["a"] == a_id and pair["b"] == b_id for pair in check.pairs):
        raise Http404("No such pair")
    subs = Submission.objects.select_related("user", "problem").in_bulk([a_id, b_id])
    left, right = subs[a_id], subs[b_id]
    tokens = [tokenize(source=s.source, language=s.language) for s in (left, right)]
    prints = [fingerprints([t.text for t in side]) for side in tokens]
    spans = matched_spans(*prints)
    return PairView(
        score=similarity(*prints),
        left=Side(left, _lines_marked(left.source, tokens[0], spans[0])),
        right=Side(right, _lines_marked(right.source, tokens[1], spans[1])),
    )
