from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from accounts.models import User
from accounts.selectors import tenant_list_for_staff
from problems.models import (
    MEMORY_LIMIT_RANGE,
    OUTPUT_LIMIT_RANGE,
    PROBLEM_SETTING_NAMES,
    STATEMENT_MAX_CHARS,
    TIME_LIMIT_RANGE,
    TIME_MULTIPLIER_RANGE,
    Problem,
    TestCase,
    TestGroup,
)
from problems.services.testdata import TEST_MAX_BYTES, ZIP_MAX_BYTES

TEXT_EDIT_MAX_BYTES = 64 * 1024  # bigger tests are replaced by uploading a file, not edited in a textarea


class ProblemSearchForm(forms.Form):
    """The problem list's search box and filters (GET). `tags`: those the viewer may see, and only those."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": "Title or code"}),
    )
    tag = forms.ChoiceField(
        label="Tag",
        required=False,
        error_messages={"invalid_choice": "No problem you can see has the tag “%(value)s”."},
    )
    difficulty = forms.ChoiceField(
        label="Difficulty",
        required=False,
        choices=[("", "Any difficulty"), *Problem.Difficulty.choices],
        error_messages={
            "invalid_choice": "“%(value)s” is not a difficulty: "
            f"one of {', '.join(Problem.Difficulty.values)}."
        },
    )

    def __init__(self, *args, tags: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "Any tag"), *((tag, tag) for tag in tags)]

    def filters(self) -> dict[str, str]:
        """The valid filters, each "" when not given; an invalid one is left out (its error is shown)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name, "") for name in self.fields}


class ProblemForm(forms.ModelForm):
    checker_language = forms.ChoiceField(
        label="Checker language",
        required=False,
        choices=[("", "—")] + list(settings.JUDGE_LANGUAGE_CHOICES),
    )
    checker_source = forms.CharField(
        label="Checker source",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "code-input"}),
        help_text="Run as <code>checker input answer feedback_dir &lt; output</code>: "
        "exit 42 accepts, 43 rejects; <code>feedback_dir/judgemessage.txt</code> is shown with the verdict.",
    )

    class Meta:
        model = Problem
        fields = ["code", "tenant", "visibility", *PROBLEM_SETTING_NAMES]
        labels = {
            "tenant": "Course",
            "statement": "Markdown source",
            "time_limit": "Time limit (s)",
            "memory_limit": "Memory limit (MiB)",
            "output_limit": "Output limit (KiB)",
            "float_abs_tolerance": "Absolute tolerance",
            "float_rel_tolerance": "Relative tolerance",
            "stop_on_first_failure": "Stop at the first failing test",
            "time_multiplier": "Time multiplier",
            "case_sensitive": "Letter case matters",
            "interactive": "Interactive: the custom checker talks with the program",
        }
        help_texts = {
            "code": "In the URL and the API; lowercase letters, digits, - and _. It cannot change later.",
            "statement": "Markdown. Math between <code>$…$</code> (inline) or <code>$$…$$</code> (display).",
            "time_limit": "CPU seconds per test, {:g} to {:g}.".format(*TIME_LIMIT_RANGE),
            "memory_limit": "Per test, {} to {}.".format(*MEMORY_LIMIT_RANGE),
            "output_limit": "Per test, {} to {}.".format(*OUTPUT_LIMIT_RANGE),
            "float_abs_tolerance": "Accept |output − answer| ≤ this …",
            "float_rel_tolerance": "… or ≤ this × |answer|.",
            "stop_on_first_failure": "Faster feedback. With group scoring, only a failed group's "
            "remaining tests are skipped.",
            "time_multiplier": "Suggested limit = slowest accepted reference solution × this, "
            "{:g} to {:g}.".format(*TIME_MULTIPLIER_RANGE),
            "case_sensitive": "For the token and float checkers: off accepts “YES” for “yes”.",
            "interactive": "The checker runs in its own sandbox at the same time, its stdout piped to the "
            "program's stdin and back; exit 42 accepts, 43 rejects.",
        }
        error_messages = {"code": {"unique": "A problem with this code already exists."}}
        widgets = {
            "code": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
            "visibility": forms.RadioSelect,
            "statement": forms.Textarea(attrs={"rows": 22, "class": "statement-input"}),
            "tags": forms.TextInput(attrs={"autocomplete": "off", "placeholder": "graphs, shortest paths"}),
            "time_limit": forms.NumberInput(attrs={"step": "0.1"}),
            "float_abs_tolerance": forms.NumberInput(attrs={"step": "any"}),
            "float_rel_tolerance": forms.NumberInput(attrs={"step": "any"}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        tenants = self.fields["tenant"]
        tenants.queryset = tenant_list_for_staff(user=user)
        tenants.empty_label = None
        if self.instance.pk:
            del self.fields["code"]
        self.fields["difficulty"].choices = [("", "Not rated"), *Problem.Difficulty.choices]
        for name in ("float_abs_tolerance", "float_rel_tolerance"):
            self.fields[name].widget.attrs["min"] = 0
            self.fields[name].validators.append(_non_negative)


def _non_negative(value: float) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError("A tolerance cannot be negative.")


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TestGroup) -> str:
        return obj.name


class TestCaseForm(forms.Form):
    """Add or change one test: each of input and answer comes from its textarea or, if chosen, a file."""

    name = forms.CharField(max_length=100, required=False, help_text="Empty: “test N”.")
    input_text = forms.CharField(
        label="Input",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "code-input"}),
    )
    input_file = forms.FileField(label="Input file", required=False)
    answer_text = forms.CharField(
        label="Answer",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "code-input"}),
    )
    answer_file = forms.FileField(label="Answer file", required=False)
    is_sample = forms.BooleanField(label="Sample: shown on the problem page", required=False)
    group = GroupChoiceField(queryset=TestGroup.objects.none(), required=False, empty_label="No group")

    def __init__(self, *args, problem: Problem, test: TestCase | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.test = test
        self.fields["group"].queryset = problem.groups.order_by("order", "id")
        if test is not None:
            self._initial_from(test)

    def _initial_from(self, test: TestCase) -> None:
        self.initial.update(name=test.name, is_sample=test.is_sample, group=test.group_id)
        for kind in ("input", "answer"):
            text, why_not = _editable_text(test=test, kind=kind)
            field = self.fields[f"{kind}_text"]
            if text is None:
                field.disabled = True
                field.widget.attrs["placeholder"] = f"{why_not}: choose a file below to replace it."
            else:
                self.initial[f"{kind}_text"] = text

    def clean(self):
        data = super().clean()
        for kind in ("input", "answer"):
            data[f"{kind}_data"] = self._data_for(kind, data)
        if self.test is None and not (data["input_data"] or data["answer_data"]) and not self.errors:
            raise forms.ValidationError("Both the input and the answer are empty.")
        return data

    def _data_for(self, kind: str, data: dict) -> bytes | None:
        """The new content, or None to keep the current file (editing, nothing changed)."""
        upload = data.get(f"{kind}_file")
        if upload is not None:
            return _upload_read(self, field=f"{kind}_file", upload=upload, limit=TEST_MAX_BYTES)
        if self.fields[f"{kind}_text"].disabled:
            return None
        text = _text_normalized(data.get(f"{kind}_text") or "")
        if self.test is not None and text == _text_normalized(self.initial.get(f"{kind}_text") or ""):
            return None
        return text.encode()


def _editable_text(*, test: TestCase, kind: str) -> tuple[str | None, str]:
    """The data as text for a textarea, or None and the reason it cannot be edited as text."""
    size = getattr(test, f"{kind}_size")
    if size > TEXT_EDIT_MAX_BYTES:
        return None, f"Too large to edit here ({filesizeformat(size)})"
    try:
        return (test.read_input() if kind == "input" else test.read_answer()).decode(), ""
    except UnicodeDecodeError:
        return None, "Not UTF-8 text, so not editable here"
    except OSError:
        return None, "The stored file cannot be read"


def _text_normalized(text: str) -> str:
    """Browsers send textarea lines ending in CRLF; test data uses LF and ends with a newline."""
    text = text.replace("\r\n", "\n")
    return text if not text or text.endswith("\n") else text + "\n"


def _upload_read(form: forms.Form, *, field: str, upload: UploadedFile, limit: int) -> bytes | None:
    if upload.size > limit:
        form.add_error(
            field, f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}."
        )
        return None
    return upload.read()


