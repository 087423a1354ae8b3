"""The chairs' reviewing progress: per reviewer, per paper and per side, in a fixed number of
queries. Papers the viewing chair is conflicted with are left out entirely (their reviewers,
counts and sides included), as are conflicted reviewer/paper pairs (never counted as late).

Past the review deadline, unfinished reviews are *late* (by the whole days since the deadline)
and reviews submitted after it are *submitted late* (reviews.lateness).

Everything is counted from plain values (no model instance per assignment), so the whole
conference is summed in well under a second at 10,000 papers; the page then shows 100 rows of
each table (``filter_reviewers`` / ``filter_papers``) and the CSV export all of them."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Value, When
from django.utils import timezone

from mlsys.accounts.models import User
from mlsys.conferences.enums import REVIEWING_ROLES, InvitationStatus, Side
from mlsys.conferences.models import CommitteeMembership, Conference
from reviews.enums import ReviewState
from reviews.lateness import days_late, is_late, late_by
from reviews.meta.queries import active_reviewer_assignments, conflicted_pairs_at
from reviews.models import Review
from reviews.reminders.services import review_deadline

SIDE_LABELS = dict(Side.choices)


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

    @property
    def side_label(self) -> str:
        return SIDE_LABELS.get(self.side, "")


@dataclass
class PaperRow:
    pk: int
    number: int
    title: str
    track: str
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
    Six queries whatever the size of the conference.
    """
    papers = conference.submissions.active().exclude(pk__in=list(hidden_ids))
    paper_rows = {
        pk: PaperRow(pk, number, title, track)
        for pk, number, title, track in papers.order_by("number").values_list(
            "pk", "number", "title", "track__name"
        )
    }
    rows = list(
        active_reviewer_assignments()
        .filter(conference=conference, submission__in=papers)
        .order_by()  # the model's ordering joins the paper and the conference: not needed
        .values_list("pk", "submission_id", "reviewer_id", "last_reminded_at")
    )
    deadline = review_deadline(conference)
    # assignment id -> submitted after the deadline (compared in SQL: no datetime per row).
    submitted = dict(
        Review.objects.filter(submission__conference=conference, state=ReviewState.SUBMITTED)
        .annotate(
            after=Case(When(submitted_at__gt=deadline, then=Value(True)), default=Value(False))
            if deadline
            else Value(False)
        )
        .order_by()
        .values_list("assignment_id", "after")
    )
    conflicted = conflicted_pairs_at(conference)
    rows = [r for r in rows if (r[1], r[2]) not in conflicted]
    in_conference = active_reviewer_assignments().filter(conference=conference)
    users = (
        User.objects.filter(pk__in=in_conference.values("reviewer_id"))
        .only("pk", "name", "email")
        .order_by()
        .in_bulk()
    )
    sides = dict(
        CommitteeMembership.objects.filter(
            conference=conference, role__in=REVIEWING_ROLES, status=InvitationStatus.ACCEPTED
        ).values_list("user_id", "side")
    )
    reviewers: dict[int, ReviewerRow] = {}
    side_rows = {s: SideRow(s, label) for s, label in Side.choices}
    side_people = defaultdict(set)
    now = now or timezone.now()
    overdue = is_late(deadline, now)
    done_count = 0
    for pk, submission_id, reviewer_id, last_reminded_at in rows:
        done = pk in submitted
        done_count += done
        side = sides.get(reviewer_id, "")
        reviewer = reviewers.get(reviewer_id)
        if reviewer is None:
            reviewer = reviewers[reviewer_id] = ReviewerRow(users[reviewer_id], side)
        reviewer.assigned += 1
        reviewer.submitted += done
        unfinished_late = overdue and not done
        reviewer.late += unfinished_late
        reviewer.submitted_late += bool(done and submitted[pk])
        if last_reminded_at and (
            reviewer.last_reminded is None or last_reminded_at > reviewer.last_reminded
        ):
            reviewer.last_reminded = last_reminded_at
        paper = paper_rows[submission_id]
        paper.assigned += 1
        paper.submitted += done
        paper.late += unfinished_late
        paper.ml_submitted += done and side in (Side.ML, Side.BOTH)
        paper.systems_submitted += done and side in (Side.SYSTEMS, Side.BOTH)
        if side in side_rows:
            side_rows[side].assigned += 1
            side_rows[side].submitted += done
            side_people[side].add(reviewer_id)
    for side, people in side_people.items():
        side_rows[side].reviewers = len(people)
    return Progress(
        reviewers=sorted(reviewers.values(), key=_by_unfinished),
        papers=list(paper_rows.values()),
        sides=list(side_rows.values()),
        hidden_papers=len(hidden_ids),
        deadline=deadline,
        totals={
            "assigned": len(rows),
            "submitted": done_count,
            "late": sum(r.late for r in reviewers.values()),
        },
        late_days=days_late(deadline, now),
        late_by=late_by(deadline, now),
    )


def _name(row: ReviewerRow) -> str:
    return (row.user.name or row.user.email).lower()


def _by_unfinished(row: ReviewerRow):
    return (-row.unfinished, _name(row))


REVIEWER_SORTS = {
    "unfinished": _by_unfinished,
    "late": lambda r: (-r.late, -r.unfinished, _name(r)),
    "name": _name,
}
PAPER_SORTS = {
    "number": lambda p: p.number,
    "missing": lambda p: (p.submitted - p.assigned, -p.late, p.number),
    "late": lambda p: (-p.late, p.number),
}


def filter_reviewers(
    rows: list[ReviewerRow], *, q: str = "", side: str = "", status: str = "", sort: str = ""
) -> list[ReviewerRow]:
    """The reviewer rows matching a name or email fragment, a side and a status ("unfinished"
    or "late"), in the chosen order (most unfinished first by default)."""
    q = q.strip().lower()
    out = [
        r
        for r in rows
        if (not q or q in (r.user.name or "").lower() or q in r.user.email.lower())
        and (not side or r.side == side.upper())
        and (status != "unfinished" or r.unfinished)
        and (status != "late" or r.late)
    ]
    if sort in REVIEWER_SORTS and sort != "unfinished":
        out.sort(key=REVIEWER_SORTS[sort])
    return out


def filter_papers(
    rows: list[PaperRow], *, q: str = "", track: str = "", status: str = "", sort: str = ""
) -> list[PaperRow]:
    """The paper rows matching a number or title fragment, a track name and a status
    ("missing": fewer submitted reviews than assigned; "late"), by number by default."""
    q = q.strip().lower().lstrip("#")
    out = [
        p
        for p in rows
        if (not q or q == str(p.number) or q in p.title.lower())
        and (not track or p.track == track)
        and (status != "missing" or p.submitted < p.assigned)
        and (status != "late" or p.late)
    ]
    if sort in PAPER_SORTS and sort != "number":
        out.sort(key=PAPER_SORTS[sort])
    return out
