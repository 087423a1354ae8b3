"""The home page's reviewing sections (registered in ReviewsConfig.ready), one per conference:
a PC member's reviews to finish, papers to lead and discussions waiting; a chair's counts and
alerts. Queries live in reviews.home.queries."""

from django.utils import timezone

from mlsys.conferences.enums import REVIEWING_ROLES, InvitationStatus
from mlsys.conferences.homepage import Section
from mlsys.conferences.models import CommitteeMembership
from reviews.home import queries as home_queries


def reviewing_section(request) -> list[Section] | None:
    """A section for each conference where the visitor reviews (an accepted reviewing role) or
    has something to do; four queries."""
    user = request.user
    if not user.is_authenticated:
        return None
    now = timezone.now()
    to_finish = home_queries.reviews_to_finish(user, now)
    to_lead = home_queries.papers_to_lead(user)
    waiting = home_queries.discussions_waiting(user)
    reviewer_at = set(
        CommitteeMembership.objects.filter(
            user=user,
            role__in=REVIEWING_ROLES,
            status=InvitationStatus.ACCEPTED,
            conference__archived_at__isnull=True,
        ).values_list("conference_id", flat=True)
    )
    empty = home_queries.Bounded()
    return [
        Section(
            "reviews/home_reviewing.html",
            {
                "to_finish": to_finish.get(conference_id, empty),
                "to_lead": to_lead.get(conference_id, empty),
                "waiting": waiting.get(conference_id, empty),
            },
            conference_id=conference_id,
        )
        for conference_id in sorted(reviewer_at | set(to_finish) | set(to_lead) | set(waiting))
    ] or None


def chair_section(request) -> list[Section] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    return [
        Section(
            "reviews/home_chair.html", {"chair_desks": [desk]}, conference_id=desk.conference.pk
        )
        for desk in home_queries.chair_desks(user)
    ] or None
