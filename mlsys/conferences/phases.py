"""The current phase, derived from deadlines (data) and the chair's per-phase switches (data).

Each phase is open between two deadlines; a chair can force any phase open or closed, which wins
over the clock. Several phases may be open at once (author response runs inside discussion);
the *current* phase is the first open one in the year's order.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from mlsys.conferences.enums import DeadlineKind as K
from mlsys.conferences.enums import Phase, PhaseMode

#: phase -> (deadline that opens it or None for "from the start", deadline that closes it)
WINDOWS: dict[str, tuple[str | None, str]] = {
    Phase.SUBMISSION: (None, K.SUBMISSION),
    Phase.BIDDING: (K.SUBMISSION, K.BIDDING),
    Phase.REVIEWING: (K.BIDDING, K.REVIEW),
    Phase.RESPONSE: (K.RESPONSE_OPEN, K.RESPONSE_CLOSE),
    Phase.DISCUSSION: (K.REVIEW, K.DECISION),
    Phase.CAMERA_READY: (K.DECISION, K.CAMERA_READY),
    Phase.ARTIFACT_EVALUATION: (K.DECISION, K.AE_DECISION),
}
ORDER = [p for p in Phase if p in WINDOWS]
#: The phase each deadline belongs to: a chair's switch on that phase makes the date moot.
DEADLINE_PHASE: dict[str, str] = {
    K.REGISTRATION: Phase.SUBMISSION,
    K.SUBMISSION: Phase.SUBMISSION,
    K.BIDDING: Phase.BIDDING,
    K.REVIEW: Phase.REVIEWING,
    K.RESPONSE_OPEN: Phase.RESPONSE,
    K.RESPONSE_CLOSE: Phase.RESPONSE,
    K.DECISION: Phase.DISCUSSION,
    K.CAMERA_READY: Phase.CAMERA_READY,
    K.AE_REGISTRATION: Phase.ARTIFACT_EVALUATION,
    K.AE_SUBMISSION: Phase.ARTIFACT_EVALUATION,
    K.AE_BIDDING: Phase.ARTIFACT_EVALUATION,
    K.AE_KICK_START: Phase.ARTIFACT_EVALUATION,
    K.AE_KICK_END: Phase.ARTIFACT_EVALUATION,
    K.AE_EVALUATION: Phase.ARTIFACT_EVALUATION,
    K.AE_DECISION: Phase.ARTIFACT_EVALUATION,
}


@dataclass
class Timeline:
    conference: object
    now: datetime

    def _at(self, kind: str | None) -> datetime | None:
        if kind is None:
            return None
        deadline = self.conference.deadline_map().get(kind)
        return deadline.at if deadline else None

    def window(self, phase: str) -> tuple[datetime | None, datetime | None]:
        start_kind, end_kind = WINDOWS[phase]
        end = self._at(end_kind)
        if phase == Phase.SUBMISSION and end is not None:
            end += timedelta(minutes=self.conference.submission_grace_minutes)
        return self._at(start_kind), end

    def mode(self, phase: str) -> str:
        return self.conference.phase_modes().get(phase, PhaseMode.AUTO)

    def is_open(self, phase: str) -> bool:
        mode = self.mode(phase)
        if mode != PhaseMode.AUTO:
            return mode == PhaseMode.OPEN
        start, end = self.window(phase)
        if end is None:
            return False
        return (start is None or start <= self.now) and self.now < end

    @property
    def open_phases(self) -> list[str]:
        return [p for p in ORDER if self.is_open(p)]

    @property
    def current(self) -> str:
        """The phase to show as "now": a phase a chair switched open wins (the latest such in
        the year's order, e.g. response opened early during reviewing); otherwise the first
        phase open by the clock."""
        forced = [p for p in ORDER if self.mode(p) == PhaseMode.OPEN]
        if forced:
            return forced[-1]
        open_now = self.open_phases
        if open_now:
            return open_now[0]
        dates = [d.at for d in self.conference.deadline_map().values()]
        if not dates or self.now < min(dates):
            return Phase.SETUP
        if self.now >= max(dates):
            return Phase.CLOSED
        return Phase.SETUP if self.next_deadline is None else self._between()

    @property
    def current_label(self) -> str:
        """The current phase in words ("Camera-ready", "Author response")."""
        return Phase(self.current).label

    def _between(self) -> str:
        # Between two windows: report the phase the next deadline closes, still "upcoming".
        upcoming = self.next_deadline
        for phase in ORDER:
            if WINDOWS[phase][1] == upcoming.kind:
                return phase
        return Phase.CLOSED

    @property
    def next_deadline(self):
        """The nearest future deadline whose phase still follows the clock (a date in a phase
        the chair switched open or closed no longer means anything to anyone), leaving out the
        decision date once the chairs released every decision (early)."""
        released = self.conference.decisions_released_at is not None
        future = [
            d
            for d in self.conference.deadline_map().values()
            if d.at > self.now
            and self.mode(DEADLINE_PHASE.get(d.kind, "")) == PhaseMode.AUTO
            and not (released and d.kind == K.DECISION)
        ]
        return min(future, key=lambda d: d.at) if future else None

    def can_register_submission(self) -> bool:
        """New submissions: until the registration deadline (or submission, if late is allowed)."""
        if not self.is_open(Phase.SUBMISSION):
            return False
        if self.mode(Phase.SUBMISSION) == PhaseMode.OPEN:
            return True
        registration = self._at(K.REGISTRATION)
        if registration is None or self.conference.allow_late_registration:
            return True
        return self.now < registration

    def can_update_submission(self) -> bool:
        return self.is_open(Phase.SUBMISSION)

    def submission_closed_words(self) -> str:
        """Why authors can no longer change their papers, as the start of a sentence."""
        if self.submission_closed_early():
            return "The chairs have closed submissions"
        return "The submission deadline has passed"

    def submission_closed_early(self) -> bool:
        """The chairs switched submission closed before its deadline (and grace) passed: authors
        are told that, not that the deadline has passed."""
        if self.mode(Phase.SUBMISSION) != PhaseMode.CLOSED:
            return False
        end = self.window(Phase.SUBMISSION)[1]
        return end is None or self.now < end
