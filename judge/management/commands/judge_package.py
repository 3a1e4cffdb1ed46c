import json

from django.core.management.base import BaseCommand, CommandError

from judge.staff.package_check import package_check
from problems.packages import PackageError


class Command(BaseCommand):
    help = (
        "Judge every reference solution of a Kattis problem package (folder or .zip) in the real sandbox "
        "and check each gets the verdict of its folder (accepted, wrong_answer, ...) with the time "
        "limit's safety margin; without a time limit in the package, derive it from the accepted ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="package folder or .zip")
        parser.add_argument(
            "--keep", action="store_true", help="keep the scratch problem and its submissions"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="print one JSON report at the end instead of lines",
        )

    def handle(self, *args, path, keep, as_json=False, **options):
        echo = (lambda line: None) if as_json else self.stdout.write
        try:
            check = package_check(path=path, keep=keep, echo=echo)
        except PackageError as exc:
            raise CommandError(f"{path}: {exc.message}") from None
        report = check.result
        if as_json:
            kept = check.report.problem.code if keep else None
            self.stdout.write(json.dumps({**report.as_dict(), "kept": kept}, indent=2, ensure_ascii=False))
        else:
            if keep:
                self.stdout.write(f"kept as problem {check.report.problem.code} (tenant package-check)")
            self.stdout.write(report.summary_line())
        if check.failed:
            raise CommandError(
                f"{check.failed} reference solution(s) did not pass the check (verdict or time margin)"
            )
