"""The chairs' form for one extra question. It only shapes input: the rules (and their
messages) are in submissions.extra_fields."""

from django import forms

from submissions.enums import ExtraFieldKind


class ExtraFieldForm(forms.Form):
    label = forms.CharField(
        label="Question", required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    kind = forms.ChoiceField(
        label="Kind of answer",
        choices=ExtraFieldKind.choices,
        initial=ExtraFieldKind.TEXT,
        required=False,
        widget=forms.RadioSelect,
    )
    choices = forms.CharField(
        label="Options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For a choice question: one option per line, at least two.",
    )
    help_text = forms.CharField(
        label="Help text", required=False, help_text="Shown under the question on the form."
    )
    required = forms.BooleanField(
        label="Authors must answer",
        required=False,
        help_text="For a checkbox: the box must be ticked (e.g. an agreement).",
    )
