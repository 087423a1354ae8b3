"""Chair forms for a conference's configuration. They validate input; services write."""

import zoneinfo
from datetime import datetime

from django import forms
from django.utils import timezone

from mlsys.conferences import enums, services
from mlsys.conferences.models import CommitteeMembership, Conference, Topic, Track
from mlsys.conferences.phases import ORDER


class ConferenceSettingsForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Conference
        fields = list(services.CONFERENCE_FIELDS)
        labels = {
            "contact_email": "Contact email",
            "submission_grace_minutes": "Grace period (minutes)",
            "allow_late_registration": "Allow late registration",
            "is_public": "Public",
        }
        help_texts = {
            "timezone": "An IANA zone such as Etc/GMT+12 (Anywhere on Earth, the default), "
            "UTC or America/Los_Angeles. Deadlines are entered and shown in it.",
            "is_public": "Listed on the home page; anyone can read the landing page.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class TrackForm(forms.ModelForm):
    """Every rule of one track, in the groups the page shows."""

    fieldsets = services.TRACK_FIELD_GROUPS

    class Meta:
        model = Track
        fields = list(services.TRACK_FIELDS)
        labels = {"slug": "Short name (in URLs)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        # Uniqueness per conference is checked here so the message lands on the field.
        self.instance.conference = conference

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.fieldsets]

    def clean(self):
        cleaned = super().clean()
        probe = Track(pk=self.instance.pk, conference=self.instance.conference)
        probe.name = cleaned.get("name") or ""
        probe.slug = cleaned.get("slug") or ""
        for field, messages in services._track_unique_errors(probe).items():
            if field in cleaned:
                self.add_error(field, messages)
        return cleaned


class TopicForm(forms.ModelForm):
    order = forms.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        help_text="Position within the area (empty: at the end).",
    )

    class Meta:
        model = Topic
        fields = ["name", "area"]

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.conference = conference
        if self.instance.pk:
            self.initial.setdefault("order", self.instance.order)

    def clean(self):
        cleaned = super().clean()
        probe = Topic(pk=self.instance.pk, conference=self.instance.conference)
        probe.name = cleaned.get("name") or ""
        for field, messages in services._topic_unique_errors(probe).items():
            if field in cleaned:
                self.add_error(field, messages)
        return cleaned

    def data_for_service(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in services.TOPIC_FIELDS}
        if data.get("order") is None:
            data.pop("order", None)
        return data


class TopicBulkForm(forms.Form):
    area = forms.ChoiceField(choices=enums.Area.choices, widget=forms.RadioSelect)
    names = forms.CharField(
        label="Topics, one per line",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Empty lines are ignored. Nothing is added if any name already exists.",
    )

    def clean_names(self) -> list[str]:
        names = services.parse_topic_lines(self.cleaned_data["names"])
        if not names:
            raise forms.ValidationError("Enter at least one topic, one per line.")
        return names


class ZonedDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read and shown in a given zone, not the server's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def __init__(self, *, tz: zoneinfo.ZoneInfo, **kwargs):
        self.tz = tz
        super().__init__(**kwargs)

    def to_python(self, value):
        with timezone.override(self.tz):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(self.tz):
            return super().prepare_value(value)


class DeadlinesForm(forms.Form):
    """One optional field per deadline kind, in the conference's zone; empty = no deadline."""

    def __init__(self, *args, conference: Conference, **kwargs):
        kwargs["initial"] = {d.kind: d.at for d in conference.deadline_map().values()}
        super().__init__(*args, **kwargs)
        self.conference = conference
        for kind, label in enums.DeadlineKind.choices:
            self.fields[kind] = ZonedDateTimeField(
                tz=conference.tz,
                label=label,
                required=False,
                help_text=f"In {conference.timezone_label}.",
            )

    def clean(self):
        cleaned = super().clean()
        schedule = {kind: cleaned.get(kind) for kind in self.fields if kind not in self.errors}
        for kind, messages in services.schedule_errors(schedule).items():
            for message in messages:
                self.add_error(kind, message)
        return cleaned

    def schedule(self) -> dict[str, datetime | None]:
        return {kind: self.cleaned_data.get(kind) for kind in self.fields}


class PhaseSwitchForm(forms.Form):
    def __init__(self, *args, conference: Conference, **kwargs):
        modes = conference.phase_modes()
        kwargs["initial"] = {phase: modes.get(phase, enums.PhaseMode.AUTO) for phase in ORDER}
        super().__init__(*args, **kwargs)
        for phase in ORDER:
            self.fields[phase] = forms.ChoiceField(
                label=enums.Phase(phase).label,
                choices=enums.PhaseMode.choices,
                widget=forms.RadioSelect,
            )


class MembershipForm(forms.ModelForm):
    class Meta:
        model = CommitteeMembership
        fields = ["role", "side", "min_load", "max_load", "status"]
        help_texts = {"side": "For PC members, area chairs and external reviewers only."}

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.conference = conference

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_load"), cleaned.get("max_load")
        if low is not None and high is not None and low > high:
            self.add_error("min_load", "Must not exceed the maximum load.")
        return cleaned

    def validate_unique(self):
        # Uniqueness and the load constraint are checked by the service (which knows the user)
        # and by clean(), with field-level messages instead of a generic constraint error.
        pass

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in services.MEMBERSHIP_FIELDS}


class AddMemberForm(MembershipForm):
    """Add an existing account by email, or a new person by name and email."""

    email = forms.EmailField()
    name = forms.CharField(
        max_length=200, required=False, help_text="Needed only if the email has no account yet."
    )

    field_order = ["email", "name", "role", "side", "min_load", "max_load", "status"]
