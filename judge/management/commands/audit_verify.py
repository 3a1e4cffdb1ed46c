from django.core.management.base import BaseCommand

from judge.audit.since import since_parse
from judge.audit.verify import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Walk the execution log's hash chain and check every signature; exits 1 naming the first record "
        "that was altered, removed or re-ordered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="check records from this date or ISO date and time on")

    def handle(self, *args, since, **options):
        report = audit_chain_verify(since=since_parse(since))
        if not report.ok:
            self.stderr.write(f"execution log broken after {report.checked} good record(s): {report.problem}")
            raise SystemExit(1)
        self.stdout.write(f"execution log ok: {report.checked} record(s) checked")
