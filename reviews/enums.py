from django.db import models


class BidValue(models.TextChoices):
    """A PC member's preference for reviewing a paper; the score is what the solver adds."""

    EAGER = "eager", "Eager"
    WILLING = "willing", "Willing"
    NEUTRAL = "neutral", "No preference"
    NOT_WILLING = "not_willing", "Not willing"
    CONFLICT = "conflict", "Conflict"


#: The solver's bid score per value; NOT_WILLING and CONFLICT are never assigned.
BID_SCORES = {
    BidValue.EAGER: 1.0,
    BidValue.WILLING: 0.5,
    BidValue.NEUTRAL: 0.0,
}
FORBIDDEN_BIDS = frozenset({BidValue.NOT_WILLING, BidValue.CONFLICT})


class InterestLevel(models.IntegerChoices):
    NONE = 0, "None"
    SOME = 1, "Some"
    HIGH = 2, "High"
    EXPERT = 3, "Expert"


class ExpertiseSource(models.TextChoices):
    PASTED = "pasted", "Pasted"
    BIBTEX = "bibtex", "BibTeX import"


class AssignmentKind(models.TextChoices):
    AUTOMATIC = "automatic", "Automatic"
    MANUAL = "manual", "Manual"
    EXTERNAL = "external", "External"


class ProposalStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Solving"
    READY = "ready", "Ready for review"
    INFEASIBLE = "infeasible", "Infeasible"
    FAILED = "failed", "Failed"
    COMMITTED = "committed", "Committed"
    UNDONE = "undone", "Undone"
    DISCARDED = "discarded", "Discarded"


class PairChange(models.TextChoices):
    NEW = "new", "New"
    KEPT = "kept", "Kept"
    REMOVED = "removed", "Removed"
