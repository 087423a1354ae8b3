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


can_view_submission = is_author | is_chair
can_edit_submission = is_author
can_download_file = is_author | is_chair_of_file

rules.add_perm("submissions.withdraw_submission", is_author)
rules.add_perm("submissions.manage_submissions", is_chair)
# Three permissions on submissions need reviewing state (assignments, conflict bids) and so are
# declared in reviews.rules: "submissions.download_review_copy",
# "submissions.release_for_reviewers" and "submissions.act_on_submission" (a chair not
# conflicted with the paper: the only chair who may change its status, decide on its
# conflicts or tag it).
