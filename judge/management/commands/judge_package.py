from django.core.management.base import BaseCommand, CommandError

from judge.staff.package_check import package_check
from problems.packages import PackageError


class Command(BaseCommand):
    help = (
        "Judge every reference solution of a Kattis problem package (folder or .zip) in the real sandbox "
        "and check each gets the verdict of its folder (accepted, wrong_answer, ...)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="package folder or .zip")
        parser.add_argument(
            "--keep", action="store_true", help="keep the scratch problem and its submissions"
        )

    def handle(self, *args, path, keep, **options):
        try:
            check = package_check(path=path, keep=keep, echo=self.stdout.write)
        except PackageError as exc:
            raise CommandError(f"{path}: {exc.message}") from None
        if keep:
            self.stdout.write(f"kept as problem {check.report.problem.code} (tenant package-check)")
        self.stdout.write(check.summary())
        if check.failed:
            raise CommandError(f"{check.failed} reference solution(s) did not get the expected verdict")
