"""Reviewing online: forms, reviews and their revisions, discussion, author responses,
meta-reviews and external review requests."""

from django.conf import settings
from django.db import models

from mlsys.core.models import BaseModel
from reviews import enums


class ReviewForm(BaseModel):
    """The questions reviewers answer. ``track`` empty: the conference's default form."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="review_forms"
    )
    track = models.OneToOneField(
        "conferences.Track",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_form",
    )
    name = models.CharField(max_length=100, default="Review form")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conference"],
                condition=models.Q(track__isnull=True),
                name="one_default_review_form",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReviewField(BaseModel):
    """One question. Removing a field deactivates it, so existing answers are never lost."""

    form = models.ForeignKey(ReviewForm, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(max_length=50, help_text="Stable identifier of the answer.")
    label = models.CharField(max_length=200)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=enums.FieldKind.choices)
    scale = models.JSONField(
        default=list,
        blank=True,
        help_text='Score fields: [{"value": 1, "label": "Strong reject"}, ...].',
    )
    choices = models.JSONField(default=list, blank=True, help_text="Choice fields: the options.")
    required = models.BooleanField(default=True)
    visibility = models.CharField(
        max_length=10, choices=enums.FieldVisibility.choices, default=enums.FieldVisibility.AUTHORS
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["form", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="review_field_key_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Review(BaseModel):
    """One reviewer's review of one paper (one per assignment). Answers are keyed by field key.

    ``assignment`` is RESTRICT: deleting an assignment never deletes its review (it raises;
    removing a reviewer who has one marks the assignment removed instead, see
    reviews.assignment.services), while deleting the paper or the account as a whole still
    takes the review with it (RESTRICT yields to those CASCADE paths, PROTECT would not).
    """

    assignment = models.OneToOneField(
        "reviews.Assignment", on_delete=models.RESTRICT, related_name="review"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    form = models.ForeignKey(ReviewForm, on_delete=models.PROTECT, related_name="reviews")
    state = models.CharField(
        max_length=10, choices=enums.ReviewState.choices, default=enums.ReviewState.DRAFT
    )
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["submission", "pk"]

    def __str__(self) -> str:
        return f"Review of #{self.submission.number} by {self.reviewer}"


class ReviewRevision(models.Model):
    """A submitted state of a review; every submit and every later edit adds one."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    changed_fields = models.JSONField(default=list)
    after_response = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="review_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.review} r{self.number}"


class ReviewRating(BaseModel):
    """A reviewer's rating of another review's helpfulness (chairs see them)."""

    class Helpfulness(models.IntegerChoices):
        UNHELPFUL = 0, "Not helpful"
        HELPFUL = 1, "Helpful"
        EXCELLENT = 2, "Excellent"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpfulness = models.PositiveSmallIntegerField(choices=Helpfulness.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "rater"], name="review_rating_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rater} rates {self.review}: {self.get_helpfulness_display()}"


class Comment(BaseModel):
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_comments"
    )
    body = models.TextField(help_text="Markdown with $math$.")
    visibility = models.CharField(
        max_length=10,
        choices=enums.CommentVisibility.choices,
        default=enums.CommentVisibility.REVIEWERS,
    )
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on #{self.submission.number}"


class PaperFollow(BaseModel):
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "user"], name="paper_follow_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows #{self.submission.number}"


class AuthorResponse(BaseModel):
    """The authors' rebuttal: a general text and optional per-review sections."""

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="response"
    )
    text = models.TextField(blank=True)
    per_review = models.JSONField(
        default=dict, blank=True, help_text="{review id: text} for per-review sections."
    )
    state = models.CharField(
        max_length=10, choices=enums.ResponseState.choices, default=enums.ResponseState.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Response for #{self.submission.number}"


class MetaReview(BaseModel):
    """The discussion lead of a paper and, once written, their meta-review."""

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="meta_review"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_meta_reviews"
    )
    summary = models.TextField(blank=True, help_text="For the authors. Markdown with $math$.")
    recommendation = models.CharField(
        max_length=12, choices=enums.Recommendation.choices, blank=True
    )
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    state = models.CharField(
        max_length=10, choices=enums.ReviewState.choices, default=enums.ReviewState.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Meta-review of #{self.submission.number} by {self.lead}"

    @property
    def is_started(self) -> bool:
        """Whether the lead has written anything yet (a row alone only names the lead)."""
        return bool(self.summary or self.recommendation or self.confidence is not None)

    @property
    def status_label(self) -> str:
        """The one status every page shows: "Submitted", "Draft" or "Not started"."""
        if self.state == enums.ReviewState.SUBMITTED:
            return "Submitted"
        return "Draft" if self.is_started else "Not started"

    @property
    def status_badge(self) -> str:
        """CSS modifier of the status badge ("ok", "warn" or none)."""
        return {"Submitted": "ok", "Draft": "warn"}.get(self.status_label, "")


class ExternalReviewRequest(BaseModel):
    """A PC member's request that an outside expert review one paper; chairs decide."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="external_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    affiliation = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    state = models.CharField(
        max_length=10,
        choices=enums.ExternalRequestState.choices,
        default=enums.ExternalRequestState.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account the expert reviews with, once approved.",
    )

    def __str__(self) -> str:
        return f"External review of #{self.submission.number} by {self.name}"
