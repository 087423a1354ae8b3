"""Reads for the home page: a PC member's reviews to finish, papers to lead and discussions
waiting, and a chair's counts and alerts, across every conference of the viewer.

Each list is cut per conference (the home page shows it inside the conference's block): at most
:data:`LIMIT` rows of each conference, with that conference's total, in one query whatever the
number of rows and conferences. Nothing here ever
touches a paper the viewer is conflicted with (an effective Conflict, authorship or a
"conflict" bid): such papers' reviews, reviewers and scores are not even counted.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, InvitationStatus, Role
from mlsys.conferences.homepage import LIMIT
from mlsys.conferences.models import CommitteeMembership, Conference, Deadline
from reviews.enums import BidValue, CommentVisibility, ReviewState
from reviews.lateness import days_late, late_by
from reviews.meta.queries import active_reviewer_assignments
from reviews.models import Assignment, Bid, Comment, MetaReview, Review, current_q, live_q
from reviews.reminders.services import submitted_review_exists
from submissions import enums as sub_enums
from submissions.models import Author, Conflict, Submission, paper_is_active

#: Comment levels a paper's reviewer reads (never "chairs only").
REVIEWER_LEVELS = (CommentVisibility.REVIEWERS, CommentVisibility.PC, CommentVisibility.AUTHORS)


def viewer_conflicted(user, submission_ref: str = "submission") -> Q:
    """True for rows whose submission ``user`` is conflicted with (for ``.exclude``)."""
    same = {"submission": OuterRef(submission_ref), "user": user}
    return (
        Q(Exists(Conflict.objects.filter(**same, state__in=sub_enums.EFFECTIVE)))
        | Q(Exists(Author.objects.filter(**same)))
        | Q(Exists(Bid.objects.filter(**same, value=BidValue.CONFLICT)))
    )


def _review_due(conference_ref: str = "conference") -> Subquery:
    return Subquery(
        Deadline.objects.filter(
            conference=OuterRef(conference_ref), kind=DeadlineKind.REVIEW
        ).values("at")[:1]
    )


@dataclass
class Bounded:
    """The first :data:`LIMIT` rows of a list and how many there are in all."""

    rows: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _bounded_by_conference(qs: QuerySet, conference: str, order: list) -> dict[int, Bounded]:
    """The first :data:`LIMIT` rows of ``qs`` in each conference (``order`` ranks them, the
    queryset's own ordering orders them) with each conference's total, in one query."""
    ranked = qs.annotate(
        home_conference=F(conference),
        home_rank=Window(RowNumber(), partition_by=[F(conference)], order_by=order),
        home_total=Window(Count("pk"), partition_by=[F(conference)]),
    ).filter(home_rank__lte=LIMIT)
    found: dict[int, Bounded] = {}
    for row in ranked:
        found.setdefault(row.home_conference, Bounded(total=row.home_total)).rows.append(row)
    return found


def _my_live_assignments(user) -> QuerySet:
    # Nothing waits at an archived conference (read-only): no review to finish or discussion.
    return (
        active_reviewer_assignments()
        .filter(paper_is_active(), reviewer=user, conference__archived_at__isnull=True)
        .exclude(viewer_conflicted(user))
    )


def reviews_to_finish(user, now: datetime | None = None) -> dict[int, Bounded]:
    """Per conference: released, not declined assignments without a submitted review, soonest
    due first; each with ``due`` (the conference's review deadline), ``has_draft`` and
    ``late_days`` (one query)."""
    now = now or timezone.now()
    qs = (
        _my_live_assignments(user)
        .exclude(submitted_review_exists())
        .annotate(
            due=_review_due(),
            has_draft=Exists(Review.objects.filter(assignment=OuterRef("pk"))),
        )
        .select_related("conference", "submission")
        .order_by(F("due").asc(nulls_last=True), "conference_id", "submission__number")
    )
    found = _bounded_by_conference(qs, "conference_id", [F("submission__number").asc()])
    for bounded in found.values():
        for assignment in bounded.rows:
            assignment.late_days = days_late(assignment.due, now)
            assignment.late_by = late_by(assignment.due, now)
    return found


def papers_to_lead(user) -> dict[int, Bounded]:
    """Per conference: meta-reviews ``user`` leads and has not submitted, on active papers
    (one query)."""
    qs = (
        MetaReview.objects.filter(
            paper_is_active(), lead=user, submission__conference__archived_at__isnull=True
        )
        .exclude(state=ReviewState.SUBMITTED)
        .exclude(viewer_conflicted(user))
        .select_related("submission__conference")
        .order_by("submission__conference_id", "submission__number")
    )
    return _bounded_by_conference(qs, "submission__conference_id", [F("submission__number").asc()])


def discussions_waiting(user) -> dict[int, Bounded]:
    """Per conference: papers ``user`` reviews where someone else commented (at a level
    reviewers read) after the user's own last comment there; each with ``last_other_at``
    (one query)."""
    readable = Comment.objects.filter(
        submission=OuterRef("submission"), visibility__in=REVIEWER_LEVELS
    ).order_by("-created_at")
    qs = (
        _my_live_assignments(user)
        .annotate(
            last_other_at=Subquery(readable.exclude(author=user).values("created_at")[:1]),
            last_mine_at=Subquery(
                Comment.objects.filter(submission=OuterRef("submission"), author=user)
                .order_by("-created_at")
                .values("created_at")[:1]
            ),
        )
        .filter(last_other_at__isnull=False)
        .filter(Q(last_mine_at__isnull=True) | Q(last_other_at__gt=F("last_mine_at")))
        .select_related("conference", "submission")
        .order_by("-last_other_at")
    )
    return _bounded_by_conference(qs, "conference_id", [F("last_other_at").desc()])


@dataclass
class ChairDesk:
    """One chaired conference: counts and what needs attention."""

    conference: Conference
    active: int = 0
    drafts: int = 0
    #: Papers (drafts and submitted) whose current PDF breaks the format rules.
    failed_checks: int = 0
    #: ... and those whose current PDF names its authors (withheld from reviewers).
    naming_authors: int = 0
    assigned: int = 0
    submitted_reviews: int = 0
    unreleased_assignments: int = 0
    without_lead: int = 0
    late_days: int = 0
    late_by: str = ""

    @property
    def missing_reviews(self) -> int:
        return self.assigned - self.submitted_reviews

    @property
    def has_alerts(self) -> bool:
        return bool(
            self.missing_reviews
            or self.failed_checks
            or self.naming_authors
            or self.unreleased_assignments
        )


def chair_desks(user, now: datetime | None = None) -> list[ChairDesk]:
    """Per conference ``user`` chairs (at most :data:`LIMIT`): submission counts, failed
    checks, reviews assigned/submitted, unreleased assignments, papers without
    a lead. Review-side counts leave out papers the chair is conflicted with (six queries)."""
    now = now or timezone.now()
    conferences = list(
        Conference.objects.filter(
            Exists(
                CommitteeMembership.objects.filter(
                    conference=OuterRef("pk"),
                    user=user,
                    role=Role.PROGRAM_CHAIR,
                    status=InvitationStatus.ACCEPTED,
                )
            )
        )
        .prefetch_related("deadlines")
        .order_by("-pk")[:LIMIT]
    )
    if not conferences:
        return []
    desks = {c.pk: ChairDesk(c) for c in conferences}
    ids = list(desks)
    failing = (sub_enums.CheckStatus.FAILED, sub_enums.CheckStatus.INVALID)
    for row in (
        Submission.objects.filter(conference_id__in=ids)
        .values("conference")
        .annotate(
            active=Count("pk", filter=Q(status__in=sub_enums.ACTIVE)),
            drafts=Count("pk", filter=Q(status=sub_enums.Status.DRAFT)),
            # A paper that names its authors counts there, not as a format failure; one a
            # chair released to reviewers anyway needs nobody's attention.
            failed=Count(
                "pk",
                filter=Q(
                    status__in=(sub_enums.Status.DRAFT, sub_enums.Status.SUBMITTED),
                    current_paper__check_status__in=failing,
                    current_paper__anonymity_failed=False,
                ),
            ),
            naming=Count(
                "pk",
                filter=Q(
                    status__in=(sub_enums.Status.DRAFT, sub_enums.Status.SUBMITTED),
                    current_paper__check_status__in=failing,
                    current_paper__anonymity_failed=True,
                    current_paper__released_at__isnull=True,
                ),
            ),
        )
    ):
        desk = desks[row["conference"]]
        desk.active, desk.drafts = row["active"], row["drafts"]
        desk.failed_checks, desk.naming_authors = row["failed"], row["naming"]
    visible = (
        Submission.objects.active()
        .filter(conference_id__in=ids)
        .exclude(viewer_conflicted(user, "pk"))
    )
    for row in (
        Assignment.objects.filter(submission__in=visible)
        .annotate(done=submitted_review_exists())
        .values("conference")
        .annotate(
            assigned=Count("pk", filter=live_q()),
            submitted=Count("pk", filter=live_q() & Q(done=True)),
            unreleased=Count("pk", filter=current_q() & Q(released=False)),
        )
    ):
        desk = desks[row["conference"]]
        desk.assigned, desk.submitted_reviews = row["assigned"], row["submitted"]
        desk.unreleased_assignments = row["unreleased"]
    for row in visible.values("conference").annotate(
        without_lead=Count("pk", filter=Q(meta_review__isnull=True)),
    ):
        desks[row["conference"]].without_lead = row["without_lead"]
    for desk in desks.values():
        due = desk.conference.deadline_map().get(DeadlineKind.REVIEW)
        desk.late_days = days_late(due.at if due else None, now)
        desk.late_by = late_by(due.at if due else None, now)
    return list(desks.values())
