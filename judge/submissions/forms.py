from django import forms
from django.conf import settings

from judge.submissions.errors import SubmissionRejected
from sandbox import LANGUAGES


class SubmissionForm(forms.Form):
    language = forms.ChoiceField(choices=[(key, lang.name) for key, lang in LANGUAGES.items()])
    source = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "code-input"}),
        help_text="Paste your code, or upload a file below.",
    )
    file = forms.FileField(required=False, help_text="A source file instead of pasted code.")

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
