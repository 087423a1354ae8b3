"""Who may decide, release and read decisions.

Deciding is the unconflicted chairs' (``submissions.act_on_submission``): a chair with a conflict on
a paper cannot set or change its decision; another chair must. Authors read a paper's decision
only once it is released (the submission's status is then accepted or rejected: it changes only at
release).
"""

import rules

from mlsys.conferences.rules import is_chair
from reviews.rules import is_conflicted, is_paper_author
from submissions.enums import Status


def _submission(obj):
    return getattr(obj, "submission", obj)


@rules.predicate
def is_released(user, obj=None) -> bool:
    """The paper's decision is released (the submission is accepted or rejected)."""
    return obj is not None and _submission(obj).status in (Status.ACCEPTED, Status.REJECTED)


is_unconflicted_chair = is_chair & ~is_conflicted

#: The dashboard, outcomes, release and letters of a conference (object: the conference).
rules.add_perm("decisions.manage_decisions", is_chair)
#: Set or change one paper's pending decision (object: the submission or its decision).
rules.add_perm("decisions.decide", is_unconflicted_chair)
#: See one paper's decision (pending or released) as a chair (object: the submission).
rules.add_perm("decisions.view_decision", is_unconflicted_chair | (is_paper_author & is_released))


@rules.predicate
def is_requester(user, obj=None) -> bool:
    """The chair who asked for this letter archive (object: a LetterArchive)."""
    return obj is not None and getattr(obj, "requested_by_id", None) == getattr(user, "pk", None)


#: A paper's decision letter PDF (object: the DecisionLetter or the submission): its authors once
#: released, and the chairs not conflicted with it.
rules.add_perm("decisions.download_letter", is_unconflicted_chair | (is_paper_author & is_released))
#: A ZIP of letters (object: the LetterArchive): only the chair who built it, since it leaves out
#: the papers that chair is conflicted with.
rules.add_perm("decisions.download_letter_archive", is_chair & is_requester)
