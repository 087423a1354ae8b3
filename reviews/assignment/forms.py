"""Forms of the chairs' assignment pages."""

from __future__ import annotations

from django import forms

from mlsys.conferences.enums import Side
from reviews.assignment.problem_builder import Weights


class SolveForm(forms.Form):
    scope = forms.ChoiceField(
        label="Scope", help_text="Whole conference: each track is solved with its own rule."
    )
    w_affinity = forms.FloatField(
        label="Affinity weight", min_value=0, max_value=100, initial=Weights.affinity
    )
    w_bid = forms.FloatField(label="Bid weight", min_value=0, max_value=100, initial=Weights.bid)
    w_topic = forms.FloatField(
        label="Topic match weight", min_value=0, max_value=100, initial=Weights.topic
    )
    expertise_threshold = forms.FloatField(
        label="Expertise threshold (optional)",
        required=False,
        min_value=0,
        help_text="Each paper gets at least one reviewer with at least this affinity. "
        "Slower (exact MIP).",
    )
    quality_threshold = forms.FloatField(
        label="Report papers below this total quality",
        required=False,
        min_value=0,
        initial=0,
    )

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tracks = {str(t.pk): t for t in tracks}
        self.fields["scope"].choices = [("", "Whole conference (every track)")] + [
            (
                str(t.pk),
                f"{t.name}: {t.reviewers_per_paper} reviewers, ≥{t.min_ml_reviewers} "
                f"ML, ≥{t.min_systems_reviewers} Systems",
            )
            for t in tracks
        ]
        self.fields["scope"].required = False

    def clean(self):
        data = super().clean()
        weights = [data.get(n) for n in ("w_affinity", "w_bid", "w_topic")]
        if all(w is not None for w in weights) and not any(weights):
            raise forms.ValidationError("At least one weight must be above zero.")
        return data

    def track(self):
        return self.tracks.get(self.cleaned_data.get("scope") or "")

    def params(self) -> dict:
        data = self.cleaned_data
        return {
            "w_affinity": data["w_affinity"],
            "w_bid": data["w_bid"],
            "w_topic": data["w_topic"],
            "expertise_threshold": data.get("expertise_threshold"),
            "quality_threshold": data.get("quality_threshold") or 0.0,
        }


class ReviewerForm(forms.Form):
    """Pick a reviewer from a suggestion list (``choices`` built by the view)."""

    reviewer = forms.TypedChoiceField(label="Reviewer", coerce=int)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "— choose a reviewer —"), *choices]


#: Sides as a filter offers them: lowercase values, so the stored "SYSTEMS" never shows.
SIDE_FILTER = [("", "Any side"), *((value.lower(), label) for value, label in Side.choices)]


def _track_choices(tracks) -> list:
    return [("", "Any track"), *[(t.pk, t.name) for t in tracks]]


class TableFilterForm(forms.Form):
    """GET filters of a chairs' table; an invalid value is ignored, never an error page."""

    def values(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields}


class PapersFilterForm(TableFilterForm):
    """The overview's papers (and the proposal's changes: ``changes=True`` adds the change)."""

    q = forms.CharField(label="Paper number or title", required=False, max_length=200)
    track = forms.TypedChoiceField(label="Track", required=False, coerce=int, empty_value=None)
    show = forms.ChoiceField(
        label="Coverage",
        required=False,
        choices=[("", "Every paper"), ("short", "Misses its track's rule"), ("ok", "Meets it")],
    )

    def __init__(self, *args, tracks=(), changes=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = _track_choices(tracks)
        if changes:
            self.fields["change"] = forms.ChoiceField(
                label="Change",
                required=False,
                choices=[
                    ("", "Any"),
                    ("new", "With new reviewers"),
                    ("removed", "With removed reviewers"),
                    ("changed", "With any change"),
                ],
            )


class LoadsFilterForm(TableFilterForm):
    lq = forms.CharField(label="Reviewer", required=False, max_length=200)
    lside = forms.ChoiceField(label="Side", required=False, choices=SIDE_FILTER)
    lshow = forms.ChoiceField(
        label="Load",
        required=False,
        choices=[("", "Everyone"), ("over", "Over their max"), ("under", "Under their min")],
    )
