"""The filters of the chairs' progress page: one small GET form per table. Field names differ
between the two tables so both filters (and both pages) live in one query string."""

from django import forms

from mlsys.conferences.enums import Side


class ReviewerFilterForm(forms.Form):
    rq = forms.CharField(label="Reviewer name or email", required=False, max_length=200)
    rside = forms.ChoiceField(
        label="Side",
        required=False,
        # Lowercase values: the stored "SYSTEMS" never shows on a page.
        choices=[("", "Any side"), *((v.lower(), label) for v, label in Side.choices)],
    )
    rstatus = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Everyone"),
            ("unfinished", "With unfinished reviews"),
            ("late", "With late reviews"),
        ],
    )
    rsort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[
            ("unfinished", "Most unfinished first"),
            ("late", "Most late first"),
            ("name", "Name"),
        ],
    )


class PaperFilterForm(forms.Form):
    pq = forms.CharField(label="Paper number or title", required=False, max_length=200)
    ptrack = forms.ChoiceField(label="Track", required=False)
    pstatus = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Every paper"),
            ("missing", "Missing reviews"),
            ("late", "With late reviews"),
        ],
    )
    psort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[
            ("number", "Number"),
            ("missing", "Most missing reviews first"),
            ("late", "Most late reviews first"),
        ],
    )

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ptrack"].choices = [("", "Any track"), *[(t, t) for t in tracks]]


def values(form: forms.Form) -> dict:
    """The valid fields' values (an invalid one is ignored, never an error page)."""
    form.is_valid()
    return {name: form.cleaned_data.get(name) or "" for name in form.fields}
