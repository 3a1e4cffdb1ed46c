import datetime as dt
import re

from django import forms
from django.utils import timezone

from judge.contests.models import DESCRIPTION_MAX_CHARS, MAX_CONTEST_MINUTES, Contest
from sandbox import LANGUAGES

LABEL = re.compile(r"^[A-Z][A-Z0-9]{0,2}$")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DEFAULT_LENGTH = dt.timedelta(hours=2)


def _labels():
    for index in range(26 * 27):  # A..Z, then AA, AB, ...
        first, second = divmod(index, 26)
        yield (chr(64 + first) if first else "") + chr(65 + second)


def parse_problem_lines(text: str) -> list[tuple[str, str]]:
    """Lines of `code` or `LABEL code`; unlabelled problems get the next free letter (A, B, ...)."""
    given = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if len(parts) > 2 or (len(parts) == 2 and not LABEL.match(parts[0].upper())):
            raise forms.ValidationError(
                f"Cannot read “{line.strip()}”: write a problem code, or a label and a code."
            )
        given.append((parts[0].upper(), parts[1]) if len(parts) == 2 else (None, parts[0]))
    taken = {label for label, _ in given if label}
    free = (label for label in _labels() if label not in taken)
    entries = [(label or next(free), code) for label, code in given]
    labels = [label for label, _ in entries]
    codes = [code for _, code in entries]
    if len(set(labels)) != len(labels) or len(set(codes)) != len(codes):
        raise forms.ValidationError("Each label and each problem may appear only once.")
    return entries


class ContestForm(forms.Form):
    tenant = forms.ModelChoiceField(queryset=None, label="Course or club", empty_label=None)
    title = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=60, help_text="Part of the address: /contests/&lt;slug&gt;/.")
    description = forms.CharField(
        required=False,
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown; math between $...$.",
    )
    format = forms.ChoiceField(choices=Contest.Format.choices, widget=forms.RadioSelect)
    timing = forms.ChoiceField(choices=Contest.Timing.choices, widget=forms.RadioSelect)
    start_at = forms.DateTimeField(label="Opens", widget=DATETIME_WIDGET)
    end_at = forms.DateTimeField(label="Closes", widget=DATETIME_WIDGET)
    window_minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_CONTEST_MINUTES,
        label="Window length (minutes)",
        help_text="Personal windows only: each participant gets this long from the moment they start.",
    )
    freeze_minutes = forms.IntegerField(
        min_value=0,
        max_value=MAX_CONTEST_MINUTES,
        initial=0,
        label="Freeze (minutes before the end)",
        help_text="Participants see the board as it was at the freeze until you unfreeze it. 0: no freeze.",
    )
    problems = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "class": "mono", "placeholder": "A sum-two\nB graph-paths"}),
        help_text="One problem code per line, in order. Labels A, B, C… are given in this order; "
        "write <code>X code</code> to choose a label yourself.",
    )
    languages = forms.MultipleChoiceField(
        required=False,
        choices=[(key, lang.name) for key, lang in LANGUAGES.items()],
        widget=forms.CheckboxSelectMultiple,
        label="Allowed languages",
        help_text="None ticked: every language the judge runs.",
    )
    access = forms.ChoiceField(choices=Contest.Access.choices, widget=forms.RadioSelect, label="Participants")
    invitees = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}),
        label="Invited usernames",
        help_text="Invite-only contests: usernames separated by spaces, commas or new lines.",
    )

    def __init__(self, *args, tenants, editing: bool = False, problem_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = tenants
        self.fields["tenant"].disabled = editing
        self.problem_choices = list(problem_choices)  # the instructor's problems, for the picker

    @property
    def problem_picker(self) -> list[dict]:
        """One row per problem of the instructor's: ticked and labelled as the textarea says now."""
        try:
            entries = parse_problem_lines(self["problems"].value() or "")
            chosen = {code: label for label, code in entries}
        except forms.ValidationError:
            chosen = {}
        return [
            {
                "code": problem.code,
                "title": problem.title,
                "tenant_id": problem.tenant_id,
                "checked": problem.code in chosen,
                "label": chosen.get(problem.code, ""),
            }
            for problem in self.problem_choices
        ]

    def clean_problems(self) -> list[tuple[str, str]]:
        return parse_problem_lines(self.cleaned_data["problems"])

    def clean_invitees(self) -> list[str]:
        return [name for name in re.split(r"[\s,;]+", self.cleaned_data["invitees"]) if name]

    def clean(self):
        # The contest's own rules (times, windows, freeze) are Contest.clean's; the service applies them.
        data = super().clean()
        if data.get("access") == Contest.Access.INVITED and not data.get("invitees"):
            self.add_error("invitees", "Invite at least one user, or open the contest to all students.")
        return data

    @staticmethod
    def initial_for_new() -> dict:
        """A new contest: opens at the next full hour, runs two hours, ICPC, fixed times, no freeze."""
        start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        return {
            "format": Contest.Format.ICPC,
            "timing": Contest.Timing.FIXED,
            "start_at": start,
            "end_at": start + DEFAULT_LENGTH,
            "freeze_minutes": 0,
        }

    @staticmethod
    def initial_for(contest: Contest) -> dict:
        entries = contest.contest_problems.select_related("problem").order_by("order", "label")
        invited = contest.participants.select_related("user").order_by("user__username")
        return {
            "tenant": contest.tenant_id,
            **{name: getattr(contest, name) for name in ("title", "slug", "description", "format", "timing")},
            **{name: getattr(contest, name) for name in ("start_at", "end_at", "window_minutes", "access")},
            "freeze_minutes": contest.freeze_minutes,
            "languages": contest.languages,
            "problems": "\n".join(f"{e.label} {e.problem.code}" for e in entries),
            "invitees": "\n".join(p.user.username for p in invited),
        }


class ClarificationAskForm(forms.Form):
    problem = forms.ChoiceField(required=False, label="About")
    question = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, labels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = [("", "The contest in general")] + [
            (label, f"Problem {label}") for label in labels
        ]


class ClarificationAnswerForm(forms.Form):
    answer = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    public = forms.BooleanField(required=False, label="Answer everyone (the asker stays anonymous)")
