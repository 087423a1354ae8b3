"""A conference, its tracks, topics, deadlines, phase switches and committee."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences import enums, phases, rules
from mlsys.core.models import BaseModel

AOE = "Etc/GMT+12"  # Anywhere on Earth, UTC-12 (POSIX sign convention)


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"“{value}” is not a known time zone (e.g. Etc/GMT+12, UTC)."
        ) from exc


class Conference(BaseModel):
    slug = models.SlugField(
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9-]+$", "Lower-case letters, digits and dashes.")],
        help_text="Appears in every URL, e.g. mlsys2027.",
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    timezone = models.CharField(
        max_length=60,
        default=AOE,
        validators=[validate_timezone],
        help_text="Deadlines are shown in this zone; AoE (Etc/GMT+12) by default.",
    )
    contact_email = models.EmailField(blank=True)
    submission_grace_minutes = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(24 * 60)],
        help_text="Uploads still accepted this many minutes after the submission deadline.",
    )
    allow_late_registration = models.BooleanField(
        default=False,
        help_text="Allow new submissions after the registration deadline (until submission).",
    )
    is_public = models.BooleanField(default=True, help_text="Listed on the home page.")
    # --- Reviewing settings (read by reviews/rules.py) ---
    other_reviews_visibility = models.CharField(
        max_length=15,
        default="after_submit",
        choices=[
            ("after_submit", "After submitting one's own review"),
            ("always", "Always"),
            ("never", "Never"),
        ],
        help_text="When a reviewer may read the other reviews of a paper.",
    )
    reviewer_names_visible = models.BooleanField(
        default=True, help_text="Reviewers of a paper see each other's names."
    )
    decisions_released_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When chairs released decisions; authors see reviews and decisions after it.",
    )
    response_word_limit = models.PositiveIntegerField(
        default=750, validators=[MinValueValidator(50), MaxValueValidator(5000)]
    )
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text="The conference whose setup this one started from: its chairs may invite "
        "that conference's committee.",
    )
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the conference was archived: read-only for everyone but site staff.",
    )
    affinity_source = models.CharField(
        max_length=20,
        blank=True,
        # A database default too: migrations of other apps that create conferences through an
        # earlier historical model (without this field) must still insert rows.
        default="",
        db_default="",
        help_text="The stored affinity scores bidding and the assignment solver read (the "
        "newest computed or uploaded, unless a chair chose); blank: the built-in preference.",
    )

    class Meta:
        ordering = ["-created_at"]
        rules_permissions = {"view": rules.can_view_conference, "change": rules.is_chair}

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("conferences:detail", kwargs={"conference": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def timezone_label(self) -> str:
        return "AoE" if self.timezone == AOE else self.timezone

    def deadline_map(self) -> dict[str, "Deadline"]:
        """Deadlines by kind. One query each call unless ``deadlines`` is prefetched
        (``queries.with_schedule``), as every page's conference is."""
        return {d.kind: d for d in self.deadlines.all()}

    def phase_modes(self) -> dict[str, str]:
        """Phase switches by phase (prefetch ``phase_settings`` as for ``deadline_map``)."""
        return {s.phase: s.mode for s in self.phase_settings.all()}

    def timeline(self, now=None) -> "phases.Timeline":
        return phases.Timeline(self, now or timezone.now())

    @property
    def current_phase(self) -> str:
        return self.timeline().current


#: Room for the rest of an upload form besides the file (see settings.MAX_REQUEST_BYTES).
REQUEST_OVERHEAD_MB = 5