class TestGroupForm(forms.Form):
    name = forms.CharField(max_length=60)
    points = forms.FloatField(min_value=0, max_value=1_000_000, initial=0)

    def __init__(self, *args, problem: Problem, group: TestGroup | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.problem, self.group = problem, group

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = self.problem.groups.exclude(pk=self.group.pk) if self.group else self.problem.groups.all()
        if others.filter(name=name).exists():
            raise forms.ValidationError(f"This problem already has a group named “{name}”.")
        return name


class SampleMarkForm(forms.Form):
    """The tests page's sample checkboxes: the checked tests become the problem's samples, all at once."""

    samples = forms.ModelMultipleChoiceField(queryset=TestCase.objects.none(), required=False)

    def __init__(self, *args, problem: Problem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["samples"].queryset = problem.tests.all()


class TestsZipForm(forms.Form):
    archive = forms.FileField(
        label="Zip archive",
        help_text="Pairs <code>name.in</code> + <code>name.ans</code> (or <code>.out</code>). "
        "A top-level folder is a group; a folder named <code>sample</code> or <code>samples</code> "
        "holds samples; files at the root are in no group.",
    )
    mode = forms.ChoiceField(
        choices=[("add", "Add to the current tests"), ("replace", "Replace all tests")],
        initial="add",
        widget=forms.RadioSelect,
    )

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        if upload.size > ZIP_MAX_BYTES:
            raise forms.ValidationError(
                f"The archive is {filesizeformat(upload.size)}; the limit is {filesizeformat(ZIP_MAX_BYTES)}."
            )
        return upload


class StatementPreviewForm(forms.Form):
    statement = forms.CharField(required=False, strip=False, max_length=STATEMENT_MAX_CHARS)
