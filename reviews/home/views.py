"""The home page's reviewing sections (registered in ReviewsConfig.ready): a PC member's
reviews to finish, papers to lead and discussions waiting; a chair's counts and alerts per
conference. Queries live in reviews.home.queries."""

from django.utils import timezone

from mlsys.conferences.enums import REVIEWING_ROLES, InvitationStatus
from mlsys.conferences.homepage import Section
from mlsys.conferences.models import CommitteeMembership
from reviews.home import queries as home_queries


def reviewing_section(request) -> Section | None:
    user = request.user
    if not user.is_authenticated:
        return None
    now = timezone.now()
    to_finish = home_queries.reviews_to_finish(user, now)
    to_lead = home_queries.papers_to_lead(user)
    waiting = home_queries.discussions_waiting(user)
    if not (to_finish.total or to_lead.total or waiting.total):
        reviewer = CommitteeMembership.objects.filter(
            user=user, role__in=REVIEWING_ROLES, status=InvitationStatus.ACCEPTED
        ).exists()
        if not reviewer:
            return None
    return Section(
        "reviews/home_reviewing.html",
        {"to_finish": to_finish, "to_lead": to_lead, "waiting": waiting},
    )


def chair_section(request) -> Section | None:
    user = request.user
    if not user.is_authenticated:
        return None
    desks = home_queries.chair_desks(user)
    if not desks:
        return None
    return Section("reviews/home_chair.html", {"chair_desks": desks})
