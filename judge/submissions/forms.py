from collections.abc import Iterable

from django import forms
from django.conf import settings

from judge.submissions.errors import SubmissionRejected
from sandbox import LANGUAGES, SandboxError, language_versions

VERSIONS_MAX_AGE = 30.0  # seconds: images change only when an admin builds them


def languages_offered(*, allowed: Iterable[str] = ()) -> dict[str, str]:
    """{key: version} of the languages whose image is built (`python -m sandbox check` names the missing
    ones), within `allowed` (a contest's list) unless it is empty. When the Docker engine can't be asked,
    every language, without versions: the judge then reports the engine itself."""
    allowed = set(allowed)
    try:
        versions = {
            key: version for key, version in language_versions(max_age=VERSIONS_MAX_AGE).items() if version
        }
    except SandboxError:
        versions = dict.fromkeys(LANGUAGES, "")
    return {key: version for key, version in versions.items() if not allowed or key in allowed}


def language_label(key: str, version: str) -> str:
    return f"{LANGUAGES[key].name} · {version}" if version else LANGUAGES[key].name


class SubmissionForm(forms.Form):
    language = forms.ChoiceField(choices=())
    source = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "code-input"}),
        help_text="Paste your code, or upload a file below.",
    )
    file = forms.FileField(required=False, help_text="A source file instead of pasted code.")

    def __init__(self, *args, languages: Iterable[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        offered = languages_offered(allowed=languages)
        self.fields["language"].choices = [(key, language_label(key, v)) for key, v in offered.items()]

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            data["source"] = self._read_upload(upload)
        if not (data.get("source") or "").strip():
            raise forms.ValidationError("Paste your code or choose a file.")
        return data

    def _read_upload(self, upload) -> str:
        limit = settings.JUDGE_MAX_SOURCE_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                {"file": f"The file is {upload.size} bytes; the limit is {limit} bytes."}
            )
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError({"file": "The file is not UTF-8 text."}) from None

    def add_rejection(self, rejection: SubmissionRejected) -> None:
        """Show why the service refused the submission, on its field when the form has it."""
        self.add_error(rejection.field if rejection.field in self.fields else None, rejection.message)
