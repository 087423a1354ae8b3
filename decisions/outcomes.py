"""A conference's decision outcomes: the defaults, and copying them to a new conference."""

from decisions import enums
from decisions.models import Outcome

OUTCOMES = "decision outcomes"


def outcomes_of(conference) -> list[Outcome]:
    """The conference's outcomes in order, creating the defaults the first time it has none
    (a conference starts with Accept (oral), Accept (poster) and Reject)."""
    outcomes = list(Outcome.objects.filter(conference=conference))
    if not outcomes:
        Outcome.objects.bulk_create(
            [
                Outcome(conference=conference, label=label, kind=kind, order=index)
                for index, (label, kind) in enumerate(enums.DEFAULT_OUTCOMES)
            ],
            ignore_conflicts=True,
        )
        outcomes = list(Outcome.objects.filter(conference=conference))
    return outcomes


def preview_outcome_copy(source) -> dict[str, int]:
    return {OUTCOMES: Outcome.objects.filter(conference=source, active=True).count()}


def copy_outcomes(context) -> dict[str, int]:
    """Copy the previous conference's active outcomes (labels, kinds, order)."""
    copies = Outcome.objects.bulk_create(
        Outcome(conference=context.target, label=o.label, kind=o.kind, order=o.order)
        for o in Outcome.objects.filter(conference=context.source, active=True)
    )
    return {OUTCOMES: len(copies)}
