"""Forms of the plots, threshold, consistency and meeting pages (decisions.dashboard)."""

from django import forms

from decisions.dashboard.plots import SCORE_KINDS
from decisions.enums import OutcomeKind
from decisions.models import Outcome


class CutoffForm(forms.Form):
    """A cut-off on the calibrated score (GET); invalid input falls back to the default."""

    cutoff = forms.FloatField(
        min_value=-10,
        max_value=20,
        label="Cut-off (calibrated score)",
        # "any": the default is the median calibrated score (e.g. 3.74), which a browser
        # refuses to submit under a 0.05 step.
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class PlotsForm(forms.Form):
    score = forms.ChoiceField(choices=list(SCORE_KINDS.items()), required=False, label="Score")


def _outcomes(conference, kind: str):
    return Outcome.objects.filter(conference=conference, kind=kind).active()


class ApplyForm(forms.Form):
    """Confirms "set the decisions from this cut-off": the outcomes, and the plan's digest so
    that a plan that changed since the chair looked at it is refused."""

    cutoff = forms.FloatField(widget=forms.HiddenInput)
    digest = forms.CharField(widget=forms.HiddenInput)
    accept = forms.ModelChoiceField(queryset=Outcome.objects.none(), label="Above the line")
    reject = forms.ModelChoiceField(queryset=Outcome.objects.none(), label="Below the line")

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept"].queryset = _outcomes(conference, OutcomeKind.ACCEPT)
        self.fields["reject"].queryset = _outcomes(conference, OutcomeKind.REJECT)
        self.fields["accept"].empty_label = None
        self.fields["reject"].empty_label = None


class ReasonForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=300,
        label="Reason",
        help_text="One line, kept with the decision.",
        widget=forms.TextInput(attrs={"size": 50}),
    )


class MeetingStartForm(forms.Form):
    cutoff = CutoffForm.base_fields["cutoff"]
    window = forms.FloatField(
        min_value=0,
        max_value=20,
        initial=0.5,
        label="Window (± score points)",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )


class MoveForm(forms.Form):
    position = forms.IntegerField(min_value=0)


class DecideForm(forms.Form):
    outcome = forms.ModelChoiceField(queryset=Outcome.objects.none(), label="Decision")
    reason = forms.CharField(max_length=300, required=False, label="Reason (optional)")

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = Outcome.objects.filter(conference=conference).active()
        self.fields["outcome"].empty_label = None
