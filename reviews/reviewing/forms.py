"""Forms of the reviewer's pages (the review form itself is built from the ReviewForm's
fields in the view, since its questions are data)."""

from django import forms

from mlsys.conferences.enums import Side


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why do you decline?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="The chairs read this (e.g. a conflict they missed, or outside your expertise).",
    )


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
