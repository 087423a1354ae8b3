"""Who may see and do what in the camera-ready phase.

The paper's authors work on an accepted paper's camera-ready while the camera-ready phase is
open (read-only after it); unconflicted chairs see every camera-ready and may still act (upload,
confirm the authors) after the deadline; only an author accepts the licence. A shepherd (a PC
member a chair assigned, not conflicted with the paper) sees the paper's camera-ready and
approves it or requests changes. A conflicted chair is a conflicted PC member here: no
camera-ready page, no shepherd, no checklist for that paper.
"""

import rules

from mlsys.conferences.enums import Phase
from mlsys.conferences.rules import conference_of, is_chair, is_pc_member
from mlsys.conferences.viewer import as_viewer
from reviews.rules import is_conflicted, is_paper_author, is_paper_chair
from submissions.enums import FileKind, Status


def _submission(obj):
    return getattr(obj, "submission", obj)


def load_shepherded(user, conference) -> frozenset[int]:
    """Ids of the conference's papers ``user`` shepherds."""
    # Imported here: decisions.models is loaded after the rules (app registry order).
    from decisions.models import CameraReady

    return frozenset(
        CameraReady.objects.filter(shepherd=user, submission__conference=conference).values_list(
            "submission_id", flat=True
        )
    )


@rules.predicate
def is_accepted(user, obj=None) -> bool:
    """The paper is accepted (its decision is released: the status changes only then)."""
    return obj is not None and _submission(obj).status == Status.ACCEPTED


@rules.predicate
def is_camera_ready_open(user, obj=None) -> bool:
    if obj is None:
        return False
    viewer = as_viewer(user)
    conference = conference_of(_submission(obj), viewer)
    # Judged at the request's arrival (viewer.now, mlsys.core.arrival).
    return conference.timeline(viewer.now).is_open(Phase.CAMERA_READY)


@rules.predicate
def is_shepherd_of(user, obj=None) -> bool:
    if obj is None:
        return False
    submission = _submission(obj)
    viewer = as_viewer(user)
    return submission.pk in viewer.fact(load_shepherded, conference_of(submission, viewer))


@rules.predicate
def is_paper_pc_member(user, obj=None) -> bool:
    """A PC member of the paper's conference (obj: the paper, or a row with a ``submission``)."""
    return obj is not None and is_pc_member(user, _submission(obj))


@rules.predicate
def is_camera_ready_file(user, file=None) -> bool:
    return getattr(file, "kind", None) == FileKind.CAMERA_READY


#: Both take the paper or a row pointing at it (a file): unconflicted chair, shepherd.
is_unconflicted_chair = is_paper_chair
is_paper_shepherd = is_shepherd_of & is_paper_pc_member & ~is_conflicted

#: The chairs' camera-ready overview, export and settings (object: the conference).
rules.add_perm("decisions.manage_camera_ready", is_chair)
#: One accepted paper's camera-ready page (object: the submission).
rules.add_perm(
    "decisions.view_camera_ready",
    is_accepted & (is_paper_author | is_unconflicted_chair | is_paper_shepherd),
)
#: Upload the final PDF and set the final author list: the authors while the phase is open,
#: unconflicted chairs at any time.
rules.add_perm(
    "decisions.edit_camera_ready",
    is_accepted & ((is_paper_author & is_camera_ready_open) | is_unconflicted_chair),
)
#: Accept the licence: only an author, while the phase is open.
rules.add_perm("decisions.accept_licence", is_accepted & is_paper_author & is_camera_ready_open)
#: Assign or remove the paper's shepherd.
rules.add_perm("decisions.assign_shepherd", is_accepted & is_unconflicted_chair)
#: Approve the camera-ready or request changes.
rules.add_perm("decisions.shepherd_camera_ready", is_accepted & is_paper_shepherd)
#: Download a camera-ready version (object: the SubmissionFile of kind camera_ready).
rules.add_perm(
    "decisions.download_camera_ready",
    is_camera_ready_file
    & is_accepted
    & (is_paper_author | is_unconflicted_chair | is_paper_shepherd),
)
