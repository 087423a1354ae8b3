"""Forms of external reviewer requests: the reviewer's request and the chair's decision."""

from django import forms

from mlsys.conferences.enums import Side


class ExternalRequestForm(forms.Form):
    name = forms.CharField(label="Expert's name", max_length=200)
    email = forms.EmailField(label="Expert's email")
    affiliation = forms.CharField(max_length=200, required=False)
    reason = forms.CharField(
        label="Why this expert?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="What expertise the paper needs that its reviewers lack.",
    )


class ExternalDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    side = forms.ChoiceField(choices=Side.choices, initial=Side.BOTH, required=False)
    note = forms.CharField(
        label="Note to the requester", required=False, max_length=2000, widget=forms.Textarea
    )
