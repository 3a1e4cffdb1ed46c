from django import forms
from django.db.models import QuerySet

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
