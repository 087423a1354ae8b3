from django.db import models


class OutcomeKind(models.TextChoices):
    """What an outcome does to the paper when it is released."""

    ACCEPT = "accept", "Accept"
    REJECT = "reject", "Reject"


class DecisionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RELEASED = "released", "Released"


#: The decision's state machine: {status: statuses it may move to}. Every change of
#: ``Decision.status`` goes through decisions.services (mlsys.core.transitions.transition): a
#: pending decision may be changed (PENDING → PENDING) or released; a released one is final
#: (a chair who must change it after release does so by hand with the authors, outside).
DECISION_TRANSITIONS: dict[str, frozenset[str]] = {
    DecisionStatus.PENDING: frozenset({DecisionStatus.PENDING, DecisionStatus.RELEASED}),
    DecisionStatus.RELEASED: frozenset(),
}

#: The outcomes every new conference starts with (chairs rename, add or retire them).
DEFAULT_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("Accept (oral)", OutcomeKind.ACCEPT),
    ("Accept (poster)", OutcomeKind.ACCEPT),
    ("Reject", OutcomeKind.REJECT),
)


class ShepherdStatus(models.TextChoices):
    """Where a camera-ready stands with its shepherd (``CameraReady.status``)."""

    NONE = "none", "No shepherd"
    PENDING = "pending", "Awaiting the shepherd"
    APPROVED = "approved", "Approved by the shepherd"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


#: The camera-ready's shepherd state machine: {status: statuses it may move to}. Every change of
#: ``CameraReady.status`` goes through decisions.camera_ready.services
#: (mlsys.core.transitions.transition): assigning a shepherd makes it pending, the shepherd
#: approves or requests changes, a new upload (or a new shepherd) makes it pending again, and
#: removing the shepherd ends the review (NONE).
SHEPHERD_TRANSITIONS: dict[str, frozenset[str]] = {
    ShepherdStatus.NONE: frozenset({ShepherdStatus.PENDING}),
    ShepherdStatus.PENDING: frozenset(
        {
            ShepherdStatus.PENDING,
            ShepherdStatus.APPROVED,
            ShepherdStatus.CHANGES_REQUESTED,
            ShepherdStatus.NONE,
        }
    ),
    # A verdict may be given again (a corrected comment) until a new upload makes it pending.
    ShepherdStatus.APPROVED: frozenset(
        {
            ShepherdStatus.PENDING,
            ShepherdStatus.APPROVED,
            ShepherdStatus.CHANGES_REQUESTED,
            ShepherdStatus.NONE,
        }
    ),
    ShepherdStatus.CHANGES_REQUESTED: frozenset(
        {
            ShepherdStatus.PENDING,
            ShepherdStatus.APPROVED,
            ShepherdStatus.CHANGES_REQUESTED,
            ShepherdStatus.NONE,
        }
    ),
}

#: Days before the camera-ready deadline at which authors of incomplete camera-readies are
#: reminded (once per threshold).
CAMERA_READY_REMINDER_DAYS: tuple[int, ...] = (7, 2)


class ProceedingsKind(models.TextChoices):
    """What a proceedings build produces (decisions.proceedings)."""

    BOOKLET = "booklet", "Program booklet (PDF)"
    ZIP = "zip", "Final PDFs (ZIP)"


class BuildStatus(models.TextChoices):
    """A file built in Celery: a proceedings booklet or ZIP, or the ZIP of decision letters."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


#: The state machine of every build (``ProceedingsBuild.status`` through
#: decisions.proceedings.services, ``LetterArchive.status`` through decisions.letters.services;
#: both with mlsys.core.transitions.transition). RUNNING → RUNNING is a build restarted by the
#: task queue; QUEUED/RUNNING → FAILED is also a build abandoned as stale by the next start, after
#: which the worker's late result is dropped.
BUILD_TRANSITIONS: dict[str, frozenset[str]] = {
    BuildStatus.QUEUED: frozenset({BuildStatus.RUNNING, BuildStatus.FAILED}),
    BuildStatus.RUNNING: frozenset({BuildStatus.RUNNING, BuildStatus.READY, BuildStatus.FAILED}),
    BuildStatus.READY: frozenset(),
    BuildStatus.FAILED: frozenset(),
}


class ReleaseRunStatus(models.TextChoices):
    """A release of decisions running in Celery (thousands of papers take a minute)."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Releasing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


#: The release run's state machine (decisions.release.services through
#: mlsys.core.transitions.transition); ``running → running`` is a run the task queue retried
#: (releasing again releases only what is still pending).
RELEASE_RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    ReleaseRunStatus.QUEUED: frozenset({ReleaseRunStatus.RUNNING, ReleaseRunStatus.FAILED}),
    ReleaseRunStatus.RUNNING: frozenset(
        {ReleaseRunStatus.RUNNING, ReleaseRunStatus.DONE, ReleaseRunStatus.FAILED}
    ),
    ReleaseRunStatus.DONE: frozenset(),
    ReleaseRunStatus.FAILED: frozenset(),
}
