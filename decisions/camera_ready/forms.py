"""Forms of the camera-ready pages: upload, final author list, licence, shepherd assignment and
verdict, and the chairs' settings."""

from django import forms
from django.core.exceptions import ValidationError

from decisions.models import CameraReadyTrack

AUTHOR_LINE_HELP = (
    "One author per line, in order: Name; email; affiliation. People are matched by email, so "
    "keep each co-author's address to keep them."
)


class UploadForm(forms.Form):
    file = forms.FileField(label="Camera-ready PDF")


def authors_text(authors: list[dict]) -> str:
    return "\n".join(
        "; ".join(filter(None, [a["name"], a["email"], a.get("affiliation") or ""]))
        for a in authors
    )


class AuthorsForm(forms.Form):
    authors = forms.CharField(
        label="Final author list",
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=AUTHOR_LINE_HELP,
        max_length=20000,
    )
    confirm = forms.BooleanField(
        required=False, label="This is the final author list, as it will be published."
    )
    removals_agreed = forms.BooleanField(
        required=False,
        label="Everyone removed from the list agreed to be removed.",
    )

    def clean_authors(self) -> list[dict]:
        parsed = []
        for number, line in enumerate(self.cleaned_data["authors"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) < 2 or len(parts) > 3:
                raise ValidationError(
                    f"Line {number} (“{line.strip()[:60]}”): write Name; email; affiliation."
                )
            name, email = parts[0], parts[1]
            affiliation = parts[2] if len(parts) == 3 else ""
            try:
                forms.EmailField().clean(email)
            except ValidationError:
                raise ValidationError(
                    f"Line {number}: “{email[:60]}” is not an email address."
                ) from None
            if not name:
                raise ValidationError(f"Line {number}: the name is missing.")
            parsed.append({"name": name, "email": email, "affiliation": affiliation})
        if not parsed:
            raise ValidationError("The paper needs at least one author.")
        return parsed


class LicenceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    accept = forms.BooleanField(
        label="On behalf of all authors, I accept these terms.",
        error_messages={"required": "Tick the box to accept the terms."},
    )


class ShepherdForm(forms.Form):
    shepherd = forms.TypedChoiceField(
        label="Shepherd", coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {user.pk: user for user in candidates}
        self.fields["shepherd"].choices = [("", "No shepherd")] + [
            (user.pk, user.name or user.email) for user in candidates
        ]

    def chosen(self):
        pk = self.cleaned_data.get("shepherd")
        return self.candidates.get(pk) if pk else None


class ShepherdReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=[("approve", "Approve this version"), ("changes", "Request changes")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Emailed to the authors. Required when you request changes.",
    )

    def clean(self):
        data = super().clean()
        if data.get("verdict") == "changes" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what the authors should change.")
        return data


class SettingsForm(forms.Form):
    licence_text = forms.CharField(
        label="Copyright / licence terms",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Authors accept this text with their camera-ready. Changing it makes a new "
        "version; acceptances keep the version the authors read.",
    )

    def __init__(self, *args, tracks=(), rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        rules = rules or {}
        self.tracks = list(tracks)
        for track in self.tracks:
            rule = rules.get(track.pk) or CameraReadyTrack(track=track)
            self.fields[f"extra_pages_{track.pk}"] = forms.IntegerField(
                label=f"{track.name}: extra pages",
                min_value=0,
                max_value=20,
                initial=rule.extra_pages,
                help_text=f"The paper limit is {track.page_limit} pages.",
            )
            self.fields[f"same_format_{track.pk}"] = forms.BooleanField(
                label=f"{track.name}: check the track's format spec too",
                required=False,
                initial=rule.same_format,
            )

    def track_rules(self) -> dict:
        return {
            track: (
                self.cleaned_data[f"extra_pages_{track.pk}"],
                self.cleaned_data[f"same_format_{track.pk}"],
            )
            for track in self.tracks
        }

    def track_rows(self):
        return [
            (track, self[f"extra_pages_{track.pk}"], self[f"same_format_{track.pk}"])
            for track in self.tracks
        ]
