"""Who may read, write and rate in a paper's discussion (see docs/discussion.md).

Audiences nest by role, never by a conflicted person: a conflict (authorship included) removes
every level, chairs included.

============  ===============================================================================
visibility    readers
============  ===============================================================================
chairs        non-conflicted chairs
reviewers     + the paper's reviewers
pc            + every non-conflicted PC member / area chair (not external reviewers of others)
authors       chairs + the paper's reviewers + the paper's authors (once reviews are open to
              them); non-assigned PC members do not read these
============  ===============================================================================

The author of a comment always reads it while they may read the discussion at all.
"""

import rules

from mlsys.conferences.rules import is_pc_member
from mlsys.conferences.viewer import as_viewer
from reviews.enums import CommentVisibility as V
from reviews.rules import (
    _submission,
    can_comment,
    can_view_discussion,
    is_conflicted,
    is_own,
    is_paper_author,
    is_paper_chair,
    is_response_phase,
    is_reviewer_of,
    other_reviews_unlocked,
    reviews_open_to_authors,
)

ALL_LEVELS = frozenset(V.values)
#: The order of the visibility select on the comment form (the default first).
POST_ORDER = [V.REVIEWERS, V.PC, V.CHAIRS, V.AUTHORS]


def readable_levels(user, submission) -> frozenset[str]:
    """The comment visibilities ``user`` may read on ``submission`` (empty: nothing)."""
    user = as_viewer(user)
    if is_paper_chair(user, submission):
        return ALL_LEVELS
    if is_reviewer_of(user, submission):
        return frozenset({V.REVIEWERS, V.PC, V.AUTHORS})
    if is_conflicted(user, submission):
        # Authors are conflicted with their own paper; they read only the authors level, and
        # only once reviews are open to them (on the response page, never on this one).
        if is_paper_author(user, submission) and reviews_open_to_authors(user, submission):
            return frozenset({V.AUTHORS})
        return frozenset()
    if is_pc_member(user, submission):
        return frozenset({V.PC})
    return frozenset()


def postable_levels(user, submission) -> list[str]:
    """The visibilities ``user`` may choose for a new comment, in form order (empty: none).

    Only chairs and reviewers of the paper comment; "authors too" only while the response
    phase is open.
    """
    user = as_viewer(user)
    if not can_comment(user, submission):
        return []
    levels: list[str] = [V.REVIEWERS, V.PC, V.CHAIRS]
    if is_response_phase(user, submission):
        levels.append(V.AUTHORS)
    return levels


def may_read_comment(user, comment) -> bool:
    """Reading one comment, as used for notifications and every comment endpoint."""
    user = as_viewer(user)
    submission = comment.submission
    levels = readable_levels(user, submission)
    if comment.visibility in levels:
        return True
    # Own comments stay readable while the author may still take part in the discussion.
    return comment.author_id == getattr(user, "pk", None) and can_comment(user, submission)


@rules.predicate
def can_read_comment(user, comment=None) -> bool:
    return comment is not None and may_read_comment(user, comment)


@rules.predicate
def can_rate(user, review=None) -> bool:
    """A reviewer of the paper rates another reviewer's submitted review they may read."""
    if review is None or not getattr(user, "is_authenticated", False):
        return False
    submission = _submission(review)
    user = as_viewer(user)
    return (
        review.reviewer_id != user.pk
        and review.state == "submitted"
        and is_reviewer_of(user, submission)
        and other_reviews_unlocked(user, submission)
    )


can_edit_comment = is_own & can_comment
can_delete_comment = (is_own & can_comment) | is_paper_chair

rules.add_perm("reviews.read_comment", can_read_comment)
rules.add_perm("reviews.edit_comment", can_edit_comment)
rules.add_perm("reviews.delete_comment", can_delete_comment)
rules.add_perm("reviews.rate_review", can_rate)
rules.add_perm("reviews.follow_paper", can_view_discussion)
#: Chairs see every rating of a paper's reviews; a reviewer sees only the ratings they gave.
rules.add_perm("reviews.view_ratings", is_paper_chair)
