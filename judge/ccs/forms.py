from django import forms

from judge.ccs.models import ApiToken
from judge.ccs.services import LABEL_MAX


class ApiTokenForm(forms.Form):
    label = forms.CharField(max_length=LABEL_MAX, help_text="Who uses it: “resolver”, “hall screen”, ...")
    role = forms.ChoiceField(
        choices=ApiToken.Role.choices, widget=forms.RadioSelect, initial=ApiToken.Role.PUBLIC
    )
    team = forms.CharField(
        required=False, max_length=150, help_text="Team tokens only: the participant's user name."
    )
