"""Submissions, their authors, every uploaded file version, and conflicts of interest."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse

from mlsys.core.models import BaseModel
from submissions import enums, rules


def upload_path(instance: "SubmissionFile", filename: str) -> str:
    # The stored name never uses the author's filename (kept in original_name instead).
    suffix = PurePath(filename).suffix.lower()[:10] if filename else ""
    sub = instance.submission
    return f"submissions/{sub.conference_id}/{sub.pk}/{instance.kind}/{uuid.uuid4().hex}{suffix}"


def review_copy_path(instance: "SubmissionFile", filename: str) -> str:
    # One fixed name per file version, so re-running the check rewrites the same copy.
    sub = instance.submission
    return f"submissions/{sub.conference_id}/{sub.pk}/review-copy/{instance.pk}.pdf"


class Tag(BaseModel):
    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="tag_unique")]

    def __str__(self) -> str:
        return self.name


class ExtraField(BaseModel):
    """A question a chair adds to a track's submission form (e.g. "previously submitted to")."""

    track = models.ForeignKey(
        "conferences.Track", on_delete=models.CASCADE, related_name="extra_fields"
    )
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=enums.ExtraFieldKind.choices)
    choices = models.TextField(blank=True, help_text="For a choice field: one option per line.")
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["track", "order", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


def paper_is_active(path: str = "submission") -> models.Q:
    """For rows of other models: their paper (reached through ``path``) is active, the
    condition ``Submission.objects.active()`` names."""
    return models.Q(**{f"{path}__status__in": enums.ACTIVE})


class SubmissionQuerySet(models.QuerySet):
    """The submission filters the domain names: say ``active()``, not the status list."""

    def active(self):
        """Papers still in the running: submitted or decided (reviewed, counted, bid on)."""
        return self.filter(status__in=enums.ACTIVE)


class Submission(BaseModel):
    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="submissions"
    )
    track = models.ForeignKey(
        "conferences.Track", on_delete=models.PROTECT, related_name="submissions"
    )
    number = models.PositiveIntegerField(help_text="Per-conference paper number, from 1.")
    title = models.CharField(max_length=300)
    abstract = models.TextField()
    topics = models.ManyToManyField("conferences.Topic", blank=True, related_name="submissions")
    tags = models.ManyToManyField(Tag, blank=True, related_name="submissions")
    extra_answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=enums.Status.choices, default=enums.Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_paper = models.ForeignKey(
        "SubmissionFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version that counts: the newest usable paper upload.",
    )
    current_supplement = models.ForeignKey(
        "SubmissionFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_paper = models.ForeignKey(
        "SubmissionFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "The version reviewers get: the newest usable paper upload that passed the "
            "anonymity check or that a chair released. Usually the current one."
        ),
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True, help_text="Why it was withdrawn or desk-rejected.")
    version = models.PositiveIntegerField(
        default=1, help_text="Incremented on every edit; stale edits are refused."
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["conference", "number"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="submission_number")
        ]
        rules_permissions = {
            "view": rules.can_view_submission,
            "change": rules.can_edit_submission,
        }

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "submissions:detail",
            kwargs={"conference": self.conference.slug, "number": self.number},
        )


class Author(BaseModel):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="authors")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    affiliation = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authorships",
        help_text="Linked when an account with this email exists or is created.",
    )
    is_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["submission", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "email"], name="author_email_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SubmissionFile(BaseModel):
    """One uploaded version. Never deleted or overwritten when a newer one arrives."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=20, choices=enums.FileKind.choices)
    file = models.FileField(upload_to=upload_path, max_length=300)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_status = models.CharField(
        max_length=10,
        choices=enums.CheckStatus.choices,
        default=enums.CheckStatus.PENDING,
        db_index=True,
    )
    pages = models.PositiveIntegerField(null=True, blank=True)
    pages_before_references = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, help_text="Extracted text, for search and matching.")
    report = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    check_queued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the check was last handed to the broker; empty while the broker could "
        "not take it (the sweep queues it, see submissions.sweep).",
    )
    anonymity_failed = models.BooleanField(
        default=False,
        help_text="The anonymity check found the authors named where reviewers would see it.",
    )
    released_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a chair released this version to reviewers despite its anonymity check.",
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_copy = models.FileField(
        upload_to=review_copy_path,
        max_length=300,
        null=True,
        blank=True,
        help_text="The paper without author metadata, for anonymous tracks.",
    )

    class Meta:
        ordering = ["submission", "kind", "-created_at", "-pk"]
        rules_permissions = {"view": rules.can_download_file, "download": rules.can_download_file}

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.submission} ({self.sha256[:10]})"

    @property
    def is_checked(self) -> bool:
        return self.check_status != enums.CheckStatus.PENDING

    @property
    def withheld_from_reviewers(self) -> bool:
        """Failed the anonymity check and no chair released it: reviewers never get it."""
        return self.anonymity_failed and self.released_at is None

    @property
    def status_label(self) -> str:
        """The check status in words, telling an anonymity failure from a format violation."""
        if self.check_status == enums.CheckStatus.FAILED and self.anonymity_failed:
            codes = {str(e.get("code", "")) for e in (self.report or {}).get("errors") or []}
            if any(not code.startswith("anonymity_") for code in codes):
                return "Violates the format spec and names its authors"
            return "Names its authors (anonymity check failed)"
        return self.get_check_status_display()

    @property
    def reviewer_file(self):
        """What reviewers download: the anonymised copy; the original only on an open track
        (never on an anonymous one, whose original may name the authors in its metadata).
        Which version a reviewer may fetch is the permission's business
        (``submissions.download_review_copy``: only ``Submission.reviewer_paper``, never a
        version withheld for failing anonymity); authors and chairs may fetch any."""
        if self.review_copy:
            return self.review_copy
        return None if self.submission.track.is_anonymous else self.file


class Conflict(BaseModel):
    """A reason why ``user`` must not review (or see the reviews of) ``submission``."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    source = models.CharField(max_length=20, choices=enums.ConflictSource.choices)
    reason = models.CharField(
        max_length=20,
        choices=enums.ConflictReason.choices,
        blank=True,
        help_text="For declared conflicts: the relationship.",
    )
    detail = models.CharField(max_length=300, blank=True, help_text="Evidence, e.g. the domain.")
    state = models.CharField(
        max_length=10,
        choices=enums.ConflictState.choices,
        default=enums.ConflictState.SUGGESTED,
        db_index=True,
    )

    class Meta:
        ordering = ["submission", "user", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "user", "source"], name="conflict_unique_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ↔ {self.submission} ({self.get_source_display()})"

    @property
    def is_effective(self) -> bool:
        return self.state in enums.EFFECTIVE
