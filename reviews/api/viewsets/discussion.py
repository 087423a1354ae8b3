"""Comments, the author response and the meta-review."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reviews.api import permissions as perms
from reviews.api import serializers as s
from reviews.api.viewsets.base import PK, TAGS, ReviewingMixin
from reviews.discussion import mentions
from reviews.discussion import queries as discussion_queries
from reviews.discussion import services as discussion
from reviews.discussion.naming import Naming
from reviews.enums import ReviewState
from reviews.meta import services as meta_services
from reviews.models import AuthorResponse, MetaReview, Review
from reviews.response import services as response_services
from reviews.response.queries import response_of
from submissions.api.viewsets import CONFERENCE, NUMBER

# --- Comments ------------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class CommentViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """The paper's discussion: what reviews.discussion.rules lets the viewer read; writes
    through reviews.discussion.services (mentions and follower emails included)."""

    serializer_class = s.CommentSerializer

    def get_paper(self):
        paper = super().get_paper()
        if not perms.may_read_comments(self.viewer, paper):
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
        return Response(s.CommentSerializer(rows, many=True).data)

    @extend_schema(parameters=[CONFERENCE, NUMBER, PK], summary="One comment")
    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object(), self._naming()))

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=s.CommentSerializer,
        responses={201: s.CommentSerializer},
        summary="Comment (chairs and the paper's reviewers; audiences as on the page)",
    )
    def create(self, request, *args, **kwargs):
        incoming = s.CommentSerializer(data=request.data)
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
        request=s.CommentEditSerializer,
        responses={200: s.CommentSerializer},
        summary="Edit your comment (newly mentioned members are told)",
    )
    def partial_update(self, request, *args, **kwargs):
        comment = self.get_object()
        incoming = s.CommentEditSerializer(data=request.data)
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


# --- Author response -----------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class ResponseViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """Authors read and write their response (reviews.response.services); the paper's
    non-conflicted chairs and reviewers read it once submitted."""

    serializer_class = s.ResponseSerializer

    def get_queryset(self):
        # One response per paper, addressed by the paper's number; DRF's generic machinery
        # (OPTIONS metadata) asks for a queryset and an object like on any other viewset.
        if self.is_schema():
            return AuthorResponse.objects.none()
        return AuthorResponse.objects.filter(submission=self.get_paper())

    def get_object(self):
        _paper, response = self._readable()
        if response is None:
            raise Http404
        return response

    def _readable(self):
        paper = self.get_paper()
        response = response_of(paper)
        if self.viewer.has_perm("reviews.act_as_paper_author", paper):
            return paper, response
        submitted = response is not None and response.state == ReviewState.SUBMITTED
        if submitted and perms.may_read_submitted_response(self.viewer, paper):
            return paper, response
        raise Http404

    def _data(self, response) -> dict:
        return response_services.current_state(response) | {
            "submitted_at": response.submitted_at if response else None
        }

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        summary="The response (authors: also drafts, version 0 before the first save)",
    )
    def retrieve(self, request, *args, **kwargs):
        _paper, response = self._readable()
        return Response(s.ResponseSerializer(self._data(response)).data)

    def _write(self, write):
        paper, _response = self._readable()
        if not self.viewer.has_perm("reviews.act_as_paper_author", paper):
            raise PermissionDenied("Only the paper's authors write its response.")
        incoming = s.ResponseSerializer(data=self.request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        response = write(
            paper,
            actor=self.viewer,
            text=data.get("text", ""),
            per_review=data["per_review"],
            version=data["version"],
        )
        return Response(s.ResponseSerializer(self._data(response)).data)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=s.ResponseSerializer,
        summary="Save a draft (during the response phase; 409 if stale)",
    )
    def update(self, request, *args, **kwargs):
        return self._write(response_services.save_draft)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=s.ResponseSerializer,
        summary="Submit (or re-submit) the response; the reviewers are emailed",
    )
    @action(detail=False, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self._write(response_services.submit)


# --- Meta-review ---------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class MetaReviewViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """Lead and chairs read and write (reviews.meta.services); the paper's reviewers read it
    once submitted; authors read its summary after decisions are released."""

    serializer_class = s.MetaReviewSerializer

    def get_queryset(self):
        # See ResponseViewSet.get_queryset: the paper's one meta-review.
        if self.is_schema():
            return MetaReview.objects.none()
        return MetaReview.objects.filter(submission=self.get_paper())

    def get_object(self):
        meta, _access = self._meta()
        return meta

    def _meta(self) -> tuple[MetaReview, str]:
        paper = self.get_paper()
        meta = MetaReview.objects.filter(submission=paper).select_related("lead").first()
        access = perms.meta_review_access(self.viewer, paper, meta)
        if not access:
            raise Http404
        meta.submission = paper
        return meta, access

    def _data(self, meta: MetaReview) -> dict:
        naming = Naming.for_viewer(self.viewer, meta.submission)
        return {
            "lead": naming.name(meta.lead),
            "summary": meta.summary,
            "recommendation": meta.recommendation,
            "confidence": meta.confidence,
            "state": meta.state,
            "submitted_at": meta.submitted_at,
            "editable": meta_services.can_edit(self.viewer, meta),
        }

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        responses={200: s.MetaReviewSerializer},
        summary="The meta-review (authors get only {summary}, after the release)",
    )
    def retrieve(self, request, *args, **kwargs):
        meta, access = self._meta()
        if access == "summary":
            return Response(s.MetaSummarySerializer({"summary": meta.summary}).data)
        return Response(s.MetaReviewSerializer(self._data(meta)).data)

    def _write(self, *, submit: bool, partial: bool) -> Response:
        meta, access = self._meta()
        if access != "full":
            raise PermissionDenied("You cannot write this meta-review.")
        incoming = s.MetaReviewSerializer(data=self.request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        meta = meta_services.write_meta_review(
            meta,
            actor=self.viewer,
            summary=data.get("summary", meta.summary),
            recommendation=data.get("recommendation", meta.recommendation),
            confidence=data.get("confidence", meta.confidence),
            submit=submit or meta.state == ReviewState.SUBMITTED,
        )
        meta.submission = self.get_paper()
        return Response(s.MetaReviewSerializer(self._data(meta)).data)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=s.MetaReviewSerializer,
        responses={200: s.MetaReviewSerializer},
        summary="Save the meta-review (a draft; an update once submitted)",
    )
    def update(self, request, *args, **kwargs):
        return self._write(submit=False, partial=False)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=s.MetaReviewSerializer,
        responses={200: s.MetaReviewSerializer},
        summary="Change parts of the meta-review",
    )
    def partial_update(self, request, *args, **kwargs):
        return self._write(submit=False, partial=True)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=s.MetaReviewSerializer,
        responses={200: s.MetaReviewSerializer},
        summary="Submit the meta-review (summary, recommendation and confidence required)",
    )
    @action(detail=False, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self._write(submit=True, partial=True)
