"""An accepted paper's artifact: its registration, the badges it asks for (each with its own
fate), the automatic smoke checks, and the camera-ready stamped with the awarded badges."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from artifacts import enums
from decisions.enums import BuildStatus
from mlsys.core.models import BaseModel


class ArtifactQuerySet(models.QuerySet):
    def active(self):
        """Artifacts in the evaluation: submitted at least once and not withdrawn."""
        return self.filter(status__in=enums.ACTIVE)


class Artifact(BaseModel):
    """The code, data and models of one accepted paper, as its authors registered them.

    ``status`` follows ``enums.ARTIFACT_TRANSITIONS`` and is written only by
    ``artifacts.status.move``. The access secret (credentials for evaluators) is stored
    encrypted (``artifacts.secrets``) and never put in an email.
    """

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="artifacts"
    )
    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="artifact"
    )
    status = models.CharField(
        max_length=20, choices=enums.ArtifactStatus.choices, default=enums.ArtifactStatus.REGISTERED
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_artifacts",
        help_text="The author who answers the evaluators.",
    )
    summary = models.TextField(
        blank=True,
        help_text="What the artifact contains and which of the paper's claims it supports.",
    )
    repository_url = models.URLField(max_length=500, blank=True)
    version = models.CharField(
        max_length=100,
        blank=True,
        help_text="An immutable version: a commit hash or a release tag.",
    )
    doi = models.CharField(max_length=200, blank=True, verbose_name="DOI")
    licence = models.CharField(
        max_length=100, blank=True, help_text="e.g. MIT, Apache-2.0, CC-BY-4.0"
    )
    packaging = models.CharField(max_length=20, choices=enums.Packaging.choices, blank=True)
    packaging_notes = models.TextField(
        blank=True, help_text="Image name, VM download, entry point."
    )
    gpu_model = models.CharField(max_length=100, blank=True, verbose_name="GPU model")
    gpu_count = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(1024)], verbose_name="GPUs"
    )
    cpu_cores = models.PositiveIntegerField(null=True, blank=True)
    ram_gb = models.PositiveIntegerField(null=True, blank=True, verbose_name="RAM (GB)")
    disk_gb = models.PositiveIntegerField(null=True, blank=True, verbose_name="Disk (GB)")
    #: Special hardware or testbeds needed (["TPU v4", "InfiniBand"]).
    special_hardware = models.JSONField(default=list, blank=True)
    #: [{"name": "Figure 3", "human_minutes": 10, "compute_hours": 2.5}, ...]
    experiments = models.JSONField(default=list, blank=True)
    #: [{"name": "ImageNet subset", "kind": "dataset"|"model", "size_gb": 12.0, "url": ""}, ...]
    datasets = models.JSONField(default=list, blank=True)
    appendix = models.ForeignKey(
        "submissions.SubmissionFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The artifact appendix PDF (newest version that passed its check).",
    )
    access_instructions = models.TextField(blank=True)
    #: Credentials for the evaluators, Fernet-encrypted (artifacts.secrets); never emailed.
    access_secret = models.TextField(blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_artifacts",
        help_text="The evaluator who proposes the final badges.",
    )
    lead_note = models.TextField(blank=True, help_text="The lead's summary for the AE chair.")
    public_report = models.TextField(blank=True, help_text="Sent to the authors with the badges.")
    invited_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    #: Bumped by every registration edit: a form posted over an older one is refused.
    revision = models.PositiveIntegerField(default=0)

    objects = ArtifactQuerySet.as_manager()

    class Meta:
        ordering = ["conference", "submission__number"]
        indexes = [models.Index(fields=["conference", "status"])]

    def __str__(self) -> str:
        return f"Artifact of #{self.submission.number}"


class RequestedBadge(BaseModel):
    """One badge an artifact asks for, with its own fate: the lead's proposal, then the AE
    chair's outcome. Awarded rows are the artifact's badges (the "badge awards")."""

    artifact = models.ForeignKey(
        Artifact, on_delete=models.CASCADE, related_name="requested_badges"
    )
    badge = models.ForeignKey("artifacts.Badge", on_delete=models.PROTECT, related_name="requests")
    proposal = models.CharField(max_length=20, choices=enums.Verdict.choices, blank=True)
    outcome = models.CharField(
        max_length=20, choices=enums.BadgeOutcome.choices, default=enums.BadgeOutcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["badge__order", "badge_id"]
        constraints = [
            models.UniqueConstraint(fields=["artifact", "badge"], name="requested_badge_unique")
        ]

    def __str__(self) -> str:
        return f"{self.badge} for {self.artifact_id}: {self.outcome}"


class SmokeCheck(BaseModel):
    """One run of the automatic checks on a submitted artifact (repository and DOI answer,
    LICENSE and README at the version). ``results`` is a list of ``{"check", "level" (ok,
    warning), "message"}``; a check that cannot reach a host is a warning, never an error."""

    artifact = models.ForeignKey(Artifact, on_delete=models.CASCADE, related_name="smoke_checks")
    status = models.CharField(
        max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    repository_url = models.URLField(max_length=500, blank=True)
    version = models.CharField(max_length=100, blank=True)
    doi = models.CharField(max_length=200, blank=True)
    results = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Smoke check {self.pk} of {self.artifact_id}"


def stamped_path(instance: "StampedPaper", filename: str) -> str:
    return f"stamped/{instance.submission.conference_id}/{instance.submission_id}-{filename}"


class StampedPaper(BaseModel):
    """The final PDF with the awarded badges drawn on its first page: a new version built from
    ``source`` (the camera-ready upload), which is kept unchanged. Built in Celery; status
    follows decisions.enums.BUILD_TRANSITIONS."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="stamped_papers"
    )
    #: Deleting the source upload (only ever with its whole paper) deletes the stamped copy.
    source = models.ForeignKey(
        "submissions.SubmissionFile", on_delete=models.CASCADE, related_name="stamped_versions"
    )
    status = models.CharField(
        max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    file = models.FileField(upload_to=stamped_path, max_length=300, blank=True)
    badges = models.JSONField(default=list, blank=True, help_text="Labels of the stamped badges.")
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Stamped #{self.submission_id} ({self.status})"
