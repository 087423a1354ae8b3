"""Who may see and change submissions and their files.

Authors see their own; chairs see all. PC members see nothing here until the bidding issue adds
its own predicates. Anything a user may not see answers 404.
"""

import rules

from mlsys.conferences.rules import is_chair


@rules.predicate
def is_author(user, obj=None) -> bool:
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    submission = getattr(obj, "submission", obj)
    cache = user.__dict__.setdefault("_authored_submissions", {})
    if submission.pk not in cache:
        cache[submission.pk] = submission.authors.filter(user=user).exists()
    return cache[submission.pk]


@rules.predicate
def is_chair_of_file(user, file=None) -> bool:
    # A file has no ``conference`` of its own; the chair check needs its submission's.
    return is_chair(user, getattr(file, "submission", file))


@rules.predicate
def is_reviewer_of_reviewer_paper(user, file=None) -> bool:
    """A reviewer of the paper (reviews.rules.is_reviewer_of), for the version reviewers get
    (``Submission.reviewer_paper``: never one that failed anonymity unless a chair released
    it)."""
    if file is None or getattr(file, "submission", None) is None:
        return False
    from reviews.rules import is_reviewer_of  # reviews imports submissions: import late

    submission = file.submission
    return file.pk == submission.reviewer_paper_id and is_reviewer_of(user, submission)


@rules.predicate
def is_conflicted_with(user, obj=None) -> bool:
    """Conflicted with the submission (reviews.rules.is_conflicted: conflict rows, authorship,
    a "conflict" bid)."""
    if obj is None:
        return False
    from reviews.rules import is_conflicted  # reviews imports submissions: import late

    return is_conflicted(user, getattr(obj, "submission", obj))


can_view_submission = is_author | is_chair
can_edit_submission = is_author
can_download_file = is_author | is_chair_of_file

rules.add_perm("submissions.withdraw_submission", is_author)
rules.add_perm("submissions.manage_submissions", is_chair)
# The reviewers' copy (kind "review-copy", served under a neutral name): never the author's
# original file name, which may reveal them. Authors may fetch it to see what reviewers get.
rules.add_perm(
    "submissions.download_review_copy",
    is_reviewer_of_reviewer_paper | is_chair_of_file | is_author,
)
#: A chair not conflicted with the paper: the only chair who may act on it (change its
#: status, decide on its conflicts, tag it, release a version to its reviewers). A conflicted
#: chair still sees the paper in the chairs' lists; another chair handles it.
is_unconflicted_chair = is_chair & ~is_conflicted_with
# Object: the Submission.
rules.add_perm("submissions.act_on_submission", is_unconflicted_chair)
# Serving a version that failed the anonymity check to reviewers. Object: the Submission.
rules.add_perm("submissions.release_for_reviewers", is_unconflicted_chair)
