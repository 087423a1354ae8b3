"""The form of one bid."""

from django import forms

from reviews import enums


class BidForm(forms.Form):
    value = forms.ChoiceField(choices=enums.BidValue.choices)
