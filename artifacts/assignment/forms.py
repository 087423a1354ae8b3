"""Forms of bidding and assignment: one bid, the chair's manual addition, the commit of a
previewed run, starting kick-the-tires."""

from django import forms

from artifacts import enums
from mlsys.core.numbers import parse_id

#: Bids an evaluator picks on the scale; "conflict" is its own, confirmed button.
SCALE = [
    (v, label) for v, label in enums.BidPreference.choices if v != enums.BidPreference.CONFLICT
]
MAX_PAIRS = 20000


class BidForm(forms.Form):
    preference = forms.ChoiceField(
        choices=enums.BidPreference.choices,
        error_messages={
            "required": "Choose one of the bids.",
            "invalid_choice": "Choose one of the bids.",
        },
    )


class AddEvaluatorForm(forms.Form):
    """Pick an evaluator; a misfit needs the chair's reason (``override``)."""

    evaluator = forms.TypedChoiceField(coerce=int, label="Evaluator")
    override = forms.CharField(
        required=False,
        max_length=500,
        label="Reason to assign despite the hardware (misfits only)",
        widget=forms.TextInput,
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].choices = [("", "Choose an evaluator"), *choices]


def parse_pairs(text: str) -> list[tuple[int, int]] | None:
    """``"artifact:user artifact:user …"`` as pairs; None when malformed."""
    pairs = []
    for token in (text or "").split()[:MAX_PAIRS]:
        left, sep, right = token.partition(":")
        a, u = parse_id(left), parse_id(right)
        if not sep or a is None or u is None:
            return None
        pairs.append((a, u))
    return pairs


class CommitForm(forms.Form):
    pairs = forms.CharField(required=False, widget=forms.HiddenInput)
    digest = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def clean_pairs(self):
        pairs = parse_pairs(self.cleaned_data.get("pairs", ""))
        if pairs is None:
            raise forms.ValidationError("The proposal is damaged; run the assignment again.")
        return pairs
