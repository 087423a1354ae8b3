"""Review forms API: a conference's forms and their questions (chairs edit the questions through
the same services as the forms page)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reviews.api.base import FIELD, PK, TAGS, ReviewingMixin
from reviews.models import ReviewField, ReviewForm
from reviews.review_forms import (
    ensure_default_form,
)
from reviews.review_forms import services as form_services
from reviews.review_forms.forms import ReviewFieldForm, format_scale
from reviews.review_forms.queries import forms_of
from reviews.review_forms.usage import is_used
from submissions.api.viewsets import CONFERENCE


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


# --- Review forms --------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class ReviewFormViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """Read: chairs and reviewing members. Write: chairs, through reviews.review_forms.services."""

    serializer_class = ReviewFormSerializer

    permission_map = {"view": "reviews.view_review_forms", "write": "reviews.manage_reviews"}
    permission_denied_message = "Only the conference's chairs change review forms."

    def get_queryset(self):
        if self.is_schema():
            return ReviewForm.objects.none()
        return forms_of(self.conference)

    def list(self, request, *args, **kwargs):
        ensure_default_form(self.conference)
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(parameters=[CONFERENCE, PK], summary="One review form with its questions")
    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    def _save_field(self, form: ReviewForm, field: ReviewField | None, partial: bool):
        incoming = ReviewFieldSerializer(data=self.request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        current = ReviewFieldSerializer(field).data if field else {}
        merged = {**current, **data}
        # The page's form checks meaning (unique key, scale order, at least two points); the
        # API only translates JSON lists into the lines that form reads.
        page_form = ReviewFieldForm(
            {
                "label": merged.get("label", ""),
                "key": merged.get("key", ""),
                "kind": merged.get("kind", ""),
                "help_text": merged.get("help_text", ""),
                "visibility": merged.get("visibility", ""),
                "required": merged.get("required", True),
                "scale_text": format_scale([dict(p) for p in merged.get("scale", [])]),
                "choices_text": "\n".join(merged.get("choices", [])),
            },
            instance=field,
            form_obj=form,
            locked=bool(field and is_used(field)),
        )
        if not page_form.is_valid():
            names = {
                "scale_text": "scale",
                "choices_text": "choices",
                "__all__": "non_field_errors",
            }
            raise serializers.ValidationError(
                {names.get(k, k): v for k, v in page_form.errors.items()}
            )
        if field is None:
            return form_services.add_field(form, page_form.field_data(), actor=self.viewer.user)
        return form_services.update_field(field, page_form.field_data(), actor=self.viewer.user)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=ReviewFieldSerializer,
        responses={201: ReviewFieldSerializer},
        summary="Add a question at the end of the form (chairs)",
    )
    @action(detail=True, methods=["post"], url_path="fields")
    def add_field(self, request, *args, **kwargs):
        field = self._save_field(self.get_object(), None, partial=False)
        return Response(ReviewFieldSerializer(field).data, status=status.HTTP_201_CREATED)

    def _field(self) -> ReviewField:
        return get_object_or_404(
            ReviewField.objects.select_related("form"),
            pk=self.kwargs["field"],
            form=self.get_object(),
        )

    @extend_schema(
        parameters=[CONFERENCE, PK, FIELD],
        request=ReviewFieldSerializer,
        responses={200: ReviewFieldSerializer, 204: None},
        summary="Change a question, or remove it (kept hidden if reviews answer it)",
    )
    @action(
        detail=True,
        methods=["put", "patch", "delete"],
        url_path=r"fields/(?P<field>\d+)",
        url_name="field",
    )
    def change_field(self, request, *args, **kwargs):
        field = self._field()
        if request.method == "DELETE":
            form_services.remove_field(field, actor=self.viewer.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        field = self._save_field(field.form, field, partial=request.method == "PATCH")
        return Response(ReviewFieldSerializer(field).data)
