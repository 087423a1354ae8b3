from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms


class SignupForm(AllauthSignupForm):
    name = forms.CharField(
        max_length=200, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    affiliation = forms.CharField(
        max_length=200,
        required=False,
        label="Current affiliation",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    field_order = ["name", "affiliation", "email", "password1", "password2"]
