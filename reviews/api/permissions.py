"""Who reaches which reviewing endpoint: the same rules (reviews/rules.py,
reviews/discussion/rules.py) the pages name, resolved to a submission or a 404.

An object the user may not see answers 404 wherever it lives; only an action on a visible
object that the user may not take answers 403 (the services raise PermissionDenied).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from reviews.models import MetaReview
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


def meta_review_access(viewer, meta: MetaReview | None) -> str:
    """How much of the meta-review ``viewer`` reads: "full" (``reviews.read_meta_review``),
    "summary" (``reviews.read_meta_review_summary``: authors after the release of decisions)
    or "" (404)."""
    if meta is None:
        return ""
    if viewer.has_perm("reviews.read_meta_review", meta):
        return "full"
    if viewer.has_perm("reviews.read_meta_review_summary", meta):
        return "summary"
    return ""
