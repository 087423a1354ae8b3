"""The demo conference's deadlines, placed around "now" so that it is in a chosen phase.

One schedule (days from the submission phase's "now" to each deadline) shifted earlier as a
whole: the later the phase, the more of the year lies in the past. Each deadline is at 23:59
Anywhere on Earth.
"""

import zoneinfo
from datetime import datetime, timedelta

from mlsys.conferences import enums
from mlsys.conferences.models import AOE

SUBMISSION, BIDDING, REVIEWING, RESPONSE = "submission", "bidding", "reviewing", "response"
DECISIONS, ARTIFACTS = "decisions", "artifacts"
#: The phases the demo can be seeded in, in the order the year runs through them.
PHASES = [SUBMISSION, BIDDING, REVIEWING, RESPONSE, DECISIONS, ARTIFACTS]
DEFAULT_PHASE = ARTIFACTS

#: Days from now to each deadline while the submission phase is open.
SCHEDULE = {
    enums.DeadlineKind.REGISTRATION: 3,
    enums.DeadlineKind.SUBMISSION: 10,
    enums.DeadlineKind.BIDDING: 17,
    enums.DeadlineKind.REVIEW: 52,
    enums.DeadlineKind.RESPONSE_OPEN: 58,
    enums.DeadlineKind.RESPONSE_CLOSE: 62,
    enums.DeadlineKind.DECISION: 75,
    enums.DeadlineKind.AE_REGISTRATION: 80,
    enums.DeadlineKind.AE_SUBMISSION: 87,
    enums.DeadlineKind.AE_BIDDING: 90,
    enums.DeadlineKind.AE_KICK_START: 91,
    enums.DeadlineKind.AE_KICK_END: 98,
    enums.DeadlineKind.AE_EVALUATION: 108,
    enums.DeadlineKind.CAMERA_READY: 100,
    enums.DeadlineKind.AE_DECISION: 115,
}
#: Days the whole schedule moves earlier for each phase: bidding opened two days ago (the
#: submission deadline passed), reviewing started three days ago (bidding closed), or the
#: author response opened yesterday (reviews were due a week ago), or the committee is deciding
#: (the response closed a week ago; decisions are due in five days), or the decisions are out
#: (the decision deadline passed four days ago), camera-readies come in and the artifact
#: evaluation runs (artifact registration closes tomorrow, artifact submission in eight days).
SHIFT = {SUBMISSION: 0, BIDDING: 12, REVIEWING: 20, RESPONSE: 59, DECISIONS: 70, ARTIFACTS: 79}


def end_of_day_aoe(now: datetime, days: int) -> datetime:
    """23:59 Anywhere-on-Earth, ``days`` days after ``now``, as an aware datetime."""
    local = (now + timedelta(days=days)).astimezone(zoneinfo.ZoneInfo(AOE))
    return local.replace(hour=23, minute=59, second=0, microsecond=0)


def deadlines(phase: str, now: datetime) -> dict[str, datetime]:
    """Deadline kind -> when, so that at ``now`` the conference's current phase is ``phase``."""
    shift = SHIFT[phase]
    return {kind: end_of_day_aoe(now, days - shift) for kind, days in SCHEDULE.items()}


class Year:
    """When each part of the demo year happened, for a demo left in ``phase`` at ``now``.

    The deadlines are those of ``deadlines(phase, now)``, fixed from the start; each step of the
    year happens inside the window its deadlines give it, and before ``now``:

    - the conference opens 45 days before the registration deadline, the committee is invited
      a day later and accepts over the next few days;
    - papers are registered before the registration deadline, their PDFs uploaded afterwards,
      and they are submitted after their upload and before the submission deadline;
    - PC members fill in their profiles while papers come in; affinities are computed and bids
      placed once the submission deadline passed and before bidding closes;
    - the assignment is released the day bidding closes; reviews are written from then until
      the review deadline, a few late ones after it (before the author response opens);
    - authors respond once the response phase is open;
    - once it closed, leads are assigned, meta-reviews written and clear cases decided;
    - (artifacts phase) the AE chair configures the artifact evaluation and invites the AE
      committee a few days after the response closed; the chairs decide the remaining papers
      the day before the decision deadline and release the decisions just after it; authors
      then upload camera-readies and register and submit artifacts, and the AE committee
      evaluates them as they come in (a rolling evaluation), all before ``now``.

    ``fraction(a, b, f)`` places a moment a fraction ``f`` of the way from ``a`` to ``b``.
    """

    def __init__(self, phase: str, now: datetime):
        self.phase, self.now = phase, now
        self.deadlines = deadlines(phase, now)
        d, K = self.deadlines, enums.DeadlineKind
        self.opened = d[K.REGISTRATION] - timedelta(days=45)
        self.invited = self.opened + timedelta(days=1)
        #: Papers are registered, uploaded and submitted inside these windows.
        self.registration = (
            self.opened + timedelta(days=3),
            min(now, d[K.REGISTRATION]) - timedelta(minutes=30),
        )
        self.submission_end = min(now, d[K.SUBMISSION]) - timedelta(minutes=10)
        #: Conflicts are computed once the papers are in.
        self.conflicts = self.submission_end + timedelta(minutes=5)
        self.profiles = (self.invited + timedelta(days=5), self.submission_end)
        self.affinities = d[K.SUBMISSION] + timedelta(hours=2)
        self.bidding = (
            d[K.SUBMISSION] + timedelta(hours=3),
            min(now, d[K.BIDDING]) - timedelta(hours=1),
        )
        self.assignment = d[K.BIDDING] + timedelta(hours=6)
        self.released = self.assignment + timedelta(hours=2)
        #: Reviews on time (in progress ones too, in the reviewing phase).
        self.reviewing = (
            self.released + timedelta(hours=2),
            min(now, d[K.REVIEW]) - timedelta(minutes=10),
        )
        #: Late reviews: after the review deadline, before the author response opens.
        self.late = (d[K.REVIEW] + timedelta(hours=1), d[K.RESPONSE_OPEN] - timedelta(hours=1))
        self.response = (d[K.RESPONSE_OPEN], min(now, d[K.RESPONSE_CLOSE]))
        #: Leads, meta-reviews and the first decisions: after the response closed (and, once
        #: the decision deadline has passed, the day before it).
        self.discussion = (
            d[K.RESPONSE_CLOSE] + timedelta(hours=1),
            min(now, d[K.DECISION] - timedelta(days=1)),
        )
        #: The AE chair configures the evaluation and invites the AE committee, who accept
        #: and fill in their hardware profiles over the next days.
        self.ae_setup = d[K.RESPONSE_CLOSE] + timedelta(days=2)
        self.ae_profiles = (self.ae_setup + timedelta(hours=3), self.ae_setup + timedelta(days=4))
        #: The chairs decide the remaining papers and release every decision.
        self.decided = d[K.DECISION] - timedelta(hours=6)
        self.released_decisions = d[K.DECISION] + timedelta(hours=2)
        #: Camera-readies and the whole (rolling) artifact evaluation: after the release.
        self.artifacts = (self.released_decisions + timedelta(hours=1), now - timedelta(minutes=20))

    @staticmethod
    def fraction(start: datetime, end: datetime, f: float) -> datetime:
        return start + (end - start) * f
