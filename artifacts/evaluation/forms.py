"""Forms of the evaluation section of the artifact page. Limits are the services' (a form only
spares a round trip); the services check again."""

from django import forms

from artifacts import enums
from artifacts.evaluation.services import MAX_BODY

MARKDOWN_HELP = (
    "Markdown or plain text, $math$ too; HTML tags are removed (put code in `backticks`)."
)
VERDICT_CHOICES = [("", "Not decided yet"), *enums.Verdict.choices]
OUTCOME_CHOICES = [
    ("", "Choose"),
    (enums.BadgeOutcome.AWARDED, "Award"),
    (enums.BadgeOutcome.NOT_AWARDED, "Do not award"),
]


def _text(label: str, rows: int = 5, required: bool = True, help_text: str = MARKDOWN_HELP):
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_BODY,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={
            "max_length": f"At most {MAX_BODY:,} characters (this has %(show_value)d).",
            "required": "Write something first: the message is empty.",
        },
    )


class MessageForm(forms.Form):
    body = _text("Message", rows=4)


class KickCheckForm(forms.Form):
    notes = _text(
        "Notes for the combined message",
        rows=3,
        required=False,
        help_text="What went wrong or is unclear.",
    )
    done = forms.BooleanField(label="My checklist is complete", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question in enums.KICK_THE_TIRES_ITEMS:
            self.fields[f"item_{key}"] = forms.BooleanField(label=question, required=False)
        # The checklist first, then the notes.
        order = [f"item_{k}" for k, _ in enums.KICK_THE_TIRES_ITEMS] + ["notes", "done"]
        self.order_fields(order)

    def answers(self) -> dict[str, bool]:
        return {k: bool(self.cleaned_data.get(f"item_{k}")) for k, _ in enums.KICK_THE_TIRES_ITEMS}

    @staticmethod
    def initial_for(check) -> dict:
        if check is None:
            return {}
        initial = {f"item_{k}": bool(v) for k, v in (check.answers or {}).items()}
        return {**initial, "notes": check.notes, "done": check.submitted_at is not None}


class EvaluationForm(forms.Form):
    """One verdict and justification per requested badge, and the two comments."""

    to_authors = _text("Comments to the authors", rows=6, required=False)
    to_evaluators = _text(
        "Comments to the other evaluators only",
        rows=4,
        required=False,
        help_text="Never shown to the authors.",
    )

    def __init__(self, *args, badges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.badges = list(badges)
        for badge in self.badges:
            self.fields[f"verdict_{badge.pk}"] = forms.ChoiceField(
                label="Verdict", choices=VERDICT_CHOICES, required=False
            )
            self.fields[f"justification_{badge.pk}"] = _text(
                "Justification", rows=3, required=False, help_text="Required with a verdict."
            )

    def rows(self):
        return [(b, self[f"verdict_{b.pk}"], self[f"justification_{b.pk}"]) for b in self.badges]

    def verdicts(self):
        from artifacts.evaluation.services import VerdictInput

        return {
            b.pk: VerdictInput(
                self.cleaned_data.get(f"verdict_{b.pk}") or "",
                self.cleaned_data.get(f"justification_{b.pk}") or "",
            )
            for b in self.badges
        }

    @staticmethod
    def initial_for(evaluation) -> dict:
        if evaluation is None:
            return {}
        initial = {"to_authors": evaluation.to_authors, "to_evaluators": evaluation.to_evaluators}
        for v in evaluation.verdicts.all():
            initial[f"verdict_{v.badge_id}"] = v.verdict
            initial[f"justification_{v.badge_id}"] = v.justification
        return initial


class LeadForm(forms.Form):
    lead = forms.TypedChoiceField(
        label="Discussion lead", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, assignments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "No lead")] + [
            (a.evaluator_id, f"{a.display_alias} · {a.evaluator.name or a.evaluator.email}")
            for a in assignments
        ]


class ProposalForm(forms.Form):
    note = _text("Note for the AE chair", rows=4, required=False)

    def __init__(self, *args, requested=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.requested = list(requested)
        for rb in self.requested:
            self.fields[f"proposal_{rb.badge_id}"] = forms.ChoiceField(
                label=rb.badge.label, choices=VERDICT_CHOICES, required=False, initial=rb.proposal
            )

    def proposals(self) -> dict[int, str]:
        return {
            rb.badge_id: self.cleaned_data.get(f"proposal_{rb.badge_id}") or ""
            for rb in self.requested
        }


class DecisionForm(forms.Form):
    public_report = _text(
        "Public report",
        rows=10,
        required=False,
        help_text="Sent to the authors with the badges. Pre-filled from the evaluators' "
        "comments to the authors (aliases only).",
    )

    def __init__(self, *args, requested=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.requested = list(requested)
        for rb in self.requested:
            proposal = {
                enums.Verdict.AWARD: enums.BadgeOutcome.AWARDED,
                enums.Verdict.DO_NOT_AWARD: enums.BadgeOutcome.NOT_AWARDED,
            }.get(rb.proposal, "")
            current = rb.outcome if rb.outcome != enums.BadgeOutcome.PENDING else proposal
            self.fields[f"outcome_{rb.badge_id}"] = forms.ChoiceField(
                label=rb.badge.label, choices=OUTCOME_CHOICES, required=False, initial=current
            )

    def outcomes(self) -> dict[int, str]:
        return {
            rb.badge_id: self.cleaned_data.get(f"outcome_{rb.badge_id}") or ""
            for rb in self.requested
        }
