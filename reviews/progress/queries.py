"""The chairs' reviewing progress: per reviewer, per paper and per side, in a fixed number of
queries. Papers the viewing chair is conflicted with are left out entirely (their reviewers,
counts and sides included), as are conflicted reviewer/paper pairs (never counted as late).

Past the review deadline, unfinished reviews are *late* (by the whole days since the deadline)
and reviews submitted after it are *submitted late* (reviews.lateness)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from mlsys.accounts.models import User
from mlsys.conferences.enums import REVIEWING_ROLES, InvitationStatus, Side
from mlsys.conferences.models import CommitteeMembership, Conference
from reviews.enums import ReviewState
from reviews.lateness import days_late, is_late, late_by
from reviews.meta.queries import active_reviewer_assignments, conflicted_pairs
from reviews.models import Review
from reviews.reminders.services import review_deadline, submitted_review_exists


@dataclass
class ReviewerRow:
    user: User
    side: str = ""
    assigned: int = 0
    submitted: int = 0
    last_reminded: datetime | None = None
    #: Unfinished reviews past the deadline, and reviews submitted after it.
    late: int = 0
    submitted_late: int = 0

    @property
    def unfinished(self) -> int:
        return self.assigned - self.submitted


@dataclass
class PaperRow:
    paper: object
    assigned: int = 0
    submitted: int = 0
    ml_submitted: int = 0
    systems_submitted: int = 0
    late: int = 0


@dataclass
class SideRow:
    side: str
    label: str
    reviewers: int = 0
    assigned: int = 0
    submitted: int = 0


@dataclass
class Progress:
    reviewers: list[ReviewerRow]
    papers: list[PaperRow]
    sides: list[SideRow]
    hidden_papers: int = 0
    deadline: datetime | None = None
    totals: dict = field(default_factory=dict)
    #: Whole days since the review deadline (0 before it or without one).
    late_days: int = 0
    #: "" when reviews are not due yet, else "less than a day" or "N day(s)" (whole days).
    late_by: str = ""

    @property
    def late_reviewers(self) -> list[ReviewerRow]:
        return [r for r in self.reviewers if r.unfinished]


def progress(
    conference: Conference, *, hidden_ids=frozenset(), now: datetime | None = None
) -> Progress:
    """Counts of released, not declined assignments on active papers and of submitted reviews.

    A reviewer on side Both counts towards both the ML and the Systems columns of a paper.
    """
    papers = list(
        conference.submissions.active()
        .exclude(pk__in=list(hidden_ids))
        .select_related("track")
        .order_by("number")
    )
    paper_rows = {p.pk: PaperRow(p) for p in papers}
    rows = list(
        active_reviewer_assignments()
        .filter(conference=conference, submission_id__in=list(paper_rows))
        .annotate(
            done=submitted_review_exists(),
            submitted_at=Subquery(
                Review.objects.filter(
                    assignment=OuterRef("pk"), state=ReviewState.SUBMITTED
                ).values("submitted_at")[:1]
            ),
        )
        .select_related("reviewer")
        .order_by("reviewer__name", "reviewer__email")
    )
    conflicted = conflicted_pairs(paper_rows)
    rows = [a for a in rows if (a.submission_id, a.reviewer_id) not in conflicted]
    sides = dict(
        CommitteeMembership.objects.filter(
            conference=conference,
            user_id__in={a.reviewer_id for a in rows},
            role__in=REVIEWING_ROLES,
            status=InvitationStatus.ACCEPTED,
        ).values_list("user_id", "side")
    )
    reviewers: dict[int, ReviewerRow] = {}
    side_rows = {s: SideRow(s, label) for s, label in Side.choices}
    side_people = defaultdict(set)
    deadline = review_deadline(conference)
    now = now or timezone.now()
    late_days = days_late(deadline, now)
    overdue = is_late(deadline, now)
    for a in rows:
        side = sides.get(a.reviewer_id, "")
        reviewer = reviewers.setdefault(a.reviewer_id, ReviewerRow(a.reviewer, side))
        reviewer.assigned += 1
        reviewer.submitted += a.done
        unfinished_late = overdue and not a.done
        reviewer.late += unfinished_late
        reviewer.submitted_late += bool(a.done and is_late(deadline, a.submitted_at))
        if a.last_reminded_at and (
            reviewer.last_reminded is None or a.last_reminded_at > reviewer.last_reminded
        ):
            reviewer.last_reminded = a.last_reminded_at
        paper = paper_rows[a.submission_id]
        paper.assigned += 1
        paper.submitted += a.done
        paper.late += unfinished_late
        paper.ml_submitted += a.done and side in (Side.ML, Side.BOTH)
        paper.systems_submitted += a.done and side in (Side.SYSTEMS, Side.BOTH)
        if side in side_rows:
            side_rows[side].assigned += 1
            side_rows[side].submitted += a.done
            side_people[side].add(a.reviewer_id)
    for side, people in side_people.items():
        side_rows[side].reviewers = len(people)
    return Progress(
        reviewers=sorted(
            reviewers.values(),
            key=lambda r: (-r.unfinished, (r.user.name or r.user.email).lower()),
        ),
        papers=list(paper_rows.values()),
        sides=list(side_rows.values()),
        hidden_papers=len(hidden_ids),
        deadline=deadline,
        totals={
            "assigned": len(rows),
            "submitted": sum(a.done for a in rows),
            "late": sum(r.late for r in reviewers.values()),
        },
        late_days=late_days,
        late_by=late_by(deadline, now),
    )
