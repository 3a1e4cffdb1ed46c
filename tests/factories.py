import factory
from django.core.files.base import ContentFile

from accounts.models import Membership, Tenant, User
from judge.submissions.models import Submission
from problems.models import Problem, TestCase


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-123")


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    tenant = factory.SubFactory(TenantFactory)
    role = Membership.Role.STUDENT


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem

    code = factory.Sequence(lambda n: f"prob{n}")
    title = factory.Sequence(lambda n: f"Problem {n}")
    statement = "Add $a$ and $b$."
    tenant = factory.SubFactory(TenantFactory)
    visibility = Problem.Visibility.PUBLIC


class TestCaseFactory(factory.django.DjangoModelFactory):
    __test__ = False

    class Meta:
        model = TestCase

    problem = factory.SubFactory(ProblemFactory)
    order = factory.Sequence(lambda n: n + 1)
    input_file = factory.LazyFunction(lambda: ContentFile(b"1 2\n", name="t.in"))
    answer_file = factory.LazyFunction(lambda: ContentFile(b"3\n", name="t.ans"))
    input_size = 4
    answer_size = 2


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    user = factory.SubFactory(UserFactory)
    problem = factory.SubFactory(ProblemFactory)
    tenant = factory.SelfAttribute("problem.tenant")
    language = "python"
    source = "print(sum(map(int, input().split())))\n"
