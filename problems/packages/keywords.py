"""problem.yaml `keywords` -> the problem's tags (problems/tags.py).

Legacy packages give one string of keywords (space-separated; commas are accepted too), 2023-07 ones a
list. A keyword that cannot be a tag is left out with a warning, and so are those past the tag limit,
so that an odd package still imports; a value of the wrong type is an error.
"""

from problems.packages.types import PackageError
from problems.tags import TAG_MAX_COUNT, tag_error, tag_normalize


def keywords_read(*, value, warnings: list[str]) -> list[str]:
    words = _words(value=value)
    tags: list[str] = []
    for word in words:
        tag = tag_normalize(word)
        if not tag:
            continue
        if error := tag_error(tag):
            warnings.append(f"problem.yaml: keyword {word!r} ignored: {error}")
        elif tag not in tags:
            tags.append(tag)
    if len(tags) > TAG_MAX_COUNT:
        warnings.append(f"problem.yaml: only the first {TAG_MAX_COUNT} keywords became tags")
    return tags[:TAG_MAX_COUNT]


def _words(*, value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split(",") if "," in value else value.split()
    if isinstance(value, list) and all(isinstance(word, str | int | float) for word in value):
        return [str(word) for word in value]
    raise PackageError("problem.yaml: keywords must be text or a list of text")
