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
