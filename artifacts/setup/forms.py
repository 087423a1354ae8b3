"""Forms of the AE chair's configuration pages: settings, AE dates, one badge."""

from __future__ import annotations

from django import forms

from artifacts.models import AESettings, Badge
from artifacts.setup import services
from mlsys.conferences import services as conference_services
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.forms import ZonedDateTimeField


class SettingsForm(forms.ModelForm):
    call_url = forms.URLField(
        label="Call for artifacts (URL)",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="The call for artifacts, if published elsewhere.",
    )

    class Meta:
        model = AESettings
        fields = list(services.SETTINGS_FIELDS)
        labels = {
            "enabled": "Run artifact evaluation",
            "evaluators_per_artifact": "Evaluators per artifact",
            "evaluations_per_evaluator": "Full evaluations per evaluator",
            "report_visibility": "Authors read the evaluators' comments",
            "call_url": "Call for artifacts (URL)",
        }
        widgets = {"report_visibility": forms.RadioSelect}
        help_texts = {
            "evaluations_per_evaluator": "The default; an evaluator's own limit, set on the AE "
            "committee page, replaces it.",
        }

    def __init__(self, *args, conference=None, **kwargs):
        super().__init__(*args, **kwargs)

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.SETTINGS_FIELDS}


class DatesForm(forms.Form):
    """The AE deadlines in the conference's zone; empty = no such date. The order checks are
    the conference's (``schedule_errors``), against its other deadlines too."""

    def __init__(self, *args, conference, **kwargs):
        existing = conference.deadline_map()
        kwargs["initial"] = {
            kind: existing[kind].at for kind in services.AE_DEADLINES if kind in existing
        }
        super().__init__(*args, **kwargs)
        self.conference = conference
        for kind in services.AE_DEADLINES:
            self.fields[kind] = ZonedDateTimeField(
                tz=conference.tz,
                label=DeadlineKind(kind).label,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        schedule = {d.kind: d.at for d in self.conference.deadline_map().values()}
        schedule.update(
            {kind: cleaned.get(kind) for kind in self.fields if kind not in self.errors}
        )
        for kind, messages in conference_services.schedule_errors(schedule).items():
            if kind in self.fields:
                for message in messages:
                    self.add_error(kind, message)
        return cleaned

    def schedule(self) -> dict:
        return {kind: self.cleaned_data.get(kind) for kind in self.fields}


class BadgeForm(forms.ModelForm):
    checklist = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What an artifact must offer for this badge, one item per line.",
    )
    required_fields = forms.MultipleChoiceField(
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        label="Registration fields required",
        help_text="An artifact requesting this badge must fill these in.",
    )
    requires = forms.ModelMultipleChoiceField(
        queryset=Badge.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Badges an artifact must also be awarded to get this one.",
    )
    excludes = forms.ModelMultipleChoiceField(
        queryset=Badge.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Badges that cannot be awarded together with this one.",
    )

    class Meta:
        model = Badge
        fields = ["label", "key", "description", "colour"]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"key": "Short name in exports and the API, e.g. “reusable”."}

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_fields"].choices = services.registration_field_choices()
        others = Badge.objects.filter(conference=conference).order_by("order", "pk")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.initial.setdefault("checklist", "\n".join(self.instance.checklist))
            self.initial.setdefault("required_fields", self.instance.required_fields)
            self.initial.setdefault("requires", list(self.instance.requires.all()))
            self.initial.setdefault("excludes", list(self.instance.excludes.all()))
        self.fields["requires"].queryset = others
        self.fields["excludes"].queryset = others
        self.fields["requires"].label_from_instance = _badge_label
        self.fields["excludes"].label_from_instance = _badge_label

    def clean_checklist(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["checklist"].splitlines() if line.strip()
        ]

    def _post_clean(self):
        # The service validates the badge (with the combinations it can see); the form only
        # reads the input.
        pass

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["requires"] = [b.pk for b in data["requires"]]
        data["excludes"] = [b.pk for b in data["excludes"]]
        return data


def _badge_label(badge: Badge) -> str:
    return badge.label if badge.active else f"{badge.label} (retired)"
