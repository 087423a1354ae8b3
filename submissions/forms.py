"""Author-side forms. They only shape input; every rule is enforced by submissions.services."""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

from mlsys.conferences.enums import Area
from submissions import enums
from submissions.models import ExtraField, Submission
from submissions.services import AuthorInput, ConflictInput, pc_members


class SubmissionForm(forms.Form):
    """Title, abstract, topics (grouped ML / Systems) and the track's extra questions.

    With ``submission`` it is the edit form and carries the hidden ``version`` it was read at.
    """

    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    abstract = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))
    topics = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, conference, track, submission: Submission | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.track = track
        self.section_errors: dict[str, list[str]] = {}
        self._topics = {t.pk: t for t in conference.topics.all()}
        self.fields["topics"].choices = [(pk, t.name) for pk, t in self._topics.items()]
        self.fields[
            "topics"
        ].help_text = f"Choose {track.min_topics} to {track.max_topics} topics, from either area."
        self.fields["abstract"].help_text = f"At most {track.abstract_word_limit} words."
        self._submission = submission
        if submission is None:
            del self.fields["version"]
        self.extra_fields = list(ExtraField.objects.filter(track=track))
        answers = submission.extra_answers if submission else {}
        for field in self.extra_fields:
            self.fields[f"extra_{field.pk}"] = _extra_form_field(field)
            if not self.is_bound and str(field.pk) in answers:
                self.initial[f"extra_{field.pk}"] = answers[str(field.pk)]

    def as_typed(self) -> "SubmissionForm":
        """An unbound copy of this bound form showing what was typed, without checking it
        (the page re-rendered for an "Add …" button pressed without JavaScript)."""
        copy = SubmissionForm(
            conference=self.conference,
            track=self.track,
            submission=self._submission,
        )
        copy.initial.update({name: self[name].value() for name in self.fields})
        return copy

    def topic_groups(self) -> list[tuple[str, list]]:
        """The topic checkboxes split by area, for two labelled fieldsets."""
        groups = []
        widgets = list(self["topics"])
        for area, label in Area.choices:
            members = [w for w in widgets if self._topics[int(w.data["value"])].area == area]
            if members:
                groups.append((label, members))
        return groups

    def extra_bound_fields(self) -> list:
        return [self[f"extra_{field.pk}"] for field in self.extra_fields]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "abstract": data["abstract"],
            "topics": [self._topics[pk] for pk in data["topics"]],
            "extra_answers": {
                str(field.pk): data.get(f"extra_{field.pk}") for field in self.extra_fields
            },
        }

    def checkable_kwargs(self) -> dict:
        """:meth:`service_kwargs` for the inputs that parsed (after ``is_valid()``); ``None``
        for the others, which already carry their own error."""
        data = self.cleaned_data

        def parsed(name: str) -> bool:
            return name in data and name not in self.errors

        return {
            "title": data["title"] if parsed("title") else None,
            "abstract": data["abstract"] if parsed("abstract") else None,
            "topics": [self._topics[pk] for pk in data["topics"]] if parsed("topics") else None,
            "extra_answers": {
                str(field.pk): data.get(f"extra_{field.pk}")
                for field in self.extra_fields
                if parsed(f"extra_{field.pk}")
            },
        }

    def add_check_errors(
        self, problems: dict[str, list[str]], reported_rows: Iterable[int] = ()
    ) -> None:
        """Add the service's problems (:func:`submissions.services.check_input`) to a form that
        is already invalid. A field keeps its own message if it has one, and the service's
        "Author N …" messages are left out for the ``reported_rows`` whose inputs already say
        what is wrong, so nothing is reported twice."""
        skip = tuple(f"Author {position} " for position in reported_rows)
        for key, messages in problems.items():
            if key in self.fields:
                if key not in self.errors:
                    self.add_error(key, messages)
            elif key in ("authors", "conflicts"):
                kept = [m for m in messages if not (skip and m.startswith(skip))]
                self.section_errors.setdefault(key, []).extend(kept)
            else:
                self.add_error(None, messages)

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's field-keyed errors next to the matching inputs; sections elsewhere."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            if key in self.fields:
                self.add_error(key, messages)
            elif key in ("authors", "conflicts"):
                self.section_errors.setdefault(key, []).extend(messages)
            else:
                self.add_error(None, messages)


def _extra_form_field(field: ExtraField) -> forms.Field:
    common = {"label": field.label, "help_text": field.help_text, "required": field.required}
    if field.kind == enums.ExtraFieldKind.CHECKBOX:
        return forms.BooleanField(**common)
    if field.kind == enums.ExtraFieldKind.CHOICE:
        choices = [("", "—")] + [(c, c) for c in field.choice_list]
        return forms.ChoiceField(choices=choices, **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)


