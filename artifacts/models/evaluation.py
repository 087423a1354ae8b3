"""The AE committee's work on an artifact: bids, assignments (each evaluator known to the
authors only by an alias, "Evaluator A"), kick-the-tires checklists, full evaluations with a
verdict per requested badge."""

from django.conf import settings
from django.db import models

from artifacts import enums
from mlsys.core.models import BaseModel


class ArtifactBid(BaseModel):
    artifact = models.ForeignKey(
        "artifacts.Artifact", on_delete=models.CASCADE, related_name="bids"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="artifact_bids"
    )
    preference = models.CharField(max_length=10, choices=enums.BidPreference.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["artifact", "user"], name="artifact_bid_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.preference} {self.artifact_id}"


class AssignmentQuerySet(models.QuerySet):
    def live(self):
        """Evaluators on the artifact now (not taken off)."""
        return self.filter(removed_at__isnull=True)


class EvaluatorAssignment(BaseModel):
    """One evaluator on one artifact: a full evaluation. Taken off, an assignment with work
    (a checklist, an evaluation, messages) is retired (``removed_at``), never deleted."""

    artifact = models.ForeignKey(
        "artifacts.Artifact", on_delete=models.CASCADE, related_name="assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="artifact_assignments"
    )
    #: What the authors call this evaluator ("A", "B", …): fixed for the artifact's life.
    alias = models.CharField(max_length=3)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["artifact", "alias"]
        constraints = [
            models.UniqueConstraint(
                fields=["artifact", "evaluator"], name="evaluator_assignment_unique"
            ),
            models.UniqueConstraint(fields=["artifact", "alias"], name="evaluator_alias_unique"),
        ]

    def __str__(self) -> str:
        return f"Evaluator {self.alias} of {self.artifact_id}"

    @property
    def display_alias(self) -> str:
        return f"Evaluator {self.alias}"


class KickTheTiresCheck(BaseModel):
    """An evaluator's kick-the-tires checklist (``enums.KICK_THE_TIRES_ITEMS``): one per
    assignment, edited until the window closes."""

    assignment = models.OneToOneField(
        EvaluatorAssignment, on_delete=models.CASCADE, related_name="kick_the_tires"
    )
    #: {item key: True/False}
    answers = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True, help_text="Problems met, for the combined message.")
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Kick-the-tires of {self.assignment_id}"


class Evaluation(BaseModel):
    """An evaluator's full evaluation: comments to the authors, comments to the other
    evaluators only, and one ``BadgeVerdict`` per requested badge. Editable until the
    evaluation deadline; ``submitted_at`` set once complete."""

    assignment = models.OneToOneField(
        EvaluatorAssignment, on_delete=models.CASCADE, related_name="evaluation"
    )
    to_authors = models.TextField(blank=True, verbose_name="Comments to the authors")
    to_evaluators = models.TextField(blank=True, verbose_name="Comments to the other evaluators")
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Evaluation of {self.assignment_id}"


class BadgeVerdict(BaseModel):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="verdicts")
    badge = models.ForeignKey("artifacts.Badge", on_delete=models.PROTECT, related_name="verdicts")
    verdict = models.CharField(max_length=20, choices=enums.Verdict.choices)
    justification = models.TextField()

    class Meta:
        ordering = ["badge__order", "badge_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "badge"], name="badge_verdict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.verdict} {self.badge_id}"
