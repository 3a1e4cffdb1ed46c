"""Sample content for a fresh judge: a demo tenant, three accounts and a handful of real problems.

Test data is generated from fixed seeds, so every install gets identical tests without shipping files.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

Case = tuple[str, str]  # (input, answer)


def _aplusb() -> list[Case]:
    rng = random.Random(1)
    pairs = [(1, 2), (-5, 5), (0, 0), (10**18, 10**18), (-(10**18), 7)]
    pairs += [(rng.randint(-(10**18), 10**18), rng.randint(-(10**18), 10**18)) for _ in range(5)]
    return [(f"{a} {b}\n", f"{a + b}\n") for a, b in pairs]


def _sorting() -> list[Case]:
    rng = random.Random(2)
    cases = [[3, 1, 2], [5, -1, 4, 4, 0]]
    cases += [[rng.randint(-(10**9), 10**9) for _ in range(n)] for n in (1, 10, 1000, 50000, 200000)]
    cases.append(list(range(200000, 0, -1)))
    return [(f"{len(xs)}\n{' '.join(map(str, xs))}\n", " ".join(map(str, sorted(xs))) + "\n") for xs in cases]


def _triangle() -> list[Case]:
    rng = random.Random(3)
    triangles = [((0, 0), (4, 0), (0, 3)), ((0, 0), (1, 1), (2, 0))]
    triangles += [tuple((rng.uniform(-1e3, 1e3), rng.uniform(-1e3, 1e3)) for _ in range(3)) for _ in range(6)]
    cases = []
    for (ax, ay), (bx, by), (cx, cy) in triangles:
        area = abs((bx - ax) * (cy - ay) - (cx - ax) * (by - ay)) / 2
        cases.append((f"{ax} {ay}\n{bx} {by}\n{cx} {cy}\n", f"{area:.9f}\n"))
    return cases


def _max_subarray(n: int, seed: int) -> Case:
    rng = random.Random(seed)
    xs = [rng.randint(-(10**6), 10**6) for _ in range(n)]
    best, here = xs[0], 0
    for x in xs:
        here = max(x, here + x)
        best = max(best, here)
    return f"{n}\n{' '.join(map(str, xs))}\n", f"{best}\n"


def _subarray() -> list[Case]:
    samples = [("5\n-2 1 -3 4 -1\n", "4\n"), ("3\n-5 -2 -7\n", "-2\n")]
    return samples + [_max_subarray(n, seed) for seed, n in enumerate((10, 50, 100, 100000, 200000, 200000))]


def _vowels() -> list[Case]:
    words = ["judge", "queue", "rhythm", "onomatopoeia", "AEIOU and sometimes y"]
    return [(w + "\n", f"{sum(c in 'aeiouAEIOU' for c in w)}\n") for w in words]


@dataclass(frozen=True)
class SampleProblem:
    code: str
    title: str
    statement: str
    cases: Callable[[], list[Case]]
    samples: int = 2
    visibility: str = "public"
    fields: dict = field(default_factory=dict)
    groups: tuple[tuple[str, float, tuple[int, ...]], ...] = ()  # (name, points, case indexes)


SAMPLE_PROBLEMS = (
    SampleProblem(
        code="aplusb",
        title="Sum of Two Numbers",
        cases=_aplusb,
        fields={"tags": ["math", "implementation"], "difficulty": "easy"},
        statement=(
            "Given two integers $a$ and $b$, print their sum.\n\n## Input\n\nOne line with $a$ and $b$ "
            "($-10^{18} \\le a, b \\le 10^{18}$).\n\n## Output\n\nOne line with $a + b$.\n\n"
            "Mind the range: the sum does not fit in 32 bits, and in C it needs `long long`.\n"
        ),
    ),
    SampleProblem(
        code="sorting",
        title="Sort the Numbers",
        cases=_sorting,
        fields={"time_limit": 2.0, "tags": ["sorting"], "difficulty": "easy"},
        statement=(
            "Sort $n$ integers in non-decreasing order.\n\n## Input\n\nThe first line holds $n$ "
            "($1 \\le n \\le 2 \\cdot 10^5$); the second line holds $n$ integers $a_i$ with "
            "$|a_i| \\le 10^9$.\n\n## Output\n\nThe numbers in sorted order, separated by spaces.\n\n"
            "An $O(n^2)$ sort is too slow for the largest tests; aim for $O(n \\log n)$.\n"
        ),
    ),
    SampleProblem(
        code="triangle",
        title="Triangle Area",
        cases=_triangle,
        fields={
            "checker": "float",
            "float_abs_tolerance": 1e-6,
            "float_rel_tolerance": 1e-6,
            "tags": ["geometry", "math"],
            "difficulty": "medium",
        },
        statement=(
            "Three points $A$, $B$, $C$ in the plane form a triangle. Print its area.\n\n## Input\n\n"
            "Three lines, each with the coordinates $x\\ y$ of a point ($|x|, |y| \\le 1000$, real numbers)."
            "\n\n## Output\n\nThe area. Answers within an absolute or relative error of $10^{-6}$ are "
            "accepted. The shoelace formula gives\n\n$$S = \\frac{|(B-A) \\times (C-A)|}{2}.$$\n"
        ),
    ),
    SampleProblem(
        code="subarray",
        title="Maximum Subarray (subtasks)",
        cases=_subarray,
        fields={
            "scoring": "groups",
            "stop_on_first_failure": False,
            "tags": ["dynamic-programming"],
            "difficulty": "hard",
        },
        groups=(("samples", 0, (0, 1)), ("small", 30, (2, 3, 4)), ("large", 70, (5, 6, 7))),
        statement=(
            "Find the largest sum of a non-empty contiguous block of an array.\n\n## Input\n\n$n$ "
            "($1 \\le n \\le 2 \\cdot 10^5$), then $n$ integers with $|a_i| \\le 10^6$.\n\n## Output\n\n"
            "The largest sum.\n\n## Scoring\n\n| Subtask | Points | Limits |\n|---|---|---|\n"
            "| 1 | 30 | $n \\le 100$ |\n| 2 | 70 | no further limits |\n\nA subtask scores only when "
            "every test in it passes.\n"
        ),
    ),
    SampleProblem(
        code="vowels",
        title="Count the Vowels (Demo School only)",
        cases=_vowels,
        visibility="tenant",
        fields={"tags": ["strings"], "difficulty": "easy"},
        statement=(
            "Count the vowels (a, e, i, o, u, either case) in one line of text.\n\n"
            "Only members of *Demo School* see this problem.\n"
        ),
    ),
)
