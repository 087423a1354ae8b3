"""Reviewing API: review forms, reviews, a paper's reviews for the committee and for its
authors, comments, the author response and the meta-review.

Same rules as the pages (reviews/api/permissions.py names them) and the same services for
every write; errors map to responses in mlsys.core.api.exceptions (409 with the current state
for a stale ``version``). Papers a user is conflicted with never appear, chairs included.
"""

from reviews.api.viewsets.discussion import CommentViewSet, MetaReviewViewSet, ResponseViewSet
from reviews.api.viewsets.reviews import PaperReviewsViewSet, ReviewFormViewSet, ReviewViewSet

__all__ = [
    "CommentViewSet",
    "MetaReviewViewSet",
    "PaperReviewsViewSet",
    "ResponseViewSet",
    "ReviewFormViewSet",
    "ReviewViewSet",
]
