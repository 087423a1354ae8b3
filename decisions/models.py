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


# --- Camera-ready (decisions.camera_ready) ----------------------------------------------------


class CameraReadyTrack(BaseModel):
    """A track's camera-ready rules: its own page limit (the paper's plus ``extra_pages``) and
    whether the rest of the track's format spec (paper size, font, columns, text block) applies.
    A track without a row gets the defaults (one extra page, same format)."""

    track = models.OneToOneField(
        "conferences.Track", on_delete=models.CASCADE, related_name="camera_ready_rule"
    )
    extra_pages = models.PositiveSmallIntegerField(
        default=1, help_text="Pages allowed beyond the track's page limit."
    )
    same_format = models.BooleanField(
        default=True,
        help_text="Check the track's format spec too (off: only the page count is checked).",
    )

    def __str__(self) -> str:
        return f"{self.track}: +{self.extra_pages} pages"


class LicenceText(BaseModel):
    """One version of a conference's copyright/licence terms. Never edited: a chair's change
    writes the next version, so each author's acceptance keeps the exact text they accepted."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="licence_texts"
    )
    version = models.PositiveIntegerField()
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["conference", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "version"], name="licence_version_unique")
        ]

    def __str__(self) -> str:
        return f"Licence v{self.version}"


class CameraReady(BaseModel):
    """An accepted paper's camera-ready state: the final author list and its confirmation, the
    licence accepted, the shepherd and their verdict. The PDFs themselves are
    ``SubmissionFile`` rows of kind camera_ready (every upload kept).

    Written only by decisions.camera_ready.services; ``status`` (the shepherd's review) follows
    ``enums.SHEPHERD_TRANSITIONS``. ``final_authors`` is empty until the authors edit the list
    (then a list of {name, email, affiliation} in order); the submission's Author rows stay as
    submitted (they carry the authors' access to the paper).
    """

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="camera_ready"
    )
    final_authors = models.JSONField(default=list, blank=True)
    authors_confirmed_at = models.DateTimeField(null=True, blank=True)
    authors_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    licence = models.ForeignKey(
        LicenceText, null=True, blank=True, on_delete=models.PROTECT, related_name="acceptances"
    )
    licence_accepted_at = models.DateTimeField(null=True, blank=True)
    licence_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shepherd = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shepherding",
    )
    status = models.CharField(
        max_length=20,
        choices=enums.ShepherdStatus.choices,
        default=enums.ShepherdStatus.NONE,
        db_index=True,
    )
    shepherd_comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_file = models.ForeignKey(
        "submissions.SubmissionFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version the shepherd approved or asked changes for.",
    )

    def __str__(self) -> str:
        return f"Camera-ready of #{self.submission_id}"


class CameraReadyReminder(BaseModel):
    """A reminder sent for one paper at one threshold (days before the deadline): the unique
    row is what makes the hourly task send each at most once."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="camera_ready_reminders"
    )
    days = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "days"], name="camera_ready_reminder_unique"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.submission_id}: {self.days} days"


def proceedings_path(instance: "ProceedingsBuild", filename: str) -> str:
    return f"proceedings/{instance.conference_id}/{instance.kind}-{instance.pk}-{filename}"


class ProceedingsBuild(BaseModel):
    """One build of the program booklet or of the ZIP of final PDFs, made by a Celery task.

    Written only by decisions.proceedings.services; the status follows
    ``enums.BUILD_TRANSITIONS``. The file is served through the protected "proceedings"
    file kind (chairs only). A newer ready build of the same kind replaces the older one's file.
    """

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="proceedings_builds"
    )
    kind = models.CharField(max_length=10, choices=enums.ProceedingsKind.choices)
    status = models.CharField(
        max_length=10, choices=enums.BuildStatus.choices, default=enums.BuildStatus.QUEUED
    )
    file = models.FileField(upload_to=proceedings_path, max_length=300, blank=True)
    papers = models.PositiveIntegerField(default=0, help_text="Accepted papers it was built from.")
    pages = models.PositiveIntegerField(null=True, blank=True, help_text="Booklet pages.")
    size = models.PositiveBigIntegerField(default=0)
    missing = models.JSONField(
        default=list, blank=True, help_text="Numbers of the papers without a final PDF."
    )
    seconds = models.FloatField(null=True, blank=True)
    message = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_status_display()}"

    @property
    def download_name(self) -> str:
        suffix = "booklet.pdf" if self.kind == enums.ProceedingsKind.BOOKLET else "final-pdfs.zip"
        return f"{self.conference.slug}-proceedings-{suffix}"


# --- The decisions dashboard (decisions.dashboard) -------------------------------------------


class SavedView(BaseModel):
    """A chair's named view of the decisions dashboard: its filters, sort and columns, kept as
    the normalised query string of the page (``query``). Each chair has their own, per
    conference; nobody else sees them."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=2000, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "owner", "name"], name="saved_view_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


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


# --- Release and decision letters (decisions.release, decisions.letters) ---------------------


class LetterEmail(BaseModel):
    """One decision email to one author address of a paper: the link that makes preparing
    letters idempotent (one row per decision and recipient). The email itself is an outbox row,
    ``held`` until a chair sends the batch; discarding a held email deletes this row with it, so
    the letter can be prepared again from the edited template."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="letter_emails")
    recipient = models.EmailField()
    email = models.OneToOneField(
        "mail.OutboundEmail", on_delete=models.CASCADE, related_name="decision_letter"
    )

    class Meta:
        ordering = ["decision", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "recipient"], name="letter_email_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"Letter for decision {self.decision_id} to {self.recipient}"


def _letter_path(letter, filename: str) -> str:
    return f"decisions/{letter.conference_id}/letters/{letter.submission_id}/{filename}"


def _archive_path(archive, filename: str) -> str:
    return f"decisions/{archive.conference_id}/letter-archives/{filename}"


class DecisionLetter(BaseModel):
    """The decision letter PDF of a released paper (decisions.letters.pdf), served only
    through mlsys.core.files (kind "decision-letter", permission decisions.download_letter)."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="+"
    )
    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="decision_letter"
    )
    file = models.FileField(upload_to=_letter_path, max_length=300)
    generated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Decision letter of #{self.submission_id}"


class LetterArchive(BaseModel):
    """A ZIP of the decision letters of a conference's released papers, built in Celery for the
    chair who asked (without the papers they are conflicted with). Status follows
    ``enums.BUILD_TRANSITIONS``."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=enums.BuildStatus.choices, default=enums.BuildStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_archive_path, max_length=300, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Letter archive {self.pk} ({self.status})"


class ReleaseRun(BaseModel):
    """One release of decisions (a conference or one track) asked for by a chair and run in
    Celery. ``report`` is what it did as that chair may know it (papers they are conflicted
    with counted apart). Status follows ``enums.RELEASE_RUN_TRANSITIONS``."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="+"
    )
    track = models.ForeignKey(
        "conferences.Track", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10,
        choices=enums.ReleaseRunStatus.choices,
        default=enums.ReleaseRunStatus.QUEUED,
    )
    report = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Release {self.pk} ({self.status})"
