from django import forms
from django.db.models import QuerySet

from accounts.roster import MAX_FILE_BYTES
from judge.staff.selectors import PENDING
from judge.submissions.models import Submission, Verdict
from problems.models import Problem, ReferenceSolution
from sandbox import LANGUAGES


class ReferenceSolutionForm(forms.Form):
    name = forms.CharField(
        max_length=200, help_text="For example accepted/brute.py or wrong_answer/overflow.c."
    )
    language = forms.ChoiceField(choices=[(key, lang.name) for key, lang in LANGUAGES.items()])
    expected = forms.ChoiceField(choices=ReferenceSolution.Expected.choices)
    source = forms.CharField(
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "code-input"}),
    )


class StaffSubmissionFilterForm(forms.Form):
    problem = forms.ChoiceField(required=False)
    user = forms.CharField(required=False, max_length=150, label="User")
    verdict = forms.ChoiceField(
        required=False, choices=[("", "Any verdict"), (PENDING, "Not judged yet"), *Verdict.choices]
    )
    kind = forms.ChoiceField(
        required=False,
        label="Kind",
        choices=[("", "Submissions"), (Submission.Kind.REFERENCE, "Reference runs"), ("all", "Everything")],
    )

    def __init__(self, *args, problems: QuerySet[Problem], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = [("", "All problems")] + [(p.code, p.code) for p in problems]

    def filters(self) -> dict[str, str]:
        """The selector's keyword arguments; a field with invalid input filters nothing."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = self.cleaned_data
        return {
            "problem_code": data.get("problem", ""),
            "username": data.get("user", "").strip(),
            "verdict": data.get("verdict", ""),
            "kind": data.get("kind", ""),
        }


class RosterImportForm(forms.Form):
    """A roster CSV and where its accounts go; the targets are the importer's own (judge/staff/roster.py)."""

    OUTPUTS = (
        ("page", "Show the accounts and passwords on a printable page"),
        ("csv", "Download them as CSV"),
    )

    target = forms.ChoiceField(label="Import into")
    file = forms.FileField(
        label="CSV file",
        help_text="A header row, then one account a line. Columns, in any order: username (required), "
        "display name, email, team members, affiliation. UTF-8.",
    )
    reset_passwords = forms.BooleanField(
        required=False,
        help_text="Also give accounts already imported a new password (the old one stops working).",
    )
    output = forms.ChoiceField(choices=OUTPUTS, initial="page", widget=forms.RadioSelect)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.key, t.label) for t in targets]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_FILE_BYTES // 1024} KiB.")
        return upload
