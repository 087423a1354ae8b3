"""Who may see and change submissions and their files.

Authors see their own; chairs see all. PC members see nothing here until the bidding issue adds
its own predicates. Anything a user may not see answers 404.
"""

import rules

from mlsys.conferences.rules import conference_of, is_chair
from mlsys.conferences.viewer import as_viewer


def load_authored(user, conference) -> frozenset[int]:
    """Ids of the conference's submissions ``user`` is an author of (linked Author rows)."""
    # Imported here: submissions.models imports this module (Meta.rules_permissions).
    from submissions.models import Author

    return frozenset(
        Author.objects.filter(user=user, submission__conference=conference).values_list(
            "submission_id", flat=True
        )
    )


@rules.predicate
def is_author(user, obj=None) -> bool:
    if obj is None:
        return False
    submission = getattr(obj, "submission", obj)
    viewer = as_viewer(user)
    return submission.pk in viewer.fact(load_authored, conference_of(submission, viewer))


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
