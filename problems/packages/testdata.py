"""data/: samples, secret tests, and test groups from the folders under data/secret."""

from dataclasses import dataclass, field

from problems.packages.config import testdata_yaml_parse
from problems.packages.types import PackageError, PackageGroup, PackageTest

NAME_MAX, GROUP_MAX = 100, 60
ROOT_TESTDATA = "testdata.yaml"  # data/testdata.yaml: settings for all the tests
ON_REJECT = {"break": True, "continue": False}  # Kattis' on_reject: stop at the first rejected test?
_IGNORED_SUFFIXES = (
    ".yaml",
    ".desc",
    ".hint",
    ".png",
    ".jpg",
    ".svg",
    ".interaction",
    ".args",
    ".files",
    ".md",
)


@dataclass
class TestData:
    __test__ = False

    tests: list[PackageTest] = field(default_factory=list)
    groups: list[PackageGroup] = field(default_factory=list)
    stop_on_first_failure: bool = True
    warnings: list[str] = field(default_factory=list)


def testdata_read(*, files: dict[str, bytes]) -> TestData:
    data = TestData()
    stems = _stems(files=files, warnings=data.warnings)
    samples = sorted((s for s in stems if s.startswith("sample/")), key=_sort_key)
    secret = sorted((s for s in stems if s.startswith("secret/")), key=_sort_key)
    for stem in samples:
        data.tests.append(_test(files=files, stem=stem, is_sample=True, group=""))
    # A flat data/secret with a score in its testdata.yaml is one group, "secret".
    root_points = _points(files=files, folder="secret")
    flat_scored = root_points is not None and not any(stem.count("/") > 1 for stem in secret)
    for stem in secret:
        group = "secret" if flat_scored else _group_name(stem=stem)
        if group and all(g.name != group for g in data.groups):
            points = root_points if flat_scored else _points(files=files, folder=f"secret/{group}")
            data.groups.append(PackageGroup(name=group, points=points or 0.0))
        data.tests.append(_test(files=files, stem=stem, is_sample=False, group=group))
    data.stop_on_first_failure = _stop_on_first_failure(files=files)
    if not data.tests:
        raise PackageError("no test data: put .in/.ans pairs in data/sample and data/secret")
    if not secret:
        data.warnings.append("data/secret has no tests: only the samples will be judged")
    return data


def _stems(*, files: dict[str, bytes], warnings: list[str]) -> set[str]:
    stems, ignored = set(), set()
    for path in files:
        if not path.startswith("data/"):
            continue
        relative = path[len("data/") :]
        if relative == ROOT_TESTDATA:
            continue
        stem, dot, suffix = relative.rpartition(".")
        if not relative.startswith(("sample/", "secret/")):
            ignored.add("data/" + relative.split("/", 1)[0] + ("/" if "/" in relative else ""))
        elif dot and suffix in ("in", "ans"):
            partner = f"data/{stem}.{'ans' if suffix == 'in' else 'in'}"
            if partner not in files:
                raise PackageError(f"{path} has no matching {partner.rsplit('/', 1)[1]}")
            stems.add(stem)
        elif not path.endswith(_IGNORED_SUFFIXES):
            ignored.add(path)
    if ignored:
        warnings.append(f"test data ignored: {', '.join(sorted(ignored))}")
    return stems


def _sort_key(stem: str) -> tuple[str, ...]:
    return tuple(stem.split("/"))


def _test(*, files: dict[str, bytes], stem: str, is_sample: bool, group: str) -> PackageTest:
    if len(stem) > NAME_MAX:
        raise PackageError(f"data/{stem}.in: the test name is longer than {NAME_MAX} characters")
    return PackageTest(
        name=stem,
        input=files[f"data/{stem}.in"],
        answer=files[f"data/{stem}.ans"],
        is_sample=is_sample,
        group=group,
    )


def _stop_on_first_failure(*, files: dict[str, bytes]) -> bool:
    path = f"data/{ROOT_TESTDATA}"
    if path not in files:
        return True
    value = testdata_yaml_parse(text=files[path], path=path).get("on_reject", "break")
    if value not in ON_REJECT:
        raise PackageError(f"{path}: on_reject must be 'break' or 'continue', not {value!r}")
    return ON_REJECT[value]


def _group_name(*, stem: str) -> str:
    folder = stem[len("secret/") :].rpartition("/")[0]
    if len(folder) > GROUP_MAX:
        raise PackageError(f"data/secret/{folder}: the group name is longer than {GROUP_MAX} characters")
    return folder


def _points(*, files: dict[str, bytes], folder: str) -> float | None:
    """A group's score from its own testdata.yaml: `score`, `scoring: {score}` or the top of `range`."""
    path = f"data/{folder}/testdata.yaml"
    if path not in files:
        return None
    config = testdata_yaml_parse(text=files[path], path=path)
    scoring = config.get("scoring") if isinstance(config.get("scoring"), dict) else {}
    grading = config.get("grading") if isinstance(config.get("grading"), dict) else {}
    value = config.get("score", scoring.get("score", grading.get("score")))
    if value is None and isinstance(config.get("range"), str) and len(config["range"].split()) == 2:
        value = config["range"].split()[1]
    if value is None:
        return None
    try:
        points = float(value)
    except (TypeError, ValueError):
        raise PackageError(f"{path}: score must be a number, not {value!r}") from None
    if points < 0:
        raise PackageError(f"{path}: score must not be negative")
    return points
