"""A problem's tags: a few short lowercase words such as `graphs` or `shortest-paths`.

The rules live here once: the model field and its form field (comma-separated text, used by the
authoring page and the admin alike), the problem list's filter and the package importer all use them.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst

TAG_MAX_CHARS = 30
TAG_MAX_COUNT = 8
# No quote, backslash, space or non-ASCII letter: the list filter relies on it (problems/selectors.py),
# and a package's space-separated keywords carry every tag unchanged (problems/packages/).
_TAG = re.compile(r"[a-z0-9][a-z0-9+#-]*\Z")
_SEPARATORS = re.compile(r"[\s_]+")


def tag_normalize(name: str) -> str:
    """`Shortest Paths` -> `shortest-paths`: lowercase, each run of spaces or underscores one hyphen."""
    return _SEPARATORS.sub("-", name.strip().lower())


def tag_error(name: str) -> str | None:
    """Why `name` (normalized) is not a tag, or None when it is one."""
    if len(name) > TAG_MAX_CHARS:
        return f"The tag “{name[:TAG_MAX_CHARS]}…” is longer than {TAG_MAX_CHARS} characters."
    if not _TAG.match(name):
        return f"The tag “{name}” may use only lowercase letters a–z, digits, -, + and #."
    return None


def tags_validate(value) -> None:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValidationError("Tags are a list of words.")
    errors = [error for error in map(tag_error, value) if error]
    if len(value) > TAG_MAX_COUNT:
        errors.append(f"At most {TAG_MAX_COUNT} tags; this has {len(value)}.")
    if len(set(value)) < len(value):
        errors.append("A tag is there twice.")
    if errors:
        raise ValidationError(errors)


def tags_parse(text: str) -> list[str]:
    """Comma-separated text as typed -> normalized tags, each once, in the order given."""
    names = (tag_normalize(part) for part in text.split(","))
    return list(dict.fromkeys(name for name in names if name))


class TagsFormField(forms.CharField):
    """Tags typed as `graphs, shortest paths`; cleaned to a list of normalized tags."""

    default_validators = [tags_validate]

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list):
            return value
        return tags_parse(super().to_python(value))


class TagsField(models.JSONField):
    """A JSON list of tags, edited as comma-separated text in every form (not as raw JSON)."""

    def formfield(self, **kwargs):
        kwargs.pop("form_class", None)
        defaults = {"label": capfirst(self.verbose_name), "help_text": self.help_text}
        return TagsFormField(**{**defaults, **kwargs})
