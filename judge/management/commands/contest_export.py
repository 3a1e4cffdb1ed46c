from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from judge.ccs.services import contest_package_export
from judge.contests.models import Contest


class Command(BaseCommand):
    help = (
        "Write a contest package for resolvers (ICPC Contest API, admin view): a zip with "
        "event-feed.ndjson, scoreboard.json and contest.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("contest", help="the contest's slug (its id in the Contest API)")
        parser.add_argument("out", help="the .zip to write")

    def handle(self, *args, contest, out, **options):
        found = Contest.objects.select_related("tenant").filter(slug=contest).first()
        if found is None:
            raise CommandError(f"No contest with the slug {contest!r}.")
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a folder.")
        count = contest_package_export(contest=found, path=path)
        self.stdout.write(f"{path}: {count} events, scoreboard and contest of {found.slug}")
