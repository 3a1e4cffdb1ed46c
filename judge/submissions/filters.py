"""The "My submissions" filters (GET): problem, verdict, language."""

from django import forms

from accounts.models import User
from judge.submissions.models import Submission, Verdict
from judge.submissions.selectors import submission_problem_choices_for_user


class SubmissionFilterForm(forms.Form):
    problem = forms.ChoiceField(label="Problem", required=False)
    verdict = forms.ChoiceField(
        label="Verdict", required=False, choices=[("", "Any verdict"), *Verdict.choices]
    )
    language = forms.ChoiceField(label="Language", required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        problems = submission_problem_choices_for_user(user=user)
        self.fields["problem"].choices = [("", "Any problem"), *problems]
        languages = Submission._meta.get_field("language").choices
        self.fields["language"].choices = [("", "Any language"), *languages]

    def filters(self) -> dict[str, str]:
        """The chosen filters; an invalid choice (an old link, a typo) filters nothing instead of failing."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
