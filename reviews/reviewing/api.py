"""Reviews API: a reviewer's own reviews (chairs: all), written through the same services as
the review page (409 with the current state for a stale ``version``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mlsys.core.numbers import id_error, parse_id
from reviews.api import permissions as perms
from reviews.api.base import PK, TAGS, AnswerSerializer, ReviewingMixin, answer_rows
from reviews.enums import ReviewState
from reviews.models import Assignment, Review
from reviews.review_forms import (
    ALL_LEVELS,
    visible_answers,
)
from reviews.reviewing import services as reviewing
from reviews.reviewing.queries import live_assignment
from reviews.rules import conflicted_submission_ids, is_own
from submissions.api.viewsets import CONFERENCE


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


# --- Reviews (own; chairs: all) ------------------------------------------------------------------

REVIEW_FILTERS = [
    OpenApiParameter("submission", OpenApiTypes.INT, description="A submission number."),
    OpenApiParameter("reviewer", OpenApiTypes.INT, description="A reviewer's user id (chairs)."),
    OpenApiParameter("state", OpenApiTypes.STR, enum=ReviewState.values),
]


@extend_schema(tags=TAGS)
class ReviewViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """Reviewers: their own reviews. Chairs: every review of papers they are not conflicted
    with (drafts without their answers, as on the paper page)."""

    serializer_class = ReviewSerializer

    @property
    def chair_view(self) -> bool:
        return self.viewer.has_perm("reviews.manage_reviews", self.conference)

    def get_queryset(self):
        if self.is_schema():
            return Review.objects.none()
        reviews = (
            Review.objects.filter(submission__conference=self.conference)
            .exclude(submission_id__in=conflicted_submission_ids(self.viewer, self.conference))
            .select_related("submission", "reviewer", "form")
            .prefetch_related("form__fields")
            .order_by("submission__number", "pk")
        )
        if self.chair_view:
            return reviews
        return reviews.filter(
            reviewer=self.viewer.user,
            assignment__in=Assignment.objects.live(),
        )

    def _data(self, review: Review) -> dict:
        own = review.reviewer_id == self.viewer.pk
        shown = own or review.state == ReviewState.SUBMITTED
        return {
            "id": review.pk,
            "submission": review.submission.number,
            "reviewer": "You" if own else (review.reviewer.name or review.reviewer.email),
            "state": review.state,
            "version": review.version,
            "submitted_at": review.submitted_at,
            "updated_at": review.updated_at,
            "answers": answer_rows(visible_answers(review, ALL_LEVELS)) if shown else [],
        }

    def _own(self) -> Review:
        review = self.get_object()
        if not is_own(self.viewer, review):
            raise PermissionDenied("Only its reviewer writes a review.")
        perms.require(self.viewer, "reviews.write_review", review.submission)
        return review

    def _fresh(self, review: Review, code: int = status.HTTP_200_OK) -> Response:
        return Response(self._data(self.get_queryset().get(pk=review.pk)), status=code)

    def _posted(self, review: Review | None, *, partial: bool) -> tuple[dict, int]:
        incoming = ReviewWriteSerializer(data=self.request.data)
        incoming.is_valid(raise_exception=True)
        answers = dict(incoming.validated_data["answers"])
        if partial and review is not None:
            answers = {**review.answers, **answers}
        return answers, incoming.validated_data["version"]

    @extend_schema(parameters=[CONFERENCE, *REVIEW_FILTERS], summary="Your reviews (chairs: all)")
    def list(self, request, *args, **kwargs):
        reviews = self.get_queryset()
        params = request.query_params
        numbers = {}
        for name in ("submission", "reviewer"):
            if params.get(name, "") != "":
                numbers[name] = parse_id(params[name])
                if numbers[name] is None:
                    raise ValidationError({name: [id_error(params[name])]})
        if "submission" in numbers:
            reviews = reviews.filter(submission__number=numbers["submission"])
        if "reviewer" in numbers:
            reviews = reviews.filter(reviewer_id=numbers["reviewer"])
        if params.get("state") in ReviewState.values:
            reviews = reviews.filter(state=params["state"])
        return Response(ReviewSerializer([self._data(r) for r in reviews], many=True).data)

    @extend_schema(parameters=[CONFERENCE, PK], summary="One review")
    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object()))

    @extend_schema(
        parameters=[CONFERENCE],
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer},
        summary="Start the review of a paper assigned to you (a first draft)",
    )
    def create(self, request, *args, **kwargs):
        incoming = ReviewCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        submission = perms.paper(self.conference, data["submission"])
        perms.require(self.viewer, "reviews.write_review", submission)
        assignment = live_assignment(self.viewer.user, submission)
        if assignment is None:
            raise Http404
        written = reviewing.write_review(
            assignment,
            actor=self.viewer,
            answers=data["answers"],
            expected_version=data["version"],
        )
        return self._fresh(written.review, status.HTTP_201_CREATED)

    def _write(self, *, partial: bool) -> Response:
        review = self._own()
        answers, version = self._posted(review, partial=partial)
        written = reviewing.write_review(
            review.assignment, actor=self.viewer, answers=answers, expected_version=version
        )
        return self._fresh(written.review)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=ReviewWriteSerializer,
        responses={200: ReviewSerializer},
        summary="Replace your answers (a draft, or a revision once submitted)",
    )
    def update(self, request, *args, **kwargs):
        return self._write(partial=False)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=ReviewWriteSerializer,
        responses={200: ReviewSerializer},
        summary="Change some answers (send the version you read; 409 if stale)",
    )
    def partial_update(self, request, *args, **kwargs):
        return self._write(partial=True)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=ReviewWriteSerializer,
        responses={200: ReviewSerializer},
        summary="Submit your review (every required question answered)",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        review = self._own()
        answers, version = self._posted(review, partial=True)
        written = reviewing.write_review(
            review.assignment,
            actor=self.viewer,
            answers=answers,
            expected_version=version,
            submit=True,
        )
        return self._fresh(written.review)
