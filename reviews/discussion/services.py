"""Every write of the paper discussion: comments, mentions, follows, review ratings.

Notifications are rows in the mail outbox written in the same transaction as the comment,
and go only to people who may read that comment at that moment (never to a conflicted
person, never to the comment's author). See docs/discussion.md.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.viewer import acting, user_of
from mlsys.core import audit
from mlsys.mail.services import queue_email
from reviews.discussion import mentions, queries
from reviews.discussion.naming import Naming
from reviews.discussion.rules import may_read_comment, postable_levels
from reviews.enums import CommentVisibility
from reviews.models import Comment, PaperFollow, Review, ReviewRating

MAX_BODY = 20_000
AUDIENCE: dict[str, str] = {
    CommentVisibility.CHAIRS: "program chairs only",
    CommentVisibility.REVIEWERS: "the paper's reviewers and the chairs",
    CommentVisibility.PC: "PC members without a conflict",
    CommentVisibility.AUTHORS: "the paper's reviewers, the chairs and the authors",
}


def clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something first."})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": f"At most {MAX_BODY:,} characters (this has {len(body):,})."}
        )
    return body


@transaction.atomic
def post_comment(
    *, author, submission, body: str, visibility: str
) -> tuple[Comment, mentions.Resolution]:
    """Add a comment, record its mentions and notify mentioned members and followers.

    Raises PermissionDenied unless ``author`` may comment on the paper, ValidationError
    (field ``body`` or ``visibility``) for an empty/too long body or a visibility the author
    may not use now. Only mentioned members who may read the comment are recorded and told.
    """
    viewer, author = acting(author)
    allowed = postable_levels(viewer, submission)
    if not allowed:
        raise PermissionDenied("You cannot comment on this paper.")
    body = clean_body(body)
    if visibility not in allowed:
        raise ValidationError({"visibility": "Choose one of the audiences offered."})
    comment = Comment.objects.create(
        submission=submission, author=author, body=body, visibility=visibility
    )
    resolution = mentions.resolve(body, submission.conference)
    readers = _readers(comment, resolution.users)
    comment.mentions.set(readers)
    audit.record(
        "reviews.comment_posted",
        actor=author,
        target=comment,
        conference=submission.conference,
        changes={"visibility": [None, visibility]},
    )
    _notify(comment, mentioned=readers, followers=True)
    return comment, resolution


@transaction.atomic
def edit_comment(*, user, comment: Comment, body: str) -> tuple[Comment, mentions.Resolution]:
    """Replace the body of one's own comment and stamp ``edited_at``.

    Members newly mentioned by the edit (and allowed to read it) are recorded and told;
    followers are not told again.
    """
    viewer, user = acting(user)
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("submission")
        .get(pk=comment.pk)
    )
    if not viewer.has_perm("reviews.edit_comment", comment):
        raise PermissionDenied("You cannot edit this comment.")
    body = clean_body(body)
    before = audit.snapshot(comment, ["body"])
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at", "updated_at"])
    resolution = mentions.resolve(body, comment.submission.conference)
    already = set(comment.mentions.values_list("pk", flat=True))
    new_readers = [u for u in _readers(comment, resolution.users) if u.pk not in already]
    comment.mentions.add(*new_readers)
    audit.record(
        "reviews.comment_edited",
        actor=user,
        target=comment,
        conference=comment.submission.conference,
        changes={"body": [len(before["body"]), len(body)]},
        note="Body length before and after.",
    )
    _notify(comment, mentioned=new_readers, followers=False)
    return comment, resolution


@transaction.atomic
def delete_comment(*, user, comment: Comment) -> None:
    """Delete one's own comment, or any comment as a (non-conflicted) chair of the paper."""
    viewer, user = acting(user)
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("submission")
        .get(pk=comment.pk)
    )
    if not viewer.has_perm("reviews.delete_comment", comment):
        raise PermissionDenied("You cannot delete this comment.")
    audit.record(
        "reviews.comment_deleted",
        actor=user,
        target=comment,
        conference=comment.submission.conference,
        note=f"Visibility {comment.visibility}, by user {comment.author_id}.",
    )
    comment.delete()


def follow(*, user, submission) -> PaperFollow:
    """Follow a paper's discussion (idempotent). Raises PermissionDenied without access."""
    viewer, user = acting(user)
    if not viewer.has_perm("reviews.follow_paper", submission):
        raise PermissionDenied("You cannot follow this paper.")
    follow_row, _ = PaperFollow.objects.get_or_create(submission=submission, user=user)
    return follow_row


def unfollow(*, user, submission) -> None:
    user = user_of(user)
    PaperFollow.objects.filter(submission=submission, user=user).delete()


@transaction.atomic
def rate_review(*, rater, review: Review, helpfulness: int) -> ReviewRating:
    """Set ``rater``'s helpfulness rating of ``review`` (one per rater; a new one replaces it).

    Raises PermissionDenied unless the rater reviews the paper, may read the review and it is
    not their own; ValidationError for a value off the scale.
    """
    if helpfulness not in ReviewRating.Helpfulness.values:
        raise ValidationError({"helpfulness": "Choose one of the ratings."})
    viewer, rater = acting(rater)
    if not viewer.has_perm("reviews.rate_review", review):
        raise PermissionDenied("You cannot rate this review.")
    rating = (
        ReviewRating.objects.select_for_update(of=("self",))
        .select_related("review__reviewer", "rater")
        .filter(review=review, rater=rater)
        .first()
    )
    old = rating.helpfulness if rating else None
    if rating is None:
        rating = ReviewRating.objects.create(review=review, rater=rater, helpfulness=helpfulness)
    elif old != helpfulness:
        rating.helpfulness = helpfulness
        rating.save(update_fields=["helpfulness", "updated_at"])
    if old != helpfulness:
        audit.record(
            "reviews.review_rated",
            actor=rater,
            target=rating,
            conference=review.submission.conference,
            changes={"helpfulness": [old, helpfulness]},
        )
    return rating


def _readers(comment: Comment, users) -> list:
    return [u for u in users if u.pk != comment.author_id and may_read_comment(u, comment)]


def _notify(comment: Comment, *, mentioned: list, followers: bool) -> None:
    """One email per recipient (recipients never see each other); a mention wins over a
    follow, so nobody gets two emails for one comment."""
    submission = comment.submission
    recipients = [(u, "reviews.comment_mention") for u in mentioned]
    if followers:
        told = {u.pk for u in mentioned} | {comment.author_id}
        follower_users = [
            f.user
            for f in PaperFollow.objects.filter(submission=submission)
            .exclude(user_id__in=told)
            .select_related("user")
        ]
        recipients += [(u, "reviews.comment_posted") for u in _readers(comment, follower_users)]
    if not recipients:
        return
    letters = queries.reviewer_letters(submission)
    chairs = queries.chair_ids(submission.conference)
    members = mentions.directory(submission.conference)
    path = reverse(
        "reviews:paper",
        kwargs={"conference": submission.conference.slug, "number": submission.number},
    )
    for user, key in recipients:
        naming = Naming.for_viewer(user, submission, letters=letters, chairs=chairs)
        queue_email(
            to=[user.email],
            key=key,
            conference=submission.conference,
            context={
                "name": user.name,
                "number": submission.number,
                "title": submission.title,
                "commenter": naming.name(comment.author),
                "audience": AUDIENCE[comment.visibility],
                "body": naming.comment_body(comment, members),
                "url": f"{settings.SITE_URL}{path}#comment-{comment.pk}",
            },
        )
