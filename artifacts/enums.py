"""The artifact-evaluation vocabulary: statuses with their transition table, verdicts, threads."""

from django.db import models


class ArtifactStatus(models.TextChoices):
    """Where an artifact stands (``Artifact.status``); changed only by artifacts.status.move."""

    REGISTERED = "registered", "Registered"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned to the authors"
    KICK_THE_TIRES = "kick_the_tires", "Kick-the-tires"
    AWAITING_AUTHOR = "awaiting_author", "Waiting for the authors"
    EVALUATING = "evaluating", "Being evaluated"
    DISCUSSION = "discussion", "Evaluators discussing"
    DECIDED = "decided", "Badges decided"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


S = ArtifactStatus

#: The artifact's state machine: {status: statuses it may move to}. Every change of
#: ``Artifact.status`` goes through artifacts.status.move (mlsys.core.transitions.transition, a
#: conditional update); who may take each move is ARTIFACT_MOVERS. Withdrawing is possible until
#: the badges are decided; published is final.
ARTIFACT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.REGISTERED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.RETURNED, S.KICK_THE_TIRES, S.WITHDRAWN}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.KICK_THE_TIRES: frozenset({S.AWAITING_AUTHOR, S.EVALUATING, S.WITHDRAWN}),
    S.AWAITING_AUTHOR: frozenset({S.KICK_THE_TIRES, S.EVALUATING, S.WITHDRAWN}),
    S.EVALUATING: frozenset({S.DISCUSSION, S.WITHDRAWN}),
    S.DISCUSSION: frozenset({S.EVALUATING, S.DECIDED, S.WITHDRAWN}),
    S.DECIDED: frozenset({S.DISCUSSION, S.PUBLISHED}),
    S.PUBLISHED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


class Mover(models.TextChoices):
    """Who takes a move: the paper's authors, an assigned evaluator, the AE chair, or the
    system (a task when a window closes)."""

    AUTHOR = "author", "Authors"
    EVALUATOR = "evaluator", "Evaluator"
    CHAIR = "chair", "AE chair"
    SYSTEM = "system", "System"


A, E, C, Y = Mover.AUTHOR, Mover.EVALUATOR, Mover.CHAIR, Mover.SYSTEM

#: {(from, to): who may take that move}. A move missing here is forbidden for everyone even if
#: ARTIFACT_TRANSITIONS lists it (a test keeps the two tables consistent).
ARTIFACT_MOVERS: dict[tuple[str, str], frozenset[str]] = {
    (S.REGISTERED, S.SUBMITTED): frozenset({A}),
    (S.RETURNED, S.SUBMITTED): frozenset({A}),
    (S.SUBMITTED, S.RETURNED): frozenset({C}),
    # Kick-the-tires starts once evaluators are assigned (the chair, or the window opening).
    (S.SUBMITTED, S.KICK_THE_TIRES): frozenset({C, Y}),
    # The evaluators' one combined message goes to the authors ...
    (S.KICK_THE_TIRES, S.AWAITING_AUTHOR): frozenset({E, C}),
    # ... who fix and answer; this repeats until the window closes.
    (S.AWAITING_AUTHOR, S.KICK_THE_TIRES): frozenset({A, C}),
    (S.KICK_THE_TIRES, S.EVALUATING): frozenset({C, Y}),
    (S.AWAITING_AUTHOR, S.EVALUATING): frozenset({C, Y}),
    (S.EVALUATING, S.DISCUSSION): frozenset({C, Y}),
    (S.DISCUSSION, S.EVALUATING): frozenset({C}),
    (S.DISCUSSION, S.DECIDED): frozenset({C}),
    (S.DECIDED, S.DISCUSSION): frozenset({C}),
    (S.DECIDED, S.PUBLISHED): frozenset({C, Y}),
    **{
        (src, S.WITHDRAWN): frozenset({A, C})
        for src in (
            S.REGISTERED,
            S.SUBMITTED,
            S.RETURNED,
            S.KICK_THE_TIRES,
            S.AWAITING_AUTHOR,
            S.EVALUATING,
            S.DISCUSSION,
        )
    },
}

#: Statuses in which the authors may still edit the registration.
AUTHOR_EDITABLE = frozenset({S.REGISTERED, S.RETURNED, S.AWAITING_AUTHOR, S.KICK_THE_TIRES})
#: Statuses in which the artifact is with its evaluators (assigned evaluators read it).
WITH_EVALUATORS = frozenset(
    {S.KICK_THE_TIRES, S.AWAITING_AUTHOR, S.EVALUATING, S.DISCUSSION, S.DECIDED, S.PUBLISHED}
)
#: Statuses in which an artifact may still get evaluators: bid on and assigned.
NEEDS_EVALUATORS = frozenset(
    {S.SUBMITTED, S.RETURNED, S.KICK_THE_TIRES, S.AWAITING_AUTHOR, S.EVALUATING}
)
#: Statuses whose artifact counts as "in the evaluation" (not withdrawn, past registration).
ACTIVE = frozenset(set(S.values) - {S.WITHDRAWN, S.REGISTERED})


class Verdict(models.TextChoices):
    """One evaluator's word on one requested badge."""

    AWARD = "award", "Award"
    DO_NOT_AWARD = "do_not_award", "Do not award"


class BadgeOutcome(models.TextChoices):
    """A requested badge's fate (``RequestedBadge.outcome``): lead proposes, chair decides."""

    PENDING = "pending", "Not decided"
    AWARDED = "awarded", "Awarded"
    NOT_AWARDED = "not_awarded", "Not awarded"


class Thread(models.TextChoices):
    """An artifact's two conversations, each with its own readers."""

    AUTHORS = "authors", "Authors and evaluators"  # evaluators shown as "Evaluator A"
    EVALUATORS = "evaluators", "Evaluators only"  # and the AE chairs


class MessageKind(models.TextChoices):
    MESSAGE = "message", "Message"
    #: The evaluators' one combined kick-the-tires message to the authors.
    KICK_THE_TIRES = "kick_the_tires", "Kick-the-tires report"
    #: The public report sent with the badges.
    REPORT = "report", "Final report"


class Packaging(models.TextChoices):
    CONTAINER = "container", "Container image (Docker, Podman, Apptainer)"
    VM = "vm", "Virtual machine image"
    SCRIPTS = "scripts", "Scripts on the evaluator's machine"
    NOTEBOOK = "notebook", "Notebooks"
    OTHER = "other", "Other"


class BidPreference(models.TextChoices):
    EAGER = "eager", "Eager"
    WILLING = "willing", "Willing"
    RELUCTANT = "reluctant", "Reluctant"
    CONFLICT = "conflict", "Conflict"


class ReportVisibility(models.TextChoices):
    """When the authors read the evaluators' comments to authors (the AE chair's choice)."""

    WHEN_SUBMITTED = "when_submitted", "As soon as each evaluation is submitted"
    WHEN_PUBLISHED = "when_published", "Only when the badges are published"


#: The kick-the-tires checklist every evaluator fills (key, question).
KICK_THE_TIRES_ITEMS: tuple[tuple[str, str], ...] = (
    ("claims", "I understand the paper's claims the artifact supports"),
    ("hardware", "I have access to the hardware it needs"),
    ("installs", "It installs (or its image starts) as documented"),
    ("minimal_run", "A minimal run works"),
    ("expected_results", "I know which results to expect from each experiment"),
)
