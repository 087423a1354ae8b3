"""Submission API serializers.

Read serializers expect objects from :mod:`submissions.queries` (annotated, prefetched). Only
the submission's authors and the chairs ever reach them (the viewsets' querysets see to that),
so author identities are included; chair-only fields (tags, conflict count) are dropped for
authors.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mlsys.conferences.models import Topic, Track
from mlsys.core import files
from submissions import enums
from submissions.models import Author, Submission, SubmissionFile


class AuthorSerializer(serializers.ModelSerializer):
    has_account = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = ["name", "email", "affiliation", "is_contact", "has_account"]

    def get_has_account(self, obj: Author) -> bool:
        return obj.user_id is not None


class SubmissionFileSerializer(serializers.ModelSerializer):
    """One uploaded version with its check report."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SubmissionFile
        fields = [
            "id",
            "kind",
            "original_name",
            "sha256",
            "size",
            "content_type",
            "check_status",
            "pages",
            "pages_before_references",
            "report",
            "checked_at",
            "check_queued_at",
            "anonymity_failed",
            "released_at",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: SubmissionFile) -> str:
        path = reverse(
            "api-submission-file-download",
            kwargs={
                "conference": self.context["conference"].slug,
                "number": obj.submission.number,
                "pk": obj.pk,
            },
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CheckedVersionSerializer(serializers.Serializer):
    """One stored version of a checked file kind that has its own protected download (the
    camera-ready, the artifact appendix): subclasses name the ``file_kind`` of mlsys.core.files."""

    file_kind = ""

    id = serializers.IntegerField(source="pk")
    original_name = serializers.CharField()
    created_at = serializers.DateTimeField()
    check_status = serializers.CharField()
    pages = serializers.IntegerField(allow_null=True)
    errors = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    def get_errors(self, file) -> list[str]:
        return [e.get("message", "") for e in (file.report or {}).get("errors") or []]

    def get_download_url(self, file) -> str:
        return files.url_for(self.file_kind, file)


class CurrentPaperSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubmissionFile
        fields = [
            "id",
            "original_name",
            "sha256",
            "size",
            "check_status",
            "anonymity_failed",
            "released_at",
            "pages",
            "created_at",
        ]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    track = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topics = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    authors = AuthorSerializer(many=True, read_only=True)
    author_count = serializers.IntegerField(read_only=True)
    current_paper = CurrentPaperSerializer(read_only=True, allow_null=True)
    reviewer_paper = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=(
            "Id of the version reviewers get: the newest that passed the anonymity check or "
            "that a chair released (null: none)."
        ),
    )
    tags = serializers.SerializerMethodField(
        help_text="Chairs only; empty for authors and on a paper the chair is conflicted with."
    )
    conflict_count = serializers.SerializerMethodField(
        help_text="Effective conflicts (chairs only; null for authors)."
    )

    class Meta:
        model = Submission
        fields = [
            "number",
            "track",
            "title",
            "abstract",
            "topics",
            "status",
            "status_reason",
            "version",
            "authors",
            "author_count",
            "current_paper",
            "reviewer_paper",
            "extra_answers",
            "submitted_at",
            "created_at",
            "updated_at",
            "tags",
            "conflict_count",
        ]
        read_only_fields = fields

    def _is_chair(self) -> bool:
        return bool(self.context.get("is_chair"))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, obj: Submission) -> list[str]:
        if not self._is_chair() or obj.pk in self.context.get("tags_hidden", ()):
            return []
        return [t.name for t in obj.tags.all()]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_conflict_count(self, obj: Submission) -> int | None:
        return obj.conflict_count if self._is_chair() else None


class AuthorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    affiliation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_contact = serializers.BooleanField(required=False, default=False)


class ConflictInputSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(help_text="A PC member's user id.")
    reason = serializers.ChoiceField(choices=enums.ConflictReason.choices)


class SubmissionInputSerializer(serializers.Serializer):
    """What authors send to create or edit. On update, omitted parts stay as they are and
    ``version`` (the value last read) is required: a stale one answers 409 with the current
    state."""

    track = serializers.SlugRelatedField(slug_field="slug", queryset=Track.objects.none())
    title = serializers.CharField(max_length=300)
    abstract = serializers.CharField()
    topics = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Topic.objects.none(), required=False
    )
    authors = AuthorInputSerializer(many=True, required=False)
    conflicts = ConflictInputSerializer(many=True, required=False)
    extra_answers = serializers.DictField(required=False)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Required on update: the version you read."
    )

    def get_fields(self):
        fields = super().get_fields()
        conference = self.context.get("conference")
        fields["track"].queryset = Track.objects.filter(conference=conference)
        fields["topics"].child_relation.queryset = Topic.objects.filter(conference=conference)
        return fields

    def validate(self, attrs):
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": "Send the version you last read."})
        return attrs


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why; shown to the chairs and co-authors."
    )


class FileUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[enums.FileKind.PAPER, enums.FileKind.SUPPLEMENT], default=enums.FileKind.PAPER
    )
    file = serializers.FileField()
