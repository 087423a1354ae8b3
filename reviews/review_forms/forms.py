"""Chairs' forms for review form fields and the reviewing settings."""

from django import forms
from django.core.exceptions import ValidationError

from mlsys.conferences.models import Conference
from mlsys.core.numbers import parse_int
from reviews.enums import FieldKind
from reviews.models import ReviewField

SCALE_HELP = 'One point per line, lowest first, as "value: label", e.g. "1: Strong reject".'
CHOICES_HELP = "One option per line."


def parse_scale(text: str) -> list[dict]:
    """``"1: Strong reject"`` lines to ``[{"value": 1, "label": "Strong reject"}]``."""
    points: list[dict] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        value, _, label = line.partition(":")
        value = parse_int(value)
        if value is None:
            raise ValidationError(
                'Line %(n)s: start with a whole number, e.g. "1: Strong reject".',
                params={"n": number},
            )
        points.append({"value": value, "label": label.strip()})
    values = [p["value"] for p in points]
    if len(set(values)) != len(values):
        raise ValidationError("Each value may appear only once.")
    if values != sorted(values):
        raise ValidationError("List the values from lowest to highest.")
    return points


def format_scale(scale: list[dict]) -> str:
    return "\n".join(
        f"{p['value']}: {p['label']}" if p.get("label") else str(p["value"]) for p in scale
    )


def parse_choices(text: str) -> list[str]:
    options = [line.strip() for line in text.splitlines() if line.strip()]
    if len(set(options)) != len(options):
        raise ValidationError("Each option may appear only once.")
    return options


class ReviewFieldForm(forms.ModelForm):
    """One question. ``locked`` (answers exist): key and kind cannot change."""

    scale_text = forms.CharField(
        label="Scale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=SCALE_HELP,
    )
    choices_text = forms.CharField(
        label="Options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=CHOICES_HELP,
    )

    class Meta:
        model = ReviewField
        fields = ["label", "key", "kind", "help_text", "visibility", "required"]
        widgets = {"help_text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "key": "Stable identifier of the answer (letters, digits, _ and -).",
            "help_text": "Shown to reviewers under the question.",
        }

    def __init__(self, *args, form_obj, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_obj = form_obj
        self.locked = locked
        self.fields["kind"].choices = FieldKind.choices
        if self.instance.pk:
            self.fields["scale_text"].initial = format_scale(self.instance.scale)
            self.fields["choices_text"].initial = "\n".join(
                str(c["value"]) if isinstance(c, dict) else str(c) for c in self.instance.choices
            )
        if locked:
            for name in ("key", "kind"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed: reviews already answer this question."

    def clean_key(self):
        key = self.cleaned_data["key"]
        others = ReviewField.objects.filter(form=self.form_obj, key=key)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("Another question of this form uses this key.")
        return key

    def clean_scale_text(self):
        return parse_scale(self.cleaned_data["scale_text"])

    def clean_choices_text(self):
        return parse_choices(self.cleaned_data["choices_text"])

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == FieldKind.SCORE and "scale_text" in cleaned and len(cleaned["scale_text"]) < 2:
            self.add_error("scale_text", "A score needs at least two points.")
        if (
            kind == FieldKind.CHOICE
            and "choices_text" in cleaned
            and len(cleaned["choices_text"]) < 2
        ):
            self.add_error("choices_text", "A choice needs at least two options.")
        return cleaned

    def field_data(self) -> dict:
        """The validated values in the shape the services take."""
        data = {
            name: self.cleaned_data[name]
            for name in ("label", "key", "kind", "help_text", "visibility", "required")
        }
        data["scale"] = self.cleaned_data["scale_text"] if data["kind"] == FieldKind.SCORE else []
        data["choices"] = (
            self.cleaned_data["choices_text"] if data["kind"] == FieldKind.CHOICE else []
        )
        return data


class ReviewSettingsForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = ["other_reviews_visibility", "reviewer_names_visible", "response_word_limit"]
        labels = {
            "other_reviews_visibility": "Reviewers see the other reviews of a paper",
            "reviewer_names_visible": "Reviewers of a paper see each other's names",
            "response_word_limit": "Author response word limit",
        }
        help_texts = {
            "other_reviews_visibility": "Chairs always see every review of papers they are "
            "not conflicted with.",
            "reviewer_names_visible": "Authors never see reviewer names.",
            "response_word_limit": "Between 50 and 5,000 words.",
        }
        widgets = {"other_reviews_visibility": forms.RadioSelect}
