"""Forms of the reviewer's pages (the review form itself is built from the ReviewForm's
fields in the view, since its questions are data)."""

from django import forms


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why do you decline?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="The chairs read this (e.g. a conflict they missed, or outside your expertise).",
    )
