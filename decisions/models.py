"""A conference's decision outcomes and each paper's decision."""

from django.conf import settings
from django.db import models

from decisions import enums
from mlsys.core.models import BaseModel


class OutcomeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Outcome(BaseModel):
    """One of the decisions a chair may set at this conference ("Accept (poster)").

    Its ``kind`` says what release does to the paper (accepted or rejected). An outcome in use is
    retired (``active`` off), never deleted: decisions keep pointing at it.
    """

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="decision_outcomes"
    )
    label = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=enums.OutcomeKind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "label"], name="outcome_label_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def accepts(self) -> bool:
        return self.kind == enums.OutcomeKind.ACCEPT


class Decision(BaseModel):
    """A paper's decision: recorded as pending by a chair, visible to authors once released.

    Written only by decisions.services (``record_decision``, ``release_decisions``); the status
    follows ``enums.DECISION_TRANSITIONS``. ``reason`` is the chair's one line when the decision
    disagrees with the ranking (accepted below the cut-off, rejected above it).
    """

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="decisions")
    status = models.CharField(
        max_length=10, choices=enums.DecisionStatus.choices, default=enums.DecisionStatus.PENDING
    )
    reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"#{self.submission_id}: {self.outcome_id} ({self.status})"

    @property
    def is_released(self) -> bool:
        return self.status == enums.DecisionStatus.RELEASED


class DecisionMeeting(BaseModel):
    """The PC meeting of a conference: the discussion order chosen when it started and the paper
    on the screen now, shared by every chair (a second chair sees the same current paper).

    Written only by decisions.dashboard.meeting (``start_meeting``, ``move_to``), audited. No
    status field: starting again replaces the order; ``position`` indexes ``order``.
    """

    conference = models.OneToOneField(
        "conferences.Conference", on_delete=models.CASCADE, related_name="decision_meeting"
    )
    cutoff = models.FloatField()
    window = models.FloatField()
    #: Submission ids in discussion order.
    order = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Meeting of {self.conference_id} at {self.position}/{len(self.order)}"
