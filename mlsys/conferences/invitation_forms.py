"""Forms of the invitation pages: invite one person, import a CSV, decline, set a password."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError

from mlsys.conferences import enums
from mlsys.conferences.invitation_csv import MAX_BYTES, MAX_LOAD_LIMIT, Invitee, decode
from mlsys.conferences.invitations import NAME_NEEDED
from mlsys.conferences.queries import users_by_email


class InviteForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        required=False,
        help_text="Needed only if the address has no account yet; an existing account keeps "
        "its own name.",
    )
    email = forms.EmailField()
    affiliation = forms.CharField(
        max_length=200, required=False, help_text="Used only if the person has no account yet."
    )
    role = forms.ChoiceField(choices=enums.Role.choices, initial=enums.Role.PC_MEMBER)
    side = forms.ChoiceField(
        choices=[("", "— (not a reviewing role)"), *enums.Side.choices],
        required=False,
        help_text="Required for PC members, area chairs and external reviewers.",
    )
    max_load = forms.IntegerField(
        label="Maximum load",
        min_value=0,
        max_value=MAX_LOAD_LIMIT,
        required=False,
        help_text="Most papers this person reviews; empty for no fixed limit.",
    )

    def __init__(self, *args, conference=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        role, side = data.get("role"), data.get("side")
        if "side" not in self.fields:
            pass  # a form for roles without a side (the AE committee's)
        elif role in enums.REVIEWING_ROLES and not side:
            self.add_error("side", "Reviewers need a side: ML, Systems or Both.")
        elif role and role not in enums.REVIEWING_ROLES and side:
            self.add_error("side", "Only reviewing roles have a side.")
        email = (data.get("email") or "").strip().lower()
        if email and not (data.get("name") or "").strip() and not users_by_email([email]):
            self.add_error("name", NAME_NEEDED.format(email=email))
        return data

    def invitee(self) -> Invitee:
        data = self.cleaned_data
        return Invitee(
            name=data["name"].strip(),
            email=data["email"].strip().lower(),
            affiliation=data["affiliation"].strip(),
            side=data.get("side") or "",
            max_load=data["max_load"],
            role=data["role"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        required=False,
        help_text="UTF-8, at most 1 MB, header row name,email,affiliation,side,max_load,role.",
    )
    text = forms.CharField(
        label="Or paste CSV",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    def __init__(self, *args, conference=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get("text", "")
        if upload and text.strip():
            raise ValidationError("Upload a file or paste CSV text, not both.")
        if upload:
            if upload.size > MAX_BYTES:
                self.add_error(
                    "file",
                    f"The file is {upload.size / 1_000_000:.1f} MB; the limit is 1 MB. "
                    "Split it into smaller files.",
                )
                return data
            try:
                data["csv_text"] = decode(upload.read())
            except ValidationError as exc:
                self.add_error("file", exc)
        elif text.strip():
            data["csv_text"] = text
        elif not self.has_error("file"):
            raise ValidationError("Choose a CSV file or paste CSV text.")
        return data


class ConfirmImportForm(forms.Form):
    csv_text = forms.CharField(widget=forms.HiddenInput, strip=False)

    def __init__(self, *args, conference=None, **kwargs):
        super().__init__(*args, **kwargs)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the chairs see it.",
    )


class ClaimAccountForm(SetPasswordForm):
    """The first password of an account created by the invitation (checked, not saved here)."""


class MemberFilterForm(forms.Form):
    """The committee table's filters (GET); an unknown value is ignored, not an error page."""

    role = forms.ChoiceField(choices=[("", "Any role"), *enums.Role.choices], required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *enums.InvitationStatus.choices], required=False
    )
    side = forms.ChoiceField(choices=[("", "Any side"), *enums.Side.choices], required=False)

    def __init__(self, *args, **kwargs):
        # The committee page also shows the add-member form with role/status/side fields:
        # distinct ids keep each label on its own select (the GET names stay the same).
        kwargs.setdefault("auto_id", "id_filter_%s")
        super().__init__(*args, **kwargs)

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return dict.fromkeys(self.fields, "")
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}