class RowsMixin:
    """For the "Add author" / "Add conflict" buttons pressed without JavaScript
    (formset-rows.js adds the row on the page otherwise)."""

    #: Inputs whose text makes a row "filled" (kept as typed rather than offered blank).
    content_fields: tuple[str, ...] = ()

    def is_filled(self, form) -> bool:
        return any(form[name].value() for name in self.content_fields)

    def as_typed(self, *, add_row: bool = False, **kwargs):
        """An unbound copy of this bound formset showing the filled rows as typed, without
        checking them, and as many blank rows as before (one more with ``add_row``)."""
        filled = [
            {name: form[name].value() for name in form.fields}
            for form in self.forms
            if self.is_filled(form)
        ]
        blank = max(0, self.total_form_count() - len(filled)) + int(add_row)
        grown = forms.formset_factory(
            self.form,
            formset=type(self),
            extra=blank,
            can_order=self.can_order,
            can_delete=self.can_delete,
            max_num=self.max_num,
        )
        return grown(prefix=self.prefix, initial=filled, **kwargs)


class AuthorRowForm(forms.Form):
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField()
    affiliation = forms.CharField(max_length=200, required=False)
    is_contact = forms.BooleanField(label="Contact", required=False)


class BaseAuthorFormSet(RowsMixin, forms.BaseFormSet):
    content_fields = ("name", "email", "affiliation")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = "Position"
        form.fields["ORDER"].help_text = ""
        form.fields["DELETE"].label = "Remove"

    def author_inputs(self) -> list[AuthorInput]:
        """Filled, non-removed rows by their "Position" (rows without one keep their place)."""
        rows = [
            f
            for f in self.forms
            if f.cleaned_data and f.cleaned_data.get("email") and not f.cleaned_data.get("DELETE")
        ]
        rows.sort(key=lambda f: f.cleaned_data.get("ORDER") or 10_000)
        return [
            AuthorInput(
                name=f.cleaned_data["name"],
                email=f.cleaned_data["email"],
                affiliation=f.cleaned_data.get("affiliation", ""),
                is_contact=f.cleaned_data.get("is_contact", False),
            )
            for f in rows
        ]

    def checkable_inputs(self) -> tuple[list[AuthorInput], set[int]]:
        """Like :meth:`author_inputs` for a formset with errors: every filled, non-removed row
        in order, rows that did not parse with their text as typed, and the positions (from 1)
        of those rows, whose own messages already say what is wrong with them."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if data.get("DELETE") or not self.is_filled(form):
                continue
            rows.append((form, data))
        rows.sort(key=lambda row: row[1].get("ORDER") or 10_000)
        inputs, unparsed = [], set()
        for position, (form, data) in enumerate(rows, start=1):
            if form.errors:
                unparsed.add(position)
            typed = {
                name: data[name] if name in data else str(form[name].value() or "").strip()
                for name in ("name", "email", "affiliation")
            }
            inputs.append(AuthorInput(**typed, is_contact=bool(data.get("is_contact"))))
        return inputs, unparsed


AuthorFormSet = forms.formset_factory(
    AuthorRowForm, formset=BaseAuthorFormSet, extra=2, can_order=True, can_delete=True, max_num=30
)


class ConflictRowForm(forms.Form):
    user = forms.TypedChoiceField(label="PC member", coerce=int)
    reason = forms.ChoiceField(choices=[("", "—"), *enums.ConflictReason.choices])

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—"), *members]


class BaseConflictFormSet(RowsMixin, forms.BaseFormSet):
    content_fields = ("user", "reason")

    def __init__(self, *args, conference, **kwargs):
        self.members = [
            (u.pk, f"{u.name or u.email} ({u.affiliation})" if u.affiliation else u.name or u.email)
            for u in pc_members(conference)
        ]
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "members": self.members}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove"

    def conflict_inputs(self) -> list[ConflictInput]:
        return [
            ConflictInput(user_id=f.cleaned_data["user"], reason=f.cleaned_data["reason"])
            for f in self.forms
            if f.cleaned_data and f.cleaned_data.get("user") and not f.cleaned_data.get("DELETE")
        ]

    def checkable_inputs(self) -> list[ConflictInput]:
        """:meth:`conflict_inputs` of the rows that parsed, for a formset with errors."""
        return [
            ConflictInput(user_id=f.cleaned_data["user"], reason=f.cleaned_data["reason"])
            for f in self.forms
            if not f.errors
            and f.cleaned_data.get("user")
            and f.cleaned_data.get("reason")
            and not f.cleaned_data.get("DELETE")
        ]


ConflictFormSet = forms.formset_factory(
    ConflictRowForm, formset=BaseConflictFormSet, extra=1, can_delete=True, max_num=50
)


class UploadForm(forms.Form):
    file = forms.FileField(label="File", allow_empty_file=True)


class StatusForm(forms.Form):
    to = forms.ChoiceField(choices=enums.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
