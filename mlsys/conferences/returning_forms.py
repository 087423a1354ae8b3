"""The form of "Invite from a previous conference": one row per member of that conference, each
with a tick box and the role, side and loads to invite them with (pre-filled from there)."""

from django import forms
from django.core.exceptions import ValidationError

from mlsys.conferences import enums
from mlsys.conferences.committee_reuse import ReturningMember
from mlsys.conferences.invitation_csv import MAX_LOAD_LIMIT
from mlsys.conferences.invitations import Returning


class ReturningRow:
    """One person's row as the template shows it: the bound fields, or ``here`` if they are
    already on this conference's committee (no fields then)."""

    def __init__(self, form: "ReturningForm", member: ReturningMember):
        self.member = member
        self.here = member.here
        pk = member.membership.pk
        names = ("invite", "role", "side", "min_load", "max_load")
        self.fields = {} if self.here else {n: form[f"{n}_{pk}"] for n in names}

    def errors(self):
        return [e for field in self.fields.values() for e in field.errors]


class ReturningForm(forms.Form):
    """Validates only the ticked rows; an unticked row's values are kept as typed, not checked."""

    def __init__(self, *args, members: list[ReturningMember], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            if member.here:
                continue
            m, pk = member.membership, member.membership.pk
            label = m.user.name or m.user.email
            self.fields[f"invite_{pk}"] = forms.BooleanField(
                required=False, label=f"Invite {label}"
            )
            self.fields[f"role_{pk}"] = forms.ChoiceField(
                choices=enums.Role.choices, initial=m.role, label=f"Role of {label}"
            )
            self.fields[f"side_{pk}"] = forms.ChoiceField(
                choices=[("", "—"), *enums.Side.choices],
                initial=m.side,
                required=False,
                label=f"Side of {label}",
            )
            self.fields[f"min_load_{pk}"] = forms.IntegerField(
                min_value=0,
                max_value=100,
                initial=m.min_load,
                required=False,
                label=f"Minimum load of {label}",
            )
            self.fields[f"max_load_{pk}"] = forms.IntegerField(
                min_value=0,
                max_value=MAX_LOAD_LIMIT,
                initial=m.max_load,
                required=False,
                label=f"Maximum load of {label}",
            )

    def rows(self) -> list[ReturningRow]:
        return [ReturningRow(self, member) for member in self.members]

    def _ticked(self) -> list[ReturningMember]:
        data = self.cleaned_data
        return [m for m in self.members if not m.here and data.get(f"invite_{m.membership.pk}")]

    def clean(self):
        data = super().clean()
        ticked = self._ticked()
        if not ticked:
            raise ValidationError("Tick at least one person to invite.")
        for member in ticked:
            pk = member.membership.pk
            role, side = data.get(f"role_{pk}"), data.get(f"side_{pk}")
            if role in enums.REVIEWING_ROLES and not side:
                self.add_error(f"side_{pk}", "Reviewers need a side: ML, Systems or Both.")
            elif role and role not in enums.REVIEWING_ROLES and side:
                self.add_error(f"side_{pk}", "Only reviewing roles have a side.")
            low, high = data.get(f"min_load_{pk}"), data.get(f"max_load_{pk}")
            if low is not None and high is not None and low > high:
                self.add_error(f"min_load_{pk}", "The minimum load cannot exceed the maximum load.")
        return data

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        # An unticked row is not invited: a typo in it must not block the ticked ones (its
        # values are shown again as typed all the same).
        ticked = {m.membership.pk for m in self._ticked()}
        for member in self.members:
            if member.here or member.membership.pk in ticked:
                continue
            for name in ("role", "side", "min_load", "max_load"):
                self._errors.pop(f"{name}_{member.membership.pk}", None)

    def people(self) -> list[Returning]:
        data = self.cleaned_data
        return [
            Returning(
                user=m.membership.user,
                role=data[f"role_{m.membership.pk}"],
                side=data[f"side_{m.membership.pk}"],
                min_load=data.get(f"min_load_{m.membership.pk}") or 0,
                max_load=data.get(f"max_load_{m.membership.pk}"),
            )
            for m in self._ticked()
        ]
