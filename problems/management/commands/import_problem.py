from django.core.management.base import BaseCommand, CommandError

from accounts.models import Tenant
from problems.models import Problem
from problems.packages import PackageError
from problems.services.packages import problem_import_package


class Command(BaseCommand):
    help = (
        "Import a Kattis/ICPC problem package (a folder or a .zip); replaces the problem if the code exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="package folder or .zip")
        parser.add_argument("--tenant", help="slug of the owning tenant (default: the only tenant)")
        parser.add_argument("--code", help="problem code (default: from the package name)")
        parser.add_argument("--visibility", choices=Problem.Visibility.values, help="default: draft when new")

    def handle(self, *args, path, tenant, code, visibility, **options):
        owner = tenant_for_command(slug=tenant)
        try:
            report = problem_import_package(
                tenant=owner, path_or_bytes=path, code=code, visibility=visibility
            )
        except PackageError as exc:
            raise CommandError(f"{path}: {exc.message}") from None
        for line in report.lines():
            self.stdout.write(line)


def tenant_for_command(*, slug: str | None) -> Tenant:
    """The tenant named by --tenant, or the only one there is; a clear error otherwise."""
    if slug:
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise CommandError(f"no tenant '{slug}'; tenants: {_slugs()}")
        return tenant
    tenants = list(Tenant.objects.all()[:2])
    if len(tenants) != 1:
        raise CommandError(f"say which tenant with --tenant; tenants: {_slugs()}")
    return tenants[0]


def _slugs() -> str:
    return ", ".join(Tenant.objects.order_by("slug").values_list("slug", flat=True)) or "(none)"
