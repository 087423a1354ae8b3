"""Forms of the chairs' submission pages (the list's filters live in submissions/filters.py)."""

from django import forms

from submissions.conflict_services import CHAIR_TARGETS
from submissions.enums import ConflictState


class BulkActionForm(forms.Form):
    ACTIONS = [
        ("desk_reject", "Desk-reject"),
        ("add_tag", "Add tag"),
        ("remove_tag", "Remove tag"),
    ]

    numbers = forms.TypedMultipleChoiceField(
        coerce=int, label="Submissions", error_messages={"required": "Select submissions first."}
    )
    action = forms.ChoiceField(choices=ACTIONS, label="Action")
    tag = forms.CharField(max_length=50, required=False, label="Tag")
    reason = forms.CharField(
        required=False,
        label="Reason (desk-reject; sent to the authors)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["numbers"].choices = [(n, n) for n in numbers]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "desk_reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason the authors will read.")
        if action in ("add_tag", "remove_tag") and not (data.get("tag") or "").strip():
            self.add_error("tag", "Name the tag.")
        return data


class DeskRejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the authors)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ConflictStateForm(forms.Form):
    state = forms.ChoiceField(
        choices=[(s.value, s.label) for s in ConflictState if s in CHAIR_TARGETS]
    )


class ReleaseForm(forms.Form):
    confirm = forms.BooleanField(
        label=(
            "I have read the anonymity findings of this version and release it to its reviewers "
            "as it is"
        ),
        error_messages={"required": "Tick the box to confirm the release."},
    )
