"""Reviewing API representations.

Read serializers never decide visibility: the viewsets hand them only what the pages would show
(answers already filtered by reviews.review_forms.visible_answers, names already replaced by
reviews.discussion.naming labels). Write serializers check shape; meaning (scales, word limits,
phases) is checked by the services, with the same messages as the pages.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reviews.enums import CommentVisibility, FieldKind, FieldVisibility, Recommendation
from reviews.models import AuthorResponse, ReviewField, ReviewForm

ANSWER_VALUE = serializers.JSONField(help_text="An int for scores, a string otherwise.")


# --- Review forms ------------------------------------------------------------------------------


class ScalePointSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField(allow_blank=True, required=False, default="")


class ReviewFieldSerializer(serializers.ModelSerializer):
    scale = ScalePointSerializer(many=True, required=False)
    choices = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = ReviewField
        fields = [
            "id",
            "key",
            "label",
            "help_text",
            "kind",
            "scale",
            "choices",
            "required",
            "visibility",
            "order",
            "active",
        ]
        read_only_fields = ["id", "order", "active"]
        extra_kwargs = {"help_text": {"required": False}, "required": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["choices"] = [
            str(c["value"]) if isinstance(c, dict) else str(c) for c in instance.choices
        ]
        return data


class ReviewFormSerializer(serializers.ModelSerializer):
    track = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    questions = serializers.SerializerMethodField(help_text="Active questions, in order.")

    class Meta:
        model = ReviewForm
        fields = ["id", "name", "track", "questions"]
        read_only_fields = fields

    @extend_schema_field(ReviewFieldSerializer(many=True))
    def get_questions(self, obj: ReviewForm) -> list[dict]:
        active = [f for f in obj.fields.all() if f.active]
        return ReviewFieldSerializer(active, many=True).data


# --- Reviews -------------------------------------------------------------------------------------


class AnswerSerializer(serializers.Serializer):
    """One answered question as the viewer may read it."""

    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=FieldKind.choices)
    visibility = serializers.ChoiceField(choices=FieldVisibility.choices)
    value = ANSWER_VALUE
    display = serializers.CharField(help_text='"4: Weak accept" for scores; text as written.')


class ReviewSerializer(serializers.Serializer):
    """A review for its reviewer or a chair (``answers``: every answered active question)."""

    id = serializers.IntegerField()
    submission = serializers.IntegerField(help_text="The submission number.")
    reviewer = serializers.CharField(help_text="A name (chairs), or “You”.")
    state = serializers.CharField()
    version = serializers.IntegerField(help_text="Send it back when you write (409 if stale).")
    submitted_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    answers = AnswerSerializer(many=True)


class PaperReviewSerializer(serializers.Serializer):
    """A review on a paper's committee view (as reviews:paper shows it)."""

    id = serializers.IntegerField()
    label = serializers.CharField(help_text="“Your review”, a name or “Reviewer A”.")
    side = serializers.CharField(help_text="ML, SYSTEMS, BOTH or empty.")
    is_own = serializers.BooleanField()
    state = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    answers = AnswerSerializer(many=True)


class ReviewWriteSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        default=dict,
        help_text="{field key: value}; on PATCH and submit, keys left out keep their answer.",
    )
    version = serializers.IntegerField(
        min_value=0, help_text="The version you read (0 before the review exists)."
    )


class ReviewCreateSerializer(ReviewWriteSerializer):
    submission = serializers.IntegerField(help_text="The number of a paper assigned to you.")
    version = serializers.IntegerField(min_value=0, required=False, default=0)


class AuthorAnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    is_text = serializers.BooleanField()
    value = serializers.CharField(help_text="Markdown for text; the display form otherwise.")


class AuthorReviewSerializer(serializers.Serializer):
    """A submitted review as the paper's authors read it: no identity, author fields only."""

    review_id = serializers.IntegerField(help_text="Key of a per-review response section.")
    label = serializers.CharField()
    answers = AuthorAnswerSerializer(many=True)


# --- Comments ------------------------------------------------------------------------------------


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = serializers.CharField(read_only=True, help_text="“You”, a name or an alias.")
    is_own = serializers.BooleanField(read_only=True)
    body = serializers.CharField(help_text="Markdown with $math$; @mention committee members.")
    visibility = serializers.ChoiceField(choices=CommentVisibility.choices)
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CommentEditSerializer(serializers.Serializer):
    body = serializers.CharField()


# --- Author response -----------------------------------------------------------------------------


class ResponseSerializer(serializers.ModelSerializer):
    per_review = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="{review id: text}; ids from author-reviews.",
    )
    version = serializers.IntegerField(
        min_value=0, help_text="The version you read (0 before the first save)."
    )

    class Meta:
        model = AuthorResponse
        fields = ["text", "per_review", "state", "version", "submitted_at"]
        read_only_fields = ["state", "submitted_at"]
        extra_kwargs = {"text": {"required": False, "allow_blank": True}}


# --- Meta-review ---------------------------------------------------------------------------------


class MetaReviewSerializer(serializers.Serializer):
    lead = serializers.CharField(read_only=True, help_text="The lead's name or alias.")
    summary = serializers.CharField(allow_blank=True, required=False, default="")
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, allow_blank=True, required=False, default=""
    )
    confidence = serializers.IntegerField(allow_null=True, required=False, default=None)
    state = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    editable = serializers.BooleanField(read_only=True)


class MetaSummarySerializer(serializers.Serializer):
    """What authors read after decisions are released."""

    summary = serializers.CharField()
