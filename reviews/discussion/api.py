"""Discussion API: a paper's reviews as the committee and as its authors read them, the
paper's comments and the reviews' helpfulness ratings (the same rules and services as
reviews:paper)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reviews.api import permissions as perms
from reviews.api.base import PK, TAGS, AnswerSerializer, ReviewingMixin, answer_rows
from reviews.discussion import mentions
from reviews.discussion import page as paper_page
from reviews.discussion import queries as discussion_queries
from reviews.discussion import services as discussion
from reviews.discussion.naming import Naming
from reviews.enums import CommentVisibility
from reviews.models import Review, ReviewRating
from reviews.response.queries import author_reviews
from reviews.review_forms import (
    AUTHOR_LEVELS,
    levels_for,
)
from submissions.api.viewsets import CONFERENCE, NUMBER


class PaperReviewSerializer(serializers.Serializer):
    """A review on a paper's committee view (as reviews:paper shows it)."""

    id = serializers.IntegerField()
    label = serializers.CharField(help_text="“Your review”, a name or “Reviewer A”.")
    side = serializers.CharField(help_text="ML, SYSTEMS, BOTH or empty.")
    is_own = serializers.BooleanField()
    state = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    answers = AnswerSerializer(many=True)


class AuthorAnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    is_text = serializers.BooleanField()
    value = serializers.CharField(help_text="Markdown for text; the display form otherwise.")


class AuthorReviewSerializer(serializers.Serializer):
    """A submitted review as the paper's authors read it: no identity, author fields only."""

    review_id = serializers.IntegerField(help_text="Key of a per-review response section.")
    label = serializers.CharField()
    answers = AuthorAnswerSerializer(many=True)


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


# --- A paper's reviews: the committee's view and the authors' view -------------------------------


