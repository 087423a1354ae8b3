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


#: The assignment proposal's state machine: {status: statuses it may move to}. Every change
#: of ``AssignmentProposal.status`` goes through reviews.assignment.status.transition, a
#: conditional UPDATE that only applies from the statuses listed here (so a solve finishing
#: after a discard cannot bring the proposal back). RUNNING → RUNNING is a solve retried by
#: the task queue. (Affinity runs reuse the labels of this enum with their own table below.)
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.QUEUED: frozenset(
        {ProposalStatus.RUNNING, ProposalStatus.FAILED, ProposalStatus.DISCARDED}
    ),
    ProposalStatus.RUNNING: frozenset(
        {
            ProposalStatus.RUNNING,
            ProposalStatus.READY,
            ProposalStatus.INFEASIBLE,
            ProposalStatus.FAILED,
            ProposalStatus.DISCARDED,
        }
    ),
    ProposalStatus.READY: frozenset({ProposalStatus.COMMITTED, ProposalStatus.DISCARDED}),
    ProposalStatus.INFEASIBLE: frozenset({ProposalStatus.DISCARDED}),
    ProposalStatus.FAILED: frozenset({ProposalStatus.DISCARDED}),
    ProposalStatus.COMMITTED: frozenset({ProposalStatus.UNDONE}),
    ProposalStatus.UNDONE: frozenset(),
    ProposalStatus.DISCARDED: frozenset(),
}

#: The affinity run's state machine (statuses labelled by ProposalStatus). Every change of
#: ``AffinityRun.status`` goes through reviews.affinity.status.transition. RUNNING → RUNNING is
#: a computation restarted by the task queue; QUEUED/RUNNING → FAILED is also a stale run
#: abandoned by the next start, after which the worker's late result is dropped.
AFFINITY_RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.QUEUED: frozenset({ProposalStatus.RUNNING, ProposalStatus.FAILED}),
    ProposalStatus.RUNNING: frozenset(
        {ProposalStatus.RUNNING, ProposalStatus.READY, ProposalStatus.FAILED}
    ),
    ProposalStatus.READY: frozenset(),
    ProposalStatus.FAILED: frozenset(),
}


class PairChange(models.TextChoices):
    NEW = "new", "New"
    KEPT = "kept", "Kept"
    REMOVED = "removed", "Removed"


class FieldKind(models.TextChoices):
    SCORE = "score", "Score (labelled scale)"
    CHOICE = "choice", "Choice"
    TEXT = "text", "Text (Markdown)"


class FieldVisibility(models.TextChoices):
    """Who may read an answer. Each level includes the ones below it in this list."""

    AUTHORS = "authors", "Authors, PC and chairs"
    PC = "pc", "Reviewers of the paper and chairs"
    CHAIRS = "chairs", "Chairs only"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class OtherReviewsVisibility(models.TextChoices):
    """When a reviewer may read the other reviews of a paper: the values of
    ``Conference.other_reviews_visibility`` (conferences can't import reviews, so the field
    spells its choices out; tests/reviews/test_domain_words.py keeps the two equal)."""

    AFTER_SUBMIT = "after_submit", "After submitting one's own review"
    ALWAYS = "always", "Always"
    NEVER = "never", "Never"


class CommentVisibility(models.TextChoices):
    CHAIRS = "chairs", "Chairs only"
    PC = "pc", "PC members without a conflict"
    REVIEWERS = "reviewers", "Reviewers of the paper"
    AUTHORS = "authors", "Authors too"


class ResponseState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Recommendation(models.TextChoices):
    ACCEPT = "accept", "Accept"
    WEAK_ACCEPT = "weak_accept", "Weak accept"
    BORDERLINE = "borderline", "Borderline"
    WEAK_REJECT = "weak_reject", "Weak reject"
    REJECT = "reject", "Reject"


class ExternalRequestState(models.TextChoices):
    PENDING = "pending", "Waiting for the chairs"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
