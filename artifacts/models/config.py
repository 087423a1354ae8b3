"""How a conference runs artifact evaluation (the AE chair's settings and badge set) and the
evaluators' hardware."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from artifacts import enums
from mlsys.core.models import BaseModel


class AESettings(BaseModel):
    """One per conference that runs artifact evaluation. Its dates are the conference's
    ``Deadline`` rows of the AE kinds (registration, submission, bidding, kick-the-tires
    window, evaluations due, badge decisions), so phases and next year's copy see them."""

    conference = models.OneToOneField(
        "conferences.Conference", on_delete=models.CASCADE, related_name="ae_settings"
    )
    enabled = models.BooleanField(
        default=True,
        help_text="Authors of accepted papers are invited to register an artifact at release.",
    )
    evaluators_per_artifact = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    evaluations_per_evaluator = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Most full evaluations one evaluator does (their own profile may lower it).",
    )
    report_visibility = models.CharField(
        max_length=20,
        choices=enums.ReportVisibility.choices,
        default=enums.ReportVisibility.WHEN_PUBLISHED,
    )
    appendix_page_limit = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Most pages of the artifact appendix PDF.",
    )
    call_url = models.URLField(
        blank=True, help_text="The call for artifacts, if published elsewhere."
    )

    class Meta:
        verbose_name = "artifact evaluation settings"
        verbose_name_plural = "artifact evaluation settings"

    def __str__(self) -> str:
        return f"AE settings of {self.conference_id}"


class Badge(BaseModel):
    """One badge a conference awards ("Artifacts Available"): its checklist for evaluators and
    authors, the registration fields an artifact requesting it must fill, and the other badges
    it needs (``requires``) or rules out (``excludes``) — the allowed combinations. A badge in
    use is retired (``active`` off), never deleted."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="ae_badges"
    )
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    colour = models.CharField(max_length=7, default="#1f6f43", help_text="Hex colour of the seal.")
    #: What an artifact must offer for this badge, one item per entry.
    checklist = models.JSONField(default=list, blank=True)
    #: Names of Artifact fields required when this badge is requested.
    required_fields = models.JSONField(default=list, blank=True)
    requires = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by"
    )
    excludes = models.ManyToManyField("self", symmetrical=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "key"], name="ae_badge_key_unique")
        ]

    def __str__(self) -> str:
        return self.label


class HardwareProfile(BaseModel):
    """What an evaluator can run on. The person's own, kept from one conference to the next."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hardware_profile"
    )
    #: [{"model": "A100 80GB", "count": 4}, ...]
    gpus = models.JSONField(default=list, blank=True)
    cpu_cores = models.PositiveIntegerField(null=True, blank=True)
    ram_gb = models.PositiveIntegerField(null=True, blank=True)
    disk_gb = models.PositiveIntegerField(null=True, blank=True)
    cloud_credits = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'AWS, about $500'. Cloud GPUs count as any GPU."
    )
    cloud_gpus = models.BooleanField(
        default=False, help_text="I can rent GPUs in the cloud for an evaluation."
    )
    #: Special hardware and testbeds the evaluator can use (["TPU v4", "CloudLab", "InfiniBand"]).
    testbeds = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Hardware of {self.user_id}"
