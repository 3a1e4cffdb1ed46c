"""`manage.py judge_host_add NAME`: register a judge host and print its token (shown this once only)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from judge.hosts.services import host_add


class Command(BaseCommand):
    help = "Add a judge host and print its token once (the site keeps only its hash)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="a name for the host, shown on the operators' dashboard")

    def handle(self, *args, name: str, **options):
        try:
            host, token = host_add(name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(f"Added the judge host {host.name}. Its token (shown only now):")
        self.stdout.write(token)
        self.stderr.write(f"On that machine: python -m sandbox.host --site https://THIS-SITE --token {token}")
