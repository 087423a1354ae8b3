"""The dashboard's forms: the filter/sort/columns form (the page's query string, also read by the
CSV and the API), one decision, the bulk actions, a saved view, and the outcomes page's rows.

Bad input never raises: an invalid filter is reported on the form and left out, the others
still apply."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms

from decisions.dashboard import queries
from decisions.enums import OutcomeKind
from mlsys.core.numbers import IdFormField, parse_id

MAX_NUMBERS = 20000


def _id_choices(pairs) -> list[tuple[str, str]]:
    return [("", "Any")] + [(str(pk), name) for pk, name in pairs]


class DashboardForm(forms.Form):
    """The page's filters, sort and visible columns (GET). ``criteria()`` gives what is valid."""

    q = forms.CharField(
        label="Search", required=False, max_length=200, help_text="A paper number or title words."
    )
    track = forms.TypedChoiceField(label="Track", required=False, coerce=int, empty_value=None)
    topic = forms.TypedChoiceField(label="Topic", required=False, coerce=int, empty_value=None)
    tag = forms.TypedChoiceField(label="Tag", required=False, coerce=int, empty_value=None)
    gap = forms.FloatField(
        label="|ML − Systems gap| ≥",
        required=False,
        min_value=0,
        max_value=1000,
        help_text="Primary score points.",
    )
    spread = forms.FloatField(
        label="Disagreement (spread) ≥",
        required=False,
        min_value=0,
        max_value=1000,
        help_text="Highest minus lowest primary score.",
    )
    missing = forms.BooleanField(label="Missing reviews only", required=False)
    decision = forms.ChoiceField(label="Decision", required=False)
    sort = forms.ChoiceField(required=False)
    cols = forms.MultipleChoiceField(
        label="Columns", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data, *, names: queries.Names, columns: list[queries.Column], **kwargs):
        super().__init__(data, **kwargs)
        self.columns = columns
        self.fields["track"].choices = _id_choices(names.tracks.items())
        self.fields["topic"].choices = _id_choices(names.topics.items())
        self.fields["tag"].choices = _id_choices(sorted(names.tags.items(), key=lambda t: t[1]))
        self.fields["decision"].choices = [
            ("", "Any"),
            (queries.UNDECIDED, "Undecided"),
            (queries.PENDING, "Pending (not released)"),
            (queries.RELEASED, "Released"),
        ] + [(f"o{o.pk}", o.label) for o in names.outcomes.values()]
        keys = [c.key for c in columns]
        self.fields["sort"].choices = [(k, k) for k in keys] + [(f"-{k}", k) for k in keys]
        self.fields["cols"].choices = [
            (c.key, f"{c.group} {c.label}" if c.group else c.label) for c in columns if not c.fixed
        ]
        # A submitted column chooser always sends the (fixed) number column, so "no optional
        # column ticked" is told apart from "no chooser submitted" (the defaults).
        self.fields["cols"].choices += [(c.key, c.label) for c in columns if c.fixed]

    def criteria(self) -> queries.Criteria:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        raw_cols = self.data.getlist("cols") if hasattr(self.data, "getlist") else []
        return queries.Criteria(
            q=data.get("q") or "",
            track=data.get("track"),
            topic=data.get("topic"),
            tags=[data["tag"]] if data.get("tag") else [],
            gap=data.get("gap"),
            spread=data.get("spread"),
            missing=bool(data.get("missing")),
            decision=data.get("decision") or "",
            sort=data.get("sort") or "number",
            columns=list(data["cols"]) if raw_cols and "cols" in data else None,
        )

    def query(self, criteria: queries.Criteria, **override) -> str:
        """The normalised query string of ``criteria`` (what a saved view stores and links use);
        ``override`` replaces parts (``sort=…``)."""
        values = {
            "q": criteria.q,
            "track": criteria.track,
            "topic": criteria.topic,
            "tag": criteria.tags[0] if criteria.tags else None,
            "gap": criteria.gap,
            "spread": criteria.spread,
            "missing": "on" if criteria.missing else "",
            "decision": criteria.decision,
            "sort": "" if criteria.sort == "number" else criteria.sort,
        }
        values.update(override)
        pairs = [(k, v) for k, v in values.items() if v not in (None, "")]
        if criteria.columns is not None:
            pairs += [("cols", "number")] + [("cols", k) for k in criteria.columns if k != "number"]
        return urlencode(pairs)


class DecideForm(forms.Form):
    """One paper's decision: an active outcome, or none (clear the pending decision)."""

    outcome = forms.ModelChoiceField(queryset=None, required=False, empty_label="— undecided")
    reason = forms.CharField(required=False, max_length=300)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = outcomes
        self.fields["outcome"].error_messages["invalid_choice"] = (
            "Choose one of this conference's active outcomes."
        )


def _numbers(values) -> list[int]:
    numbers = []
    for value in values:
        number = parse_id(value)
        if number is None:
            raise forms.ValidationError("Paper numbers are whole numbers.")
        numbers.append(number)
    if len(numbers) > MAX_NUMBERS:
        raise forms.ValidationError("Too many papers at once.")
    return numbers


class BulkForm(forms.Form):
    """A bulk action on the ticked papers or on all those matching the page's filters."""

    DECIDE, TAG, UNTAG = "decide", "tag", "untag"
    action = forms.ChoiceField(
        choices=[(DECIDE, "Set decision"), (TAG, "Add tag"), (UNTAG, "Remove tag")],
        initial=DECIDE,
    )
    outcome = forms.ModelChoiceField(queryset=None, required=False, empty_label="— outcome")
    tag_name = forms.CharField(label="Tag", required=False, max_length=50)
    scope = forms.ChoiceField(
        choices=[("selected", "The ticked papers"), ("matching", "All papers matching the filter")],
        initial="selected",
    )
    filters = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = outcomes
        self.fields["outcome"].error_messages["invalid_choice"] = (
            "Choose one of this conference's active outcomes."
        )

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == self.DECIDE and not data.get("outcome"):
            self.add_error("outcome", "Choose the outcome to set.")
        if action in (self.TAG, self.UNTAG) and not " ".join(data.get("tag_name", "").split()):
            self.add_error("tag_name", "Name the tag.")
        try:
            data["numbers"] = _numbers(self.data.getlist("numbers"))
        except forms.ValidationError as error:
            self.add_error(None, error)
            data["numbers"] = []
        else:
            if data.get("scope") == "selected" and not data["numbers"]:
                self.add_error(None, "Tick at least one paper, or choose all papers matching.")
        return data


class SaveViewForm(forms.Form):
    name = forms.CharField(label="Save this view as", max_length=80)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    """One row of the outcomes page (``id`` empty for a new outcome)."""

    id = IdFormField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(required=False, max_length=80)
    kind = forms.ChoiceField(choices=OutcomeKind.choices)
    order = forms.IntegerField(min_value=0, max_value=999)
    active = forms.BooleanField(required=False, label="Active")


OutcomeFormSet = forms.formset_factory(OutcomeForm, extra=0, max_num=100, absolute_max=100)
