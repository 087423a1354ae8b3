"""Review forms, reviews (own; chairs: all) and a paper's reviews for the committee and
its authors."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mlsys.core.numbers import id_error, parse_id
from reviews.api import permissions as perms
from reviews.api import serializers as s
from reviews.api.viewsets.base import FIELD, PK, TAGS, ReviewingMixin, answer_rows
from reviews.discussion import page as paper_page
from reviews.enums import ReviewState
from reviews.models import Assignment, Review, ReviewField, ReviewForm
from reviews.response.queries import author_reviews
from reviews.review_forms import (
    ALL_LEVELS,
    AUTHOR_LEVELS,
    ensure_default_form,
    levels_for,
    visible_answers,
)
from reviews.review_forms import services as form_services
from reviews.review_forms.forms import ReviewFieldForm, format_scale
from reviews.review_forms.queries import forms_of
from reviews.review_forms.usage import is_used
from reviews.reviewing import services as reviewing
from reviews.reviewing.queries import live_assignment
from reviews.rules import conflicted_submission_ids, is_own
from submissions.api.viewsets import CONFERENCE, NUMBER

# --- Review forms --------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class ReviewFormViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """Read: chairs and reviewing members. Write: chairs, through reviews.review_forms.services."""

    serializer_class = s.ReviewFormSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = self.viewer
        if not (
            user.has_perm("reviews.manage_reviews", self.conference)
            or user.has_perm("reviews.edit_reviewer_profile", self.conference)
        ):
            raise Http404

    def get_queryset(self):
        if self.is_schema():
            return ReviewForm.objects.none()
        return forms_of(self.conference)

    def _require_chair(self) -> None:
        if not self.viewer.has_perm("reviews.manage_reviews", self.conference):
            raise PermissionDenied("Only the conference's chairs change review forms.")

    @extend_schema(parameters=[CONFERENCE], summary="Review forms (default first) and questions")
    def list(self, request, *args, **kwargs):
        ensure_default_form(self.conference)
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(parameters=[CONFERENCE, PK], summary="One review form with its questions")
    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    def _save_field(self, form: ReviewForm, field: ReviewField | None, partial: bool):
        incoming = s.ReviewFieldSerializer(data=self.request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        current = s.ReviewFieldSerializer(field).data if field else {}
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
            raise s.serializers.ValidationError(
                {names.get(k, k): v for k, v in page_form.errors.items()}
            )
        if field is None:
            return form_services.add_field(form, page_form.field_data(), actor=self.viewer)
        return form_services.update_field(field, page_form.field_data(), actor=self.viewer)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=s.ReviewFieldSerializer,
        responses={201: s.ReviewFieldSerializer},
        summary="Add a question at the end of the form (chairs)",
    )
    @action(detail=True, methods=["post"], url_path="fields")
    def add_field(self, request, *args, **kwargs):
        self._require_chair()
        field = self._save_field(self.get_object(), None, partial=False)
        return Response(s.ReviewFieldSerializer(field).data, status=status.HTTP_201_CREATED)

    def _field(self) -> ReviewField:
        return get_object_or_404(
            ReviewField.objects.select_related("form"),
            pk=self.kwargs["field"],
            form=self.get_object(),
        )

    @extend_schema(
        parameters=[CONFERENCE, PK, FIELD],
        request=s.ReviewFieldSerializer,
        responses={200: s.ReviewFieldSerializer, 204: None},
        summary="Change a question, or remove it (kept hidden if reviews answer it)",
    )
    @action(
        detail=True,
        methods=["put", "patch", "delete"],
        url_path=r"fields/(?P<field>\d+)",
        url_name="field",
    )
    def change_field(self, request, *args, **kwargs):
        self._require_chair()
        field = self._field()
        if request.method == "DELETE":
            form_services.remove_field(field, actor=self.viewer)
            return Response(status=status.HTTP_204_NO_CONTENT)
        field = self._save_field(field.form, field, partial=request.method == "PATCH")
        return Response(s.ReviewFieldSerializer(field).data)


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

    serializer_class = s.ReviewSerializer

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
            reviewer=self.viewer,
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
        incoming = s.ReviewWriteSerializer(data=self.request.data)
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
        return Response(s.ReviewSerializer([self._data(r) for r in reviews], many=True).data)

    @extend_schema(parameters=[CONFERENCE, PK], summary="One review")
    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object()))

    @extend_schema(
        parameters=[CONFERENCE],
        request=s.ReviewCreateSerializer,
        responses={201: s.ReviewSerializer},
        summary="Start the review of a paper assigned to you (a first draft)",
    )
    def create(self, request, *args, **kwargs):
        incoming = s.ReviewCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        submission = perms.paper(self.conference, data["submission"])
        perms.require(self.viewer, "reviews.write_review", submission)
        assignment = live_assignment(self.viewer, submission)
        if assignment is None:
            raise Http404
        review = reviewing.save_draft(
            assignment,
            actor=self.viewer,
            answers=data["answers"],
            expected_version=data["version"],
        )
        return self._fresh(review, status.HTTP_201_CREATED)

    def _write(self, *, partial: bool) -> Response:
        review = self._own()
        answers, version = self._posted(review, partial=partial)
        kwargs = {"actor": self.viewer, "answers": answers, "expected_version": version}
        if review.state == ReviewState.SUBMITTED:
            review, _revision = reviewing.revise_review(review.assignment, **kwargs)
        else:
            review = reviewing.save_draft(review.assignment, **kwargs)
        return self._fresh(review)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=s.ReviewWriteSerializer,
        responses={200: s.ReviewSerializer},
        summary="Replace your answers (a draft, or a revision once submitted)",
    )
    def update(self, request, *args, **kwargs):
        return self._write(partial=False)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=s.ReviewWriteSerializer,
        responses={200: s.ReviewSerializer},
        summary="Change some answers (send the version you read; 409 if stale)",
    )
    def partial_update(self, request, *args, **kwargs):
        return self._write(partial=True)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=s.ReviewWriteSerializer,
        responses={200: s.ReviewSerializer},
        summary="Submit your review (every required question answered)",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        review = self._own()
        answers, version = self._posted(review, partial=True)
        review = reviewing.submit_review(
            review.assignment, actor=self.viewer, answers=answers, expected_version=version
        )
        return self._fresh(review)


# --- A paper's reviews: the committee's view and the authors' view -------------------------------


@extend_schema(tags=TAGS)
class PaperReviewsViewSet(ReviewingMixin, viewsets.GenericViewSet):
    serializer_class = s.PaperReviewSerializer

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        responses={200: s.PaperReviewSerializer(many=True)},
        summary="The paper's reviews you may read (as on its reviewing page)",
    )
    def list(self, request, *args, **kwargs):
        paper = self.get_paper()
        if not perms.may_read_paper_reviews(self.viewer, paper):
            raise Http404
        built = paper_page.build(self.viewer, paper)
        rows = [
            {
                "id": card.review.pk,
                "label": card.label,
                "side": card.side,
                "is_own": card.is_own,
                "state": card.review.state,
                "submitted_at": card.review.submitted_at,
                "answers": answer_rows((fld, value) for fld, value, *_ in card.answers),
            }
            for card in built.cards
        ]
        return Response(s.PaperReviewSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        responses={200: s.AuthorReviewSerializer(many=True)},
        summary="The reviews as the paper's authors read them (response phase, after release)",
    )
    @action(detail=False, methods=["get"], url_path="author-reviews")
    def author(self, request, *args, **kwargs):
        paper = self.get_paper()
        perms.require(self.viewer, "reviews.act_as_paper_author", paper)
        perms.require(self.viewer, "reviews.view_reviews_as_author", paper)
        rows = author_reviews(paper, levels_for(self.viewer, paper) & AUTHOR_LEVELS)
        data = [
            {
                "review_id": r.review_id,
                "label": r.label,
                "answers": [
                    {"question": a.question, "is_text": a.is_text, "value": str(a.value)}
                    for a in r.answers
                ],
            }
            for r in rows
        ]
        return Response(s.AuthorReviewSerializer(data, many=True).data)
