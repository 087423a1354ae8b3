"""Sign-up and profile forms. They validate only; views hand ``cleaned_data`` to services."""

from datetime import UTC, date, datetime, time

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils import timezone

from mlsys.accounts.models import AffiliationHistory, ApiToken, Collaborator, User
from mlsys.accounts.validators import (
    normalize_orcid,
    validate_orcid_checksum,
    validate_single_line_text,
)


class SignupForm(AllauthSignupForm):
    name = forms.CharField(
        max_length=200,
        label="Full name",
        validators=[validate_single_line_text],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    affiliation = forms.CharField(
        max_length=200,
        required=False,
        validators=[validate_single_line_text],
        label="Current affiliation",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    field_order = ["name", "affiliation", "email", "password1", "password2"]


class ProfileForm(forms.ModelForm):
    prefix = "profile"

    homepage = forms.URLField(
        assume_scheme="https",
        max_length=200,
        required=False,
        label="Homepage",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    # Wider than the stored value so a pasted https://orcid.org/… link can be normalized.
    orcid = forms.CharField(
        max_length=60,
        required=False,
        label="ORCID iD",
        help_text="Optional, 16 digits like 0000-0002-1825-0097.",
    )

    class Meta:
        model = User
        fields = ["name", "affiliation", "homepage", "orcid"]
        labels = {"name": "Full name"}
        help_texts = {
            "name": "As it should appear on papers and reviews.",
            "affiliation": "Your institution or company today.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "affiliation": forms.TextInput(attrs={"autocomplete": "organization"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True

    def clean_orcid(self) -> str:
        value = normalize_orcid(self.cleaned_data["orcid"])
        validate_orcid_checksum(value)
        return value


class AffiliationForm(forms.ModelForm):
    prefix = "affiliation"

    class Meta:
        model = AffiliationHistory
        fields = ["institution", "start_year", "end_year"]
        labels = {"start_year": "From (year)", "end_year": "To (year)"}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "The end year can't be before the start year.")
        return cleaned


class CollaboratorForm(forms.ModelForm):
    prefix = "collaborator"

    class Meta:
        model = Collaborator
        fields = ["name", "email", "affiliation", "relation", "until_year"]
        labels = {"until_year": "Until (year)"}


class TokenForm(forms.ModelForm):
    prefix = "token"

    expires_on = forms.DateField(
        required=False,
        label="Expires on",
        help_text="Optional. The token stops working at 00:00 UTC that day; empty: never.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": "Token name"}

    def clean_expires_on(self) -> date | None:
        value = self.cleaned_data.get("expires_on")
        if value is not None and value <= timezone.now().date():
            raise forms.ValidationError("Pick a day after today.")
        return value

    @property
    def expires_at(self) -> datetime | None:
        """The chosen day at 00:00 UTC (only after ``is_valid()``)."""
        day = self.cleaned_data.get("expires_on")
        return datetime.combine(day, time.min, tzinfo=UTC) if day else None
