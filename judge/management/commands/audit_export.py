import json

from django.core.management.base import BaseCommand

from judge.audit.selectors import audit_export_rows
from judge.audit.since import since_parse


class Command(BaseCommand):
    help = "Write the execution log as JSON Lines (one record a line, with its hash and signature)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="records from this date or ISO date and time on")
        parser.add_argument("--output", "-o", help="a file to write (default: standard output)")

    def handle(self, *args, since, output, **options):
        rows = audit_export_rows(since=since_parse(since))
        if output:
            with open(output, "w", encoding="utf-8") as out:
                count = self._write(rows, out.write)
            self.stderr.write(f"{count} record(s) written to {output}")
        else:
            self._write(rows, self.stdout.write)

    def _write(self, rows, write) -> int:
        count = 0
        for row in rows:
            write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")
            count += 1
        return count
