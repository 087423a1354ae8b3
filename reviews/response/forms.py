"""The author response form: a general text and one optional section per visible review."""

from django import forms


class ResponseForm(forms.Form):
    """Parses the page's fields; the word limit and the phase are checked by the service."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    text = forms.CharField(
        label="Response to all reviewers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "data-words": ""}),
        help_text="Markdown with $math$. Address the main points the reviewers raise.",
    )

    def __init__(self, *args, reviews=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.review_keys = {}
        for review in reviews:
            name = f"review_{review.review_id}"
            self.fields[name] = forms.CharField(
                label=f"Answer to {review.label} (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 5, "data-words": ""}),
            )
            self.review_keys[name] = str(review.review_id)

    def per_review(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(name, "") for name, key in self.review_keys.items()}

    def review_fields(self):
        return [self[name] for name in self.review_keys]


def initial_for(response, reviews) -> dict:
    """Form initial values from the stored response (or empty ones)."""
    if response is None:
        return {"version": 0, "text": ""}
    initial = {"version": response.version, "text": response.text}
    for review in reviews:
        initial[f"review_{review.review_id}"] = response.per_review.get(str(review.review_id), "")
    return initial
