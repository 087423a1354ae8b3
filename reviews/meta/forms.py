"""Forms of the discussion-lead pages (validation proper lives in reviews.meta.services)."""

from django import forms

from reviews.enums import Recommendation

CONFIDENCE_CHOICES = [
    ("", "—"),
    (1, "1: Low (educated guess)"),
    (2, "2: Medium"),
    (3, "3: High"),
    (4, "4: Expert"),
]


class MetaReviewForm(forms.Form):
    summary = forms.CharField(
        label="Summary for the authors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown with $math$. The authors read this once decisions are released.",
    )
    recommendation = forms.ChoiceField(required=False, choices=[("", "—"), *Recommendation.choices])
    confidence = forms.TypedChoiceField(
        required=False, choices=CONFIDENCE_CHOICES, coerce=int, empty_value=None
    )


class LeadForm(forms.Form):
    lead = forms.TypedChoiceField(label="Discussion lead", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c.user.pk: c for c in candidates}
        self.fields["lead"].choices = [(c.user.pk, _label(c)) for c in candidates]

    def chosen(self):
        return self.candidates[self.cleaned_data["lead"]].user


def _label(candidate) -> str:
    parts = [candidate.user.name or candidate.user.email]
    role = "area chair" if candidate.role == "area_chair" else "PC member"
    parts.append(f"({role}, {candidate.side or 'no side'}, leads {candidate.load})")
    if candidate.reviews_paper:
        parts.append("— reviews this paper")
    return " ".join(parts)


class LeadsFilterForm(forms.Form):
    """The leads page's filters (GET); an invalid value is ignored, never an error page."""

    q = forms.CharField(label="Paper number or title", required=False, max_length=200)
    track = forms.TypedChoiceField(label="Track", required=False, coerce=int, empty_value=None)
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Every paper"),
            ("none", "Without a lead"),
            ("not_started", "Meta-review to start"),
            ("draft", "Meta-review in draft"),
            ("submitted", "Meta-review submitted"),
        ],
    )

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [("", "Any track"), *[(t.pk, t.name) for t in tracks]]

    def values(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields}