class Track(BaseModel):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=40)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    anonymity = models.CharField(
        max_length=20, choices=enums.Anonymity.choices, default=enums.Anonymity.DOUBLE_BLIND
    )
    page_limit = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text="Pages of main text (references excluded unless counted below).",
    )
    references_count = models.BooleanField(
        default=False, help_text="Count references towards the page limit."
    )
    reviewers_per_paper = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    min_ml_reviewers = models.PositiveSmallIntegerField(
        "minimum ML reviewers", default=1, validators=[MaxValueValidator(10)]
    )
    min_systems_reviewers = models.PositiveSmallIntegerField(
        "minimum Systems reviewers", default=1, validators=[MaxValueValidator(10)]
    )
    # --- What authors must provide (issue: submission intake) ---
    abstract_word_limit = models.PositiveSmallIntegerField(
        default=300, validators=[MinValueValidator(20), MaxValueValidator(2000)]
    )
    min_topics = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(20)])
    max_topics = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    max_paper_mb = models.PositiveSmallIntegerField(
        "maximum PDF size (MB)",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    max_supplement_mb = models.PositiveSmallIntegerField(
        "maximum supplementary file size (MB)",
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
    )
    # --- Format spec checked on every uploaded PDF ---
    appendix_counts = models.BooleanField(
        default=False, help_text="Count appendices towards the page limit."
    )
    paper_size = models.CharField(
        max_length=20, choices=enums.PaperSize.choices, default=enums.PaperSize.ANY
    )
    min_font_size = models.DecimalField(
        "minimum body font size (pt)",
        max_digits=4,
        decimal_places=1,
        default=9,
        validators=[MinValueValidator(5), MaxValueValidator(20)],
    )
    columns = models.PositiveSmallIntegerField(
        default=2, validators=[MaxValueValidator(3)], help_text="0 accepts any number of columns."
    )
    max_text_width_in = models.DecimalField(
        "maximum text block width (in)",
        max_digits=4,
        decimal_places=2,
        default=7,
        validators=[MinValueValidator(3), MaxValueValidator(12)],
    )
    max_text_height_in = models.DecimalField(
        "maximum text block height (in)",
        max_digits=4,
        decimal_places=2,
        default=9.25,
        validators=[MinValueValidator(3), MaxValueValidator(14)],
    )
    format_errors_block = models.BooleanField(
        default=True, help_text="A PDF that violates the format spec cannot be submitted."
    )

    class Meta:
        ordering = ["conference", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="track_slug_unique"),
            models.UniqueConstraint(fields=["conference", "name"], name="track_name_unique"),
        ]
        rules_permissions = {"view": rules.can_view_conference, "change": rules.is_chair}

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.min_ml_reviewers + self.min_systems_reviewers > self.reviewers_per_paper:
            errors["reviewers_per_paper"] = (
                "Must be at least the ML minimum plus the Systems minimum."
            )
        if self.min_topics > self.max_topics:
            errors["max_topics"] = "Must be at least the minimum number of topics."
        # an upload larger than the site-wide request cap is refused before it arrives.
        for field in ("max_paper_mb", "max_supplement_mb"):
            megabytes = getattr(self, field) or 0
            if (megabytes + REQUEST_OVERHEAD_MB) * 1024 * 1024 > settings.MAX_REQUEST_BYTES:
                cap = settings.MAX_REQUEST_BYTES // (1024 * 1024) - REQUEST_OVERHEAD_MB
                errors[field] = (
                    f"This site accepts uploads of at most {cap} MB (MAX_REQUEST_BYTES); "
                    "ask whoever runs it to raise that limit first."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_anonymous(self) -> bool:
        return self.anonymity != enums.Anonymity.OPEN

    @property
    def hides_affiliations(self) -> bool:
        return self.anonymity == enums.Anonymity.DOUBLE_BLIND


class Topic(BaseModel):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(max_length=120)
    area = models.CharField(max_length=10, choices=enums.Area.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["conference", "area", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "name"], name="topic_name_unique")
        ]
        rules_permissions = {"view": rules.can_view_conference, "change": rules.is_chair}

    def __str__(self) -> str:
        return self.name


class Deadline(BaseModel):
    """One dated milestone. Stored in UTC; shown in the conference's zone and the viewer's."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=30, choices=enums.DeadlineKind.choices)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "kind"], name="deadline_kind_unique")
        ]
        rules_permissions = {"view": rules.can_view_conference, "change": rules.is_chair}

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.at:%Y-%m-%d %H:%M} UTC"

    @property
    def local_at(self):
        return self.at.astimezone(self.conference.tz)


class PhaseSetting(BaseModel):
    """A chair's switch on one phase: follow the deadlines, or force it open or closed."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="phase_settings"
    )
    phase = models.CharField(max_length=30, choices=enums.Phase.choices)
    mode = models.CharField(
        max_length=10, choices=enums.PhaseMode.choices, default=enums.PhaseMode.AUTO
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "phase"], name="phase_setting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.get_mode_display()}"


class CommitteeMembership(BaseModel):
    """One person in one role at one conference, from invitation to acceptance."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=enums.Role.choices)
    side = models.CharField(max_length=10, choices=enums.Side.choices, blank=True)
    max_load = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Most papers this person reviews (empty: the conference default).",
    )
    min_load = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    status = models.CharField(
        max_length=10,
        choices=enums.InvitationStatus.choices,
        default=enums.InvitationStatus.INVITED,
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    invitation_token = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="Secret in the accept/decline links of the invitation email.",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["conference", "role", "user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(min_load__lte=models.F("max_load"))
                | models.Q(max_load__isnull=True),
                name="membership_load_ordered",
            ),
        ]
        rules_permissions = {"view": rules.is_membership_visible, "change": rules.is_chair}

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.conference})"

    def clean(self):
        if self.role in enums.REVIEWING_ROLES and not self.side:
            raise ValidationError({"side": "Reviewers need a side: ML, Systems or Both."})
        if self.role not in enums.REVIEWING_ROLES and self.side:
            raise ValidationError({"side": "Only reviewing roles have a side."})

    @property
    def is_active(self) -> bool:
        return self.status == enums.InvitationStatus.ACCEPTED
