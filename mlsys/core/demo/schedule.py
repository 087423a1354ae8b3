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
#: The phases the demo can be seeded in, in the order the year runs through them.
PHASES = [SUBMISSION, BIDDING, REVIEWING, RESPONSE]
DEFAULT_PHASE = RESPONSE

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
    enums.DeadlineKind.CAMERA_READY: 100,
    enums.DeadlineKind.AE_DECISION: 115,
}
#: Days the whole schedule moves earlier for each phase: bidding opened two days ago (the
#: submission deadline passed), reviewing started three days ago (bidding closed), or the
#: author response opened yesterday (reviews were due a week ago).
SHIFT = {SUBMISSION: 0, BIDDING: 12, REVIEWING: 20, RESPONSE: 59}


def end_of_day_aoe(now: datetime, days: int) -> datetime:
    """23:59 Anywhere-on-Earth, ``days`` days after ``now``, as an aware datetime."""
    local = (now + timedelta(days=days)).astimezone(zoneinfo.ZoneInfo(AOE))
    return local.replace(hour=23, minute=59, second=0, microsecond=0)


def deadlines(phase: str, now: datetime) -> dict[str, datetime]:
    """Deadline kind -> when, so that at ``now`` the conference's current phase is ``phase``."""
    shift = SHIFT[phase]
    return {kind: end_of_day_aoe(now, days - shift) for kind, days in SCHEDULE.items()}
