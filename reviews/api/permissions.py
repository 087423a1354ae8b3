"""Who reaches which reviewing endpoint: the same rules (reviews/rules.py,
reviews/discussion/rules.py) the pages name, resolved to a submission or a 404.

An object the user may not see answers 404 wherever it lives; only an action on a visible
object that the user may not take answers 403 (the services raise PermissionDenied).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from reviews.enums import ReviewState
from reviews.models import MetaReview
from reviews.rules import (
    is_paper_author,
    is_reviewer_of,
    reviews_open_to_authors,
)
from submissions.enums import Status
from submissions.models import Submission


def paper(conference, number: int) -> Submission:
    """The conference's submitted (not draft) paper ``number``; 404 if there is none."""
    # Through the conference's manager: the paper's .conference is the view's instance, with
    # the prefetched schedule the rules read.
    return get_object_or_404(
        conference.submissions.exclude(status=Status.DRAFT).select_related("track"),
        number=number,
    )


def require(user, perm: str, obj) -> None:
    """404 unless ``user`` has ``perm`` on ``obj``."""
    if not user.has_perm(perm, obj):
        raise Http404


def may_read_paper_reviews(user, submission) -> bool:
    """The committee's list of a paper's reviews (as on reviews:paper): non-conflicted chairs
    and the paper's reviewers (their own review always; the others per
    ``reviews.view_paper_reviews``)."""
    return user.has_perm("reviews.view_paper_reviews", submission) or user.has_perm(
        "reviews.write_review", submission
    )


def may_read_comments(user, submission) -> bool:
    """The discussion (``reviews.view_discussion``), or the paper's authors once reviews are
    open to them (they read only "authors too" comments, without names)."""
    return user.has_perm("reviews.view_discussion", submission) or (
        is_paper_author(user, submission) and reviews_open_to_authors(user, submission)
    )


def may_read_submitted_response(user, submission) -> bool:
    """The submitted author response: the paper's non-conflicted chairs and reviewers."""
    return user.has_perm("reviews.read_submitted_response", submission)


def meta_review_access(user, submission, meta: MetaReview | None) -> str:
    """How much of the meta-review ``user`` reads: "full", "summary" (authors after the
    release of decisions) or "" (404).

    Full: non-conflicted chairs and the (non-conflicted) lead always; the paper's reviewers
    once it is submitted. Authors: the summary of a submitted meta-review after release.
    """
    if meta is None:
        return ""
    if user.has_perm("reviews.open_meta_review", submission):
        return "full"
    submitted = meta.state == ReviewState.SUBMITTED
    if submitted and is_reviewer_of(user, submission):
        return "full"
    if (
        submitted
        and is_paper_author(user, submission)
        and submission.conference.decisions_released_at
    ):
        return "summary"
    return ""
