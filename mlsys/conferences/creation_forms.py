"""The site staff's "New conference" form. It checks the shape; creation.check (called by the
view) gives the same messages as the API and the command."""

from django import forms

from mlsys.conferences.creation import NewConference
from mlsys.conferences.models import AOE, Conference
from mlsys.conferences.setup_copiers import MAX_SHIFT_DAYS


class NewConferenceForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="e.g. MLSys 2028.")
    slug = forms.CharField(
        label="Slug",
        max_length=40,
        help_text="Appears in every URL: lower-case letters, digits and dashes, e.g. mlsys2028.",
    )
    timezone = forms.CharField(
        label="Time zone",
        max_length=60,
        initial=AOE,
        help_text="An IANA zone such as Etc/GMT+12 (Anywhere on Earth, the default), UTC or "
        "America/Los_Angeles. Deadlines are shown in it.",
    )
    chair_email = forms.CharField(
        label="First program chair's email",
        max_length=254,
        help_text="An existing account is invited as program chair (you, if it is yours, "
        "become chair at once); a new address gets an invitation email and an account.",
    )
    chair_name = forms.CharField(
        label="Chair's name",
        max_length=200,
        required=False,
        help_text="Used only if the address has no account yet.",
    )
    copy_from = forms.ModelChoiceField(
        label="Start from a previous conference",
        queryset=Conference.objects.order_by("-created_at", "pk"),
        required=False,
        empty_label="— Start empty —",
        to_field_name="slug",
        help_text="Copies its tracks and format specs, topics, review forms, extra questions, "
        "email wording, settings and deadlines. No papers, committee, bids or reviews.",
    )
    shift_days = forms.IntegerField(
        label="Shift deadlines by (days)",
        initial=365,
        min_value=-MAX_SHIFT_DAYS,
        max_value=MAX_SHIFT_DAYS,
        required=False,
        help_text="Applied to the copied deadlines; 365 moves each to the same time a year later.",
    )
    keep_phase_switches = forms.BooleanField(
        label="Keep its phase switches",
        required=False,
        help_text="Off: every phase follows the shifted deadlines. On: phases the chairs forced "
        "open or closed stay so.",
    )

    def new_conference(self) -> NewConference:
        data = self.cleaned_data
        return NewConference(
            name=data["name"],
            slug=data["slug"],
            timezone=data["timezone"],
            chair_email=data["chair_email"],
            chair_name=data["chair_name"],
            copy_from=data["copy_from"],
            shift_days=data["shift_days"] or 0,
            keep_phase_switches=data["keep_phase_switches"],
        )
