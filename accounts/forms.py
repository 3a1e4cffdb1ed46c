from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import User


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text="Optional; only used to reset your password.")

    class Meta:
        model = User
        fields = ("username", "email")


class JoinTenantForm(forms.Form):
    code = forms.CharField(max_length=32, label="Join code", help_text="Your instructor gives you this code.")
