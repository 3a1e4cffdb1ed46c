from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from problems.models import Problem
from problems.services.packages import problem_export_files, problem_export_package


class Command(BaseCommand):
    help = (
        "Export a problem as a Kattis problem package: into a .zip file, or as the folder <code> inside a "
        "directory. import_problem reads either back."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="problem code")
        parser.add_argument("path", help="a .zip file to write, or a directory to put the package folder in")

    def handle(self, *args, code, path, **options):
        problem = Problem.objects.filter(code=code).first()
        if problem is None:
            raise CommandError(f"no problem '{code}'")
        target = Path(path)
        if target.suffix.lower() == ".zip":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(problem_export_package(problem=problem))
        else:
            target = _folder_write(files=problem_export_files(problem=problem), directory=target, code=code)
        self.stdout.write(f"exported problem {code} to {target}")


def _folder_write(*, files: dict[str, bytes], directory: Path, code: str) -> Path:
    folder = directory / code
    if folder.exists():
        raise CommandError(f"{folder} already exists: remove it or choose another directory")
    for name, data in files.items():  # names start with "<code>/", as in the zip
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder
