"""Reviewer preferences (topic interests, expertise, bids), affinities and assignments."""

from django.conf import settings
from django.db import models

from mlsys.core.models import BaseModel
from reviews import enums


class TopicInterest(BaseModel):
    """How much a committee member knows about one of the conference's topics."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="topic_interests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_interests"
    )
    topic = models.ForeignKey(
        "conferences.Topic", on_delete=models.CASCADE, related_name="interests"
    )
    level = models.PositiveSmallIntegerField(
        choices=enums.InterestLevel.choices, default=enums.InterestLevel.SOME
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="topic_interest_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.topic}: {self.get_level_display()}"


class ExpertiseQuerySet(models.QuerySet):
    def used_at(self, conference) -> "ExpertiseQuerySet":
        """The papers their owners use at ``conference``: all of them but those set aside there
        (an ``ExpertiseExclusion``); a paper added later is used everywhere until set aside."""
        return self.exclude(exclusions__conference=conference)


class Expertise(BaseModel):
    """One of a person's own papers (title + abstract), the text affinity is computed from.

    It belongs to the person, not to a conference: a returning PC member finds it again. Which
    papers count at a conference is the person's choice there (``ExpertiseExclusion``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise"
    )
    title = models.CharField(max_length=500)
    abstract = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(
        max_length=10, choices=enums.ExpertiseSource.choices, default=enums.ExpertiseSource.PASTED
    )

    objects = ExpertiseQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name_plural = "expertise"

    def __str__(self) -> str:
        return self.title


class ExpertiseExclusion(BaseModel):
    """A paper its owner does not use at one conference (by default every paper is used)."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="expertise_exclusions"
    )
    expertise = models.ForeignKey(Expertise, on_delete=models.CASCADE, related_name="exclusions")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "expertise"], name="expertise_exclusion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expertise} not used at {self.conference}"


class Bid(BaseModel):
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="bids"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bids"
    )
    value = models.CharField(max_length=12, choices=enums.BidValue.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "user"], name="bid_unique")]

    def __str__(self) -> str:
        return f"{self.user} → #{self.submission.number}: {self.value}"


class Affinity(models.Model):
    """How well a reviewer's expertise matches a submission, per source (tfidf, uploaded, ...).

    Rows are written in bulk by ``reviews.compute_affinities`` or a chair's CSV upload, and read
    by the bidding page and the solver; never computed on a request.
    """

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="affinities"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="affinities"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affinities"
    )
    source = models.CharField(max_length=20, default="tfidf")
    score = models.FloatField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "user", "source"], name="affinity_unique")
        ]
        indexes = [models.Index(fields=["conference", "user", "source"])]

    def __str__(self) -> str:
        return f"{self.user} ~ #{self.submission_id}: {self.score:.3f} ({self.source})"


class AffinityRun(BaseModel):
    """One computation of affinities for a conference, with progress for the chair's page."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="affinity_runs"
    )
    backend = models.CharField(max_length=30, default="tfidf")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=enums.ProposalStatus.choices, default=enums.ProposalStatus.QUEUED
    )
    progress = models.FloatField(default=0)
    message = models.TextField(blank=True)
    stats = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Affinities ({self.backend}) {self.get_status_display()}"


class AssignmentProposal(BaseModel):
    """A solver run: its parameters, progress, report, and whether it was committed or undone."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="assignment_proposals"
    )
    track = models.ForeignKey(
        "conferences.Track", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=12, choices=enums.ProposalStatus.choices, default=enums.ProposalStatus.QUEUED
    )
    progress = models.FloatField(default=0)
    message = models.TextField(blank=True)
    report = models.JSONField(default=dict, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Proposal {self.pk} ({self.get_status_display()})"


class ProposedPair(models.Model):
    """One (paper, reviewer) pair of a proposal and how it differs from current assignments."""

    proposal = models.ForeignKey(AssignmentProposal, on_delete=models.CASCADE, related_name="pairs")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    change = models.CharField(max_length=10, choices=enums.PairChange.choices)
    quality = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "submission", "user"], name="proposed_pair_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.change}: {self.user_id} on #{self.submission_id}"


def current_q(prefix: str = "") -> models.Q:
    """``current()`` as a Q, for conditional aggregates and filters across a relation
    (``prefix`` such as ``"submission__assignments__"``)."""
    return models.Q(**{f"{prefix}declined_at__isnull": True, f"{prefix}removed_at__isnull": True})


def live_q(prefix: str = "") -> models.Q:
    """``live()`` as a Q (see ``current_q``)."""
    return current_q(prefix) & models.Q(**{f"{prefix}released": True})


class AssignmentQuerySet(models.QuerySet):
    def not_declined(self):
        """Current and removed assignments (a removed one still carries the reviewer's work):
        what the chairs' per-paper pages and a commit read."""
        return self.filter(declined_at__isnull=True)

    def current(self):
        """Assignments the reviewer still holds: not declined, not removed (released or not).
        What the chairs' assignment pages and the solver count."""
        return self.filter(current_q())

    def live(self):
        """Released, not declined, not removed: the reviewer reviews the paper now."""
        return self.filter(live_q())

    def removed(self):
        """Assignments a chair removed while they carried work (the review is kept)."""
        return self.filter(removed_at__isnull=False)


class Assignment(BaseModel):
    """A reviewer on a paper. Hidden from the reviewer until the chairs release assignments.

    Removing an assignment deletes the row only when it carries no work; otherwise the row is
    kept with ``removed_at`` set (a "removed reviewer"): the review stays, visible to chairs,
    and counts in scores only when a chair set ``keep_review``. See docs/architecture.md.
    """

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="assignments"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(
        max_length=10, choices=enums.AssignmentKind.choices, default=enums.AssignmentKind.MANUAL
    )
    round = models.PositiveSmallIntegerField(default=1)
    proposal = models.ForeignKey(
        AssignmentProposal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    released = models.BooleanField(default=False)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a chair removed the reviewer; work is kept."
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    keep_review = models.BooleanField(
        default=False,
        help_text="A removed reviewer's review still counts in scores (a chair's choice).",
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer", "round"], name="assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} reviews #{self.submission.number}"
