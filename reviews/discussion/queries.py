"""What the paper reviewing page reads: visible comments, reviews with their revisions and
ratings, reviewer letters and sides, the submitted author response. Each function costs one
query however many rows."""

from string import ascii_uppercase

from django.db.models import Count, Prefetch, Q, QuerySet

from mlsys.conferences.enums import REVIEWING_ROLES, InvitationStatus, Role
from mlsys.conferences.models import CommitteeMembership
from mlsys.conferences.viewer import acting, user_of
from reviews.discussion.rules import readable_levels
from reviews.enums import ResponseState
from reviews.models import Assignment, AuthorResponse, Comment, PaperFollow, Review, ReviewRating


def comments_visible_to(user, submission) -> QuerySet[Comment]:
    """The comments of ``submission`` that ``user`` may read, oldest first (one query).

    Visibility levels come from the (request-cached) role predicates; own comments are added
    only while the user may still comment (reviews.discussion.rules.may_read_comment).
    """
    viewer, user = acting(user)
    levels = readable_levels(viewer, submission)
    own = viewer.has_perm("reviews.comment", submission)
    if not levels and not own:
        return Comment.objects.none()
    condition = Q(visibility__in=levels)
    if own:
        condition |= Q(author=user)
    return (
        # Through the paper's manager: each comment's .submission is ``submission`` (the
        # rules the template asks per comment read it without a query).
        submission.comments.filter(condition).select_related("author").order_by("created_at", "pk")
    )


def paper_reviews(submission) -> QuerySet[Review]:
    """Every review of ``submission`` with reviewer, form fields, ratings (and raters) and the
    number of revisions; filter by visibility in Python (three queries in total). Read
    through the paper's manager, so each review's ``.submission`` is ``submission`` itself."""
    return (
        submission.reviews.all()
        .select_related("reviewer", "form", "assignment")
        .annotate(revision_count=Count("revisions"))
        .prefetch_related(
            "form__fields",
            Prefetch("ratings", queryset=ReviewRating.objects.select_related("rater")),
        )
        .order_by("pk")
    )


def submitted_response(submission) -> AuthorResponse | None:
    """The paper's author response once submitted, else None: a draft belongs to its authors
    alone. No query when ``submission`` was loaded with ``select_related("response")``, one
    otherwise. Callers decide who may read it (the paper's non-conflicted chairs and
    reviewers)."""
    try:
        response = submission.response
    except AuthorResponse.DoesNotExist:
        return None
    return response if response.state == ResponseState.SUBMITTED else None


def reviewer_letters(submission) -> dict[int, str]:
    """``{user id: "A"}`` for the paper's released reviewers, in assignment order.

    Letters are stable: a later assignment gets the next letter, and declining keeps one's
    letter (the row stays).
    """
    ids = (
        Assignment.objects.filter(submission=submission, released=True)
        .order_by("pk")
        .values_list("reviewer_id", flat=True)
    )
    letters: dict[int, str] = {}
    for reviewer_id in ids:
        if reviewer_id not in letters:
            n = len(letters)
            letters[reviewer_id] = ascii_uppercase[n % 26] + ("" if n < 26 else str(n // 26))
    return letters


def sides_of(conference, user_ids) -> dict[int, str]:
    """The ML/Systems/Both side of each reviewing member among ``user_ids``."""
    return dict(
        CommitteeMembership.objects.filter(
            conference=conference,
            user_id__in=list(user_ids),
            role__in=REVIEWING_ROLES,
            status=InvitationStatus.ACCEPTED,
        )
        .exclude(side="")
        .order_by("role")
        .values_list("user_id", "side")
    )


def chair_ids(conference) -> frozenset[int]:
    return frozenset(
        CommitteeMembership.objects.filter(
            conference=conference, role=Role.PROGRAM_CHAIR, status=InvitationStatus.ACCEPTED
        ).values_list("user_id", flat=True)
    )


def is_following(user, submission) -> bool:
    return PaperFollow.objects.filter(submission=submission, user=user_of(user)).exists()
