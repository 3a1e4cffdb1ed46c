"""Real programs judged end to end: submission_create, then a worker's claim and judge, on real Docker.

No fake engine here: each verdict below comes from a program that really ran (STYLE rule 14).
Limits stay small so the whole module runs in well under a minute and a half.
"""

import signal

import pytest

from judge.submissions.models import Submission, Verdict
from judge.submissions.services import submission_create
from problems.models import Problem
from problems.services import testdata  # its test_* names must not be collected
from tests.factories import ProblemFactory, UserFactory

pytestmark = [pytest.mark.docker, pytest.mark.django_db]

APLUSB_TESTS = [("1 2\n", "3\n", True), ("1000000000000 -7\n", "999999999993\n", False)]

APLUSB_AC = {
    "c": '#include <stdio.h>\nint main(void){long long a,b;scanf("%lld %lld",&a,&b);'
    'printf("%lld\\n",a+b);return 0;}\n',
    "cpp": "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}\n",
    "python": "a, b = map(int, input().split())\nprint(a + b)\n",
    "java": "import java.util.Scanner;\npublic class Main{public static void main(String[] args){"
    "Scanner in=new Scanner(System.in);System.out.println(in.nextLong()+in.nextLong());}}\n",
}


def _problem(*, tests, **fields) -> Problem:
    problem = ProblemFactory(**fields)
    for input_data, answer_data, is_sample in tests:
        testdata.test_case_add(
            problem=problem,
            input_data=input_data.encode(),
            answer_data=answer_data.encode(),
            is_sample=is_sample,
            group=None,
        )
    return problem


def _judge(judge_queued, *, problem: Problem, language: str, source: str) -> Submission:
    submission = submission_create(user=UserFactory(), problem=problem, language=language, source=source)
    judged = judge_queued()
    assert [s.id for s in judged] == [submission.id]
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DONE
    assert submission.internal_message == ""
    return submission


def _results(submission: Submission) -> list:
    return list(submission.results.order_by("order"))


@pytest.mark.parametrize("language", ["c", "cpp", "python", "java"])
def test_correct_solution_is_accepted(judge_queued, language):
    problem = _problem(tests=APLUSB_TESTS, time_limit=2.0)

    submission = _judge(judge_queued, problem=problem, language=language, source=APLUSB_AC[language])

    assert submission.verdict == Verdict.AC, submission.compile_output
    assert submission.score == submission.max_score == 1.0
    assert [r.verdict for r in _results(submission)] == [Verdict.AC, Verdict.AC]
    assert submission.tests_done == submission.tests_total == 2
    assert submission.max_time is not None and submission.max_memory > 0


@pytest.mark.parametrize(
    ("language", "source"),
    [
        ("python", "a, b = map(int, input().split())\nprint(a - b)\n"),
        ("cpp", "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b+1<<'\\n';}\n"),
    ],
    ids=["python", "cpp"],
)
def test_wrong_output_is_wrong_answer_and_stops_at_the_first_failure(judge_queued, language, source):
    problem = _problem(tests=APLUSB_TESTS)

    submission = _judge(judge_queued, problem=problem, language=language, source=source)

    assert submission.verdict == Verdict.WA
    assert submission.score == 0
    [result] = _results(submission)
    assert result.verdict == Verdict.WA
    assert "expected '3'" in result.checker_message


def test_c_infinite_loop_is_stopped_at_the_cpu_limit(judge_queued):
    problem = _problem(tests=APLUSB_TESTS, time_limit=0.5)
    source = "int main(void){volatile unsigned long spins=0;for(;;)spins++;}\n"

    submission = _judge(judge_queued, problem=problem, language="c", source=source)

    assert submission.verdict == Verdict.TLE
    [result] = _results(submission)
    assert result.verdict == Verdict.TLE
    assert result.time >= 0.5


def test_python_sleeping_past_the_wall_limit_is_tle(judge_queued):
    problem = _problem(tests=APLUSB_TESTS, time_limit=0.5)  # wall limit: 3 x 0.5 + 1 = 2.5 s

    submission = _judge(
        judge_queued, problem=problem, language="python", source="import time\ntime.sleep(30)\n"
    )

    assert submission.verdict == Verdict.TLE
    [result] = _results(submission)
    assert result.verdict == Verdict.TLE
    assert result.time < 0.5  # it slept: the wall clock, not the CPU limit, ended it
    assert 2.5 <= result.wall_time < 10


def test_cpp_segfault_is_runtime_error_with_the_signal(judge_queued):
    problem = _problem(tests=APLUSB_TESTS)
    source = "int main(){volatile int *p = nullptr; *p = 1; return 0;}\n"

    submission = _judge(judge_queued, problem=problem, language="cpp", source=source)

    assert submission.verdict == Verdict.RE
    [result] = _results(submission)
    assert result.signal == signal.SIGSEGV


def test_java_uncaught_exception_is_runtime_error(judge_queued):
    problem = _problem(tests=APLUSB_TESTS, time_limit=2.0)
    source = (
        'public class Main{public static void main(String[] a){throw new IllegalStateException("boom");}}\n'
    )

    submission = _judge(judge_queued, problem=problem, language="java", source=source)

    assert submission.verdict == Verdict.RE
    [result] = _results(submission)
    assert result.exit_code == 1


