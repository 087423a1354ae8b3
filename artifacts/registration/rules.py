"""Who may register, edit, submit, withdraw and return an artifact, and download its appendix
(docs/artifacts.md, "Authors: registering and submitting an artifact").

- Registering needs the paper accepted, the conference running AE and the viewer one of its
  authors, before the registration deadline (``AE_REGISTRATION``; none set: open).
- The authors edit while ``artifacts.edit_artifact`` holds (registered, returned, kick-the-tires,
  waiting for the authors). Registered and returned artifacts close at the submission deadline
  (``AE_SUBMISSION``); during kick-the-tires the authors may still fix what the evaluators found.
- The requested badges change only before submission (registered, returned), while open.
- Submitting: the authors, registered or returned, before the submission deadline.
- Withdrawing: the authors or an unconflicted AE chair, before the badges are decided.
- Returning to the authors: an unconflicted AE chair, while submitted.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from artifacts import enums
from artifacts.enums import ArtifactStatus as S
from artifacts.rules import is_artifact_author, is_unconflicted_manager
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.rules import conference_of
from mlsys.conferences.viewer import as_viewer
from submissions.enums import FileKind, Status
from submissions.rules import is_author


def load_ae_running(user, conference) -> frozenset[int]:
    """{conference.pk} when the conference runs AE (settings exist and are enabled)."""
    from artifacts.models import AESettings

    running = AESettings.objects.filter(conference=conference, enabled=True).exists()
    return frozenset({conference.pk}) if running else frozenset()


def ae_running(conference) -> bool:
    from artifacts.models import AESettings

    return AESettings.objects.filter(conference=conference, enabled=True).exists()


def deadline_passed(conference, kind: str, now=None) -> bool:
    deadline = conference.deadline_map().get(kind)
    return deadline is not None and deadline.at <= (now or timezone.now())


def _conference(user, obj):
    submission = getattr(obj, "submission", obj)
    return conference_of(submission, as_viewer(user))


@rules.predicate
def is_ae_running(user, obj=None) -> bool:
    if obj is None:
        return False
    conference = _conference(user, obj)
    viewer = as_viewer(user)
    if viewer.is_authenticated:
        return conference.pk in viewer.fact(load_ae_running, conference)
    return ae_running(conference)


@rules.predicate
def is_paper_accepted(user, obj=None) -> bool:
    return obj is not None and getattr(obj, "submission", obj).status == Status.ACCEPTED


@rules.predicate
def is_registration_open(user, obj=None) -> bool:
    return obj is not None and not deadline_passed(
        _conference(user, obj), DeadlineKind.AE_REGISTRATION, as_viewer(user).now
    )


@rules.predicate
def is_submission_open(user, obj=None) -> bool:
    return obj is not None and not deadline_passed(
        _conference(user, obj), DeadlineKind.AE_SUBMISSION, as_viewer(user).now
    )


def _status_in(statuses, name):
    @rules.predicate(name=name)
    def predicate(user, obj=None) -> bool:
        return obj is not None and getattr(obj, "status", None) in statuses

    return predicate


is_before_submission = _status_in({S.REGISTERED, S.RETURNED}, "is_before_submission")
is_with_evaluators_for_fixes = _status_in(
    {S.KICK_THE_TIRES, S.AWAITING_AUTHOR}, "is_with_evaluators_for_fixes"
)
is_withdrawable = _status_in(
    {src for (src, dst) in enums.ARTIFACT_MOVERS if dst == S.WITHDRAWN}, "is_withdrawable"
)
is_submitted = _status_in({S.SUBMITTED}, "is_submitted")
is_not_withdrawn = ~_status_in({S.WITHDRAWN}, "is_withdrawn")


@rules.predicate
def is_appendix_file(user, file=None) -> bool:
    return getattr(file, "kind", None) == FileKind.ARTIFACT_APPENDIX


@rules.predicate
def may_view_files_artifact(user, file=None) -> bool:
    """The viewer holds artifacts.view_artifact on the artifact of the file's paper."""
    from artifacts.models import Artifact

    if file is None:
        return False
    artifact = Artifact.objects.filter(submission_id=file.submission_id).first()
    return artifact is not None and as_viewer(user).has_perm("artifacts.view_artifact", artifact)


#: Register an artifact for the paper (object: the submission).
rules.add_perm(
    "artifacts.register_artifact",
    is_author & is_paper_accepted & is_ae_running & is_registration_open,
)
#: Change the registration (object: the artifact).
rules.add_perm(
    "artifacts.edit_registration",
    is_artifact_author
    & (is_with_evaluators_for_fixes | (is_before_submission & is_submission_open)),
)
#: Change which badges are requested (object: the artifact).
rules.add_perm(
    "artifacts.change_badges", is_artifact_author & is_before_submission & is_submission_open
)
rules.add_perm(
    "artifacts.submit_artifact", is_artifact_author & is_before_submission & is_submission_open
)
rules.add_perm(
    "artifacts.withdraw_artifact",
    (is_artifact_author | is_unconflicted_manager) & is_withdrawable,
)
rules.add_perm("artifacts.return_artifact", is_unconflicted_manager & is_submitted)
#: Run the smoke checks again (object: the artifact).
rules.add_perm(
    "artifacts.run_smoke_check", (is_artifact_author | is_unconflicted_manager) & is_not_withdrawn
)
#: Download an artifact appendix PDF (object: the SubmissionFile).
rules.add_perm("artifacts.download_appendix", is_appendix_file & may_view_files_artifact)
