from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Membership, Tenant, User
from accounts.services import membership_set, user_create
from problems.models import Problem
from problems.samples import SAMPLE_PROBLEMS, SampleProblem
from problems.services.authoring import problem_create
from problems.services.testdata import test_case_add, test_group_create

ACCOUNTS = (
    # username, password, role in the demo tenant (None: site admin)
    ("admin", "admin-pass-123", None),
    ("instructor", "instructor-pass-123", Membership.Role.INSTRUCTOR),
    ("student", "student-pass-123", Membership.Role.STUDENT),
)


class Command(BaseCommand):
    help = "Create the demo tenant, sample accounts and sample problems (skips what already exists)."

    @transaction.atomic
    def handle(self, *args, **options):
        tenant, _ = Tenant.objects.get_or_create(
            slug="demo",
            defaults={
                "name": "Demo School",
                "join_code": "DEMO2026",
                "description": "A sample tenant to try the judge with.",
            },
        )
        for username, password, role in ACCOUNTS:
            self._account(tenant, username, password, role)
        for sample in SAMPLE_PROBLEMS:
            self._problem(tenant, sample)

    def _account(self, tenant: Tenant, username: str, password: str, role: str | None) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(username=username, password=password)
            self.stdout.write(f"account {username} / {password}")
        if role is None:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        else:
            membership_set(user=user, tenant=tenant, role=role)

    def _problem(self, tenant: Tenant, sample: SampleProblem) -> None:
        if Problem.objects.filter(code=sample.code).exists():
            return
        problem = problem_create(
            tenant=tenant,
            code=sample.code,
            title=sample.title,
            statement=sample.statement,
            visibility=sample.visibility,
            **sample.fields,
        )
        group_of = {}
        for name, points, indexes in sample.groups:
            group = test_group_create(problem=problem, name=name, points=points)
            group_of.update({index: group for index in indexes})
        cases = sample.cases()
        for index, (given, answer) in enumerate(cases):
            test_case_add(
                problem=problem,
                input_data=given.encode(),
                answer_data=answer.encode(),
                is_sample=index < sample.samples,
                group=group_of.get(index),
            )
        self.stdout.write(f"problem {sample.code}: {len(cases)} tests")