@extend_schema(tags=TAGS)
class PaperReviewsViewSet(ReviewingMixin, viewsets.GenericViewSet):
    serializer_class = PaperReviewSerializer

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        responses={200: PaperReviewSerializer(many=True)},
        summary="The paper's reviews you may read (as on its reviewing page)",
    )
    def list(self, request, *args, **kwargs):
        paper = self.get_paper()
        if not self.viewer.has_perm("reviews.read_paper_reviews", paper):
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
        return Response(PaperReviewSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        responses={200: AuthorReviewSerializer(many=True)},
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
        return Response(AuthorReviewSerializer(data, many=True).data)


# --- Comments ------------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class CommentViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """The paper's discussion: what reviews.discussion.rules lets the viewer read; writes
    through reviews.discussion.services (mentions and follower emails included)."""

    serializer_class = CommentSerializer

    def get_paper(self):
        paper = super().get_paper()
        if not self.viewer.has_perm("reviews.read_comments", paper):
            raise Http404
        return paper

    def get_queryset(self):
        if self.is_schema():
            return Review.objects.none()
        return discussion_queries.comments_visible_to(self.viewer, self.get_paper())

    def _naming(self) -> Naming:
        paper = self.get_paper()
        committee = self.viewer.has_perm("reviews.view_discussion", paper)
        return Naming.for_viewer(self.viewer, paper, hide_names=not committee)

    def _members(self):
        """The committee directory for rewriting @mentions (one query, once per request)."""
        if not hasattr(self, "_directory"):
            self._directory = mentions.directory(self.get_paper().conference)
        return self._directory

    def _data(self, comment, naming: Naming) -> dict:
        body = comment.body if naming.show_names else naming.comment_body(comment, self._members())
        return {
            "id": comment.pk,
            "author": naming.name(comment.author),
            "is_own": comment.author_id == self.viewer.pk,
            "body": body,
            "visibility": comment.visibility,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
        }

    @extend_schema(parameters=[CONFERENCE, NUMBER], summary="Comments you may read, oldest first")
    def list(self, request, *args, **kwargs):
        naming = self._naming()
        rows = [self._data(c, naming) for c in self.get_queryset()]
        return Response(CommentSerializer(rows, many=True).data)

    @extend_schema(parameters=[CONFERENCE, NUMBER, PK], summary="One comment")
    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object(), self._naming()))

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=CommentSerializer,
        responses={201: CommentSerializer},
        summary="Comment (chairs and the paper's reviewers; audiences as on the page)",
    )
    def create(self, request, *args, **kwargs):
        incoming = CommentSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        comment, _resolution = discussion.post_comment(
            author=self.viewer,
            submission=self.get_paper(),
            body=incoming.validated_data["body"],
            visibility=incoming.validated_data["visibility"],
        )
        data = self._data(
            self.get_queryset().select_related("author").get(pk=comment.pk), self._naming()
        )
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER, PK],
        request=CommentEditSerializer,
        responses={200: CommentSerializer},
        summary="Edit your comment (newly mentioned members are told)",
    )
    def partial_update(self, request, *args, **kwargs):
        comment = self.get_object()
        incoming = CommentEditSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        comment, _resolution = discussion.edit_comment(
            user=self.viewer, comment=comment, body=incoming.validated_data["body"]
        )
        return Response(self._data(comment, self._naming()))

    @extend_schema(
        parameters=[CONFERENCE, NUMBER, PK],
        responses={204: None},
        summary="Delete your comment (chairs: any)",
    )
    def destroy(self, request, *args, **kwargs):
        discussion.delete_comment(user=self.viewer, comment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Ratings -------------------------------------------------------------------------------------


class RatingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    review = serializers.IntegerField(read_only=True, source="review_id")
    reviewer = serializers.CharField(read_only=True, help_text="Whose review: a name or alias.")
    rater = serializers.CharField(read_only=True, help_text="“You”, a name or an alias.")
    helpfulness = serializers.ChoiceField(choices=ReviewRating.Helpfulness.choices)
    helpfulness_label = serializers.CharField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class RateSerializer(serializers.Serializer):
    helpfulness = serializers.ChoiceField(
        choices=ReviewRating.Helpfulness.choices,
        help_text="0 not helpful, 1 helpful, 2 excellent.",
    )


@extend_schema(tags=TAGS)
class RatingViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """Helpfulness ratings of a paper's reviews. The paper's (non-conflicted) chairs read every
    rating, a reviewer of the paper the ones they gave; anyone else gets 404. Reviewers rate
    the other reviewers' submitted reviews they may read (reviews.discussion.services)."""

    serializer_class = RatingSerializer

    def _row(self, rating, naming: Naming) -> dict:
        return {
            "id": rating.pk,
            "review_id": rating.review_id,
            "reviewer": naming.name(rating.review.reviewer),
            "rater": naming.name(rating.rater),
            "helpfulness": rating.helpfulness,
            "helpfulness_label": rating.get_helpfulness_display(),
            "updated_at": rating.updated_at,
        }

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        responses={200: RatingSerializer(many=True)},
        summary="Ratings of the paper's reviews: all of them (chairs), or the ones you gave",
    )
    def list(self, request, *args, **kwargs):
        paper = self.get_paper()
        rows = ReviewRating.objects.filter(review__submission=paper).select_related(
            "review__reviewer", "rater"
        )
        if not self.viewer.has_perm("reviews.view_ratings", paper):
            if not self.viewer.has_perm("reviews.write_review", paper):
                raise Http404
            rows = rows.filter(rater=self.viewer.user)
        naming = Naming.for_viewer(self.viewer, paper)
        data = [self._row(r, naming) for r in rows.order_by("review_id", "pk")]
        return Response(RatingSerializer(data, many=True).data)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER, PK],
        request=RateSerializer,
        responses={200: RatingSerializer},
        summary="Rate another reviewer's submitted review (replaces your earlier rating)",
    )
    def update(self, request, *args, **kwargs):
        paper = self.get_paper()
        review = get_object_or_404(
            Review.objects.select_related("reviewer"), pk=kwargs["pk"], submission=paper
        )
        own = review.reviewer_id == self.viewer.pk
        if not own and not self.viewer.has_perm("reviews.view_paper_reviews", paper):
            raise Http404
        incoming = RateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        rating = discussion.rate_review(
            rater=self.viewer, review=review, helpfulness=incoming.validated_data["helpfulness"]
        )
        return Response(
            RatingSerializer(self._row(rating, Naming.for_viewer(self.viewer, paper))).data
        )