def test_c_heap_over_the_memory_limit_is_mle(judge_queued):
    problem = _problem(tests=APLUSB_TESTS, memory_limit=32)
    source = (  # volatile: otherwise gcc -O2 drops the unobserved stores and the memory is never touched
        "#include <stdio.h>\n#include <stdlib.h>\n"
        "int main(void){size_t n=256u<<20;volatile char *p=malloc(n);if(!p)return 3;"
        'for(size_t i=0;i<n;i+=4096)p[i]=1;printf("%d\\n",p[n/2]);return 0;}\n'
    )

    submission = _judge(judge_queued, problem=problem, language="c", source=source)

    assert submission.verdict == Verdict.MLE
    [result] = _results(submission)
    assert result.verdict == Verdict.MLE


@pytest.mark.parametrize(
    ("language", "source", "expected_text"),
    [
        ("c", "int main(void){return undeclared_counter;}\n", "undeclared_counter"),
        ("cpp", "int main(){std::vector<int> v; return 0;}\n", "vector"),
        (
            "java",
            'public class Main{public static void main(String[] a){int x = "text";}}\n',
            "incompatible types",
        ),
    ],
    ids=["c", "cpp", "java"],
)
def test_compile_error_keeps_the_compiler_message(judge_queued, language, source, expected_text):
    problem = _problem(tests=APLUSB_TESTS)

    submission = _judge(judge_queued, problem=problem, language=language, source=source)

    assert submission.verdict == Verdict.CE
    assert submission.score == 0
    assert expected_text in submission.compile_output
    assert _results(submission) == []


@pytest.mark.parametrize(
    ("source", "verdict"),
    [
        ("import math\nprint(f'{math.pi:.4f}')\n", Verdict.AC),  # off by 7e-6, within 1e-4
        ("import math\nprint(f'{math.pi:.2f}')\n", Verdict.WA),  # off by 1.6e-3
    ],
    ids=["within", "outside"],
)
def test_float_checker_uses_the_problem_tolerance(judge_queued, source, verdict):
    problem = _problem(
        tests=[("\n", "3.141592654\n", False)],
        checker=Problem.Checker.FLOAT,
        float_abs_tolerance=1e-4,
        float_rel_tolerance=1e-4,
    )

    submission = _judge(judge_queued, problem=problem, language="python", source=source)

    assert submission.verdict == verdict
    [result] = _results(submission)
    assert result.verdict == verdict
    if verdict == Verdict.WA:
        assert "token 1" in result.checker_message


# Kattis output validator: any two positive numbers adding up to n are right, not only the answer file's.
SUM_CHECKER = """\
import sys
from pathlib import Path

input_path, answer_path, feedback_dir = sys.argv[1:4]
n = int(Path(input_path).read_text())


def verdict(accepted, message):
    (Path(feedback_dir) / "judgemessage.txt").write_text(message)
    sys.exit(42 if accepted else 43)


try:
    a, b = map(int, sys.stdin.read().split())
except ValueError:
    verdict(False, "expected exactly two integers")
if a > 0 and b > 0 and a + b == n:
    verdict(True, f"{a} + {b} = {n}")
verdict(False, f"{a} + {b} != {n}")
"""


@pytest.mark.parametrize(
    ("source", "verdict", "message"),
    [
        ("n = int(input())\nprint(n - 3, 3)\n", Verdict.AC, "7 + 3 = 10"),  # not the answer file's "1 9"
        ("n = int(input())\nprint(n, 1)\n", Verdict.WA, "10 + 1 != 10"),
    ],
    ids=["accepts", "rejects"],
)
def test_custom_checker_decides_and_its_message_is_kept(judge_queued, source, verdict, message):
    problem = _problem(
        tests=[("10\n", "1 9\n", False)],
        checker=Problem.Checker.CUSTOM,
        checker_language="python",
        checker_source=SUM_CHECKER,
    )

    submission = _judge(judge_queued, problem=problem, language="python", source=source)

    assert submission.verdict == verdict
    [result] = _results(submission)
    assert result.verdict == verdict
    assert result.checker_message == message


def test_groups_score_the_passed_group_when_the_large_tests_time_out(judge_queued):
    problem = ProblemFactory(scoring=Problem.Scoring.GROUPS, stop_on_first_failure=False, time_limit=0.5)
    small = testdata.test_group_create(problem=problem, name="small", points=40)
    large = testdata.test_group_create(problem=problem, name="large", points=60)
    for group, n, divisors in [
        (small, 12, 6),
        (small, 97, 2),
        (large, 999999999989, 2),
        (large, 10**12, 169),
    ]:
        testdata.test_case_add(
            problem=problem,
            input_data=f"{n}\n".encode(),
            answer_data=f"{divisors}\n".encode(),
            is_sample=False,
            group=group,
        )
    trial_division = (  # right, but O(n): fine for small n, hopeless for n near 10^12
        '#include <stdio.h>\nint main(void){long long n,c=0;scanf("%lld",&n);'
        'for(long long i=1;i<=n;i++)if(n%i==0)c++;printf("%lld\\n",c);return 0;}\n'
    )

    submission = _judge(judge_queued, problem=problem, language="c", source=trial_division)

    assert submission.verdict == Verdict.TLE
    assert (submission.score, submission.max_score) == (40, 100)
    # The group's second large test is skipped: the group already scores nothing.
    assert [(r.group_name, r.verdict) for r in _results(submission)] == [
        ("small", Verdict.AC),
        ("small", Verdict.AC),
        ("large", Verdict.TLE),
    ]


def test_output_excerpt_is_stored_for_samples_only(judge_queued):
    problem = _problem(tests=APLUSB_TESTS)

    submission = _judge(judge_queued, problem=problem, language="python", source=APLUSB_AC["python"])

    sample, hidden = _results(submission)
    assert (sample.is_sample, sample.output_excerpt) == (True, "3\n")
    assert (hidden.is_sample, hidden.output_excerpt) == (False, "")
