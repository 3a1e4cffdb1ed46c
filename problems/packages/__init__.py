"""Kattis / ICPC problem packages (problemtools legacy format, and the common parts of 2023-07).

Public API:
    package_load(source=folder | zip path | zip bytes) -> Package
    package_parse(files={path: bytes}, name=) -> Package
    package_files(package=) -> {path: bytes}   (the inverse, for export)
"""

from problems.packages.latex import latex_to_markdown
from problems.packages.parse import package_load, package_parse
from problems.packages.types import Package, PackageError, PackageGroup, PackageProgram, PackageTest
from problems.packages.write import package_files

__all__ = [
    "Package",
    "PackageError",
    "PackageGroup",
    "PackageProgram",
    "PackageTest",
    "latex_to_markdown",
    "package_files",
    "package_load",
    "package_parse",
]
