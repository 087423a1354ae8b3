"""The chairs' "Deciding" part of the home page: per conference they chair, how many papers are
undecided, pending and released, with a link to the dashboard (two queries for any number of
conferences and papers). Papers the chair is conflicted with are not counted: their decisions
are another chair's."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from decisions.enums import DecisionStatus
from mlsys.conferences.enums import DeadlineKind, InvitationStatus, Role
from mlsys.conferences.homepage import LIMIT, Section
from mlsys.conferences.models import CommitteeMembership, Conference, Deadline
from reviews.home.queries import viewer_conflicted
from submissions import enums as sub_enums
from submissions.models import Submission


@dataclass
class DecisionDesk:
    conference: Conference
    undecided: int = 0
    pending: int = 0
    released: int = 0
    conflicted: int = 0

    @property
    def started(self) -> bool:
        return bool(self.pending or self.released)


def decision_desks(user, now=None) -> list[DecisionDesk]:
    """Conferences ``user`` chairs whose reviews are due (or that have decisions), with counts."""
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
        .annotate(
            review_due=Subquery(
                Deadline.objects.filter(conference=OuterRef("pk"), kind=DeadlineKind.REVIEW).values(
                    "at"
                )[:1]
            )
        )
        .order_by("-pk")[:LIMIT]
    )
    desks = {c.pk: DecisionDesk(c) for c in conferences}
    listed = (sub_enums.Status.SUBMITTED, sub_enums.Status.ACCEPTED, sub_enums.Status.REJECTED)
    rows = (
        Submission.objects.filter(conference_id__in=list(desks), status__in=listed)
        .annotate(mine=viewer_conflicted(user, "pk"))
        .values("conference")
        .annotate(
            conflicted=Count("pk", filter=Q(mine=True)),
            undecided=Count("pk", filter=Q(mine=False, decision__isnull=True)),
            pending=Count("pk", filter=Q(mine=False, decision__status=DecisionStatus.PENDING)),
            released=Count("pk", filter=Q(mine=False, decision__status=DecisionStatus.RELEASED)),
        )
    )
    for row in rows:
        desk = desks[row["conference"]]
        desk.undecided, desk.pending = row["undecided"], row["pending"]
        desk.released, desk.conflicted = row["released"], row["conflicted"]
    shown = []
    for desk in desks.values():
        due = desk.conference.review_due
        if desk.started or (due is not None and due <= now):
            shown.append(desk)
    return shown


def decisions_section(request) -> list[Section] | None:
    if not request.user.is_authenticated:
        return None
    return [
        Section("decisions/home_chair.html", {"desk": desk}, conference_id=desk.conference.pk)
        for desk in decision_desks(request.user)
    ] or None
