"""Reusable conference querysets, shared by pages, the API and the demo."""

from django.db.models import Prefetch, Q, QuerySet

from mlsys.conferences.enums import InvitationStatus
from mlsys.conferences.models import CommitteeMembership, Conference


def with_schedule(qs: QuerySet[Conference]) -> QuerySet[Conference]:
    """Prefetch what the phase and countdown need, so a list costs a constant number of queries."""
    return qs.prefetch_related("deadlines", "phase_settings")


def visible_conferences(user) -> QuerySet[Conference]:
    qs = Conference.objects.all()
    if getattr(user, "is_superuser", False):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.filter(is_public=True)
    return qs.filter(
        Q(is_public=True) | Q(memberships__user=user, memberships__status=InvitationStatus.ACCEPTED)
    ).distinct()


def conferences_for_home(user) -> list[tuple[Conference, list[CommitteeMembership]]]:
    """Every conference the user can see, with the user's memberships (any status) in each."""
    qs = with_schedule(visible_conferences(user))
    if getattr(user, "is_authenticated", False):
        qs = qs.prefetch_related(
            Prefetch(
                "memberships",
                queryset=CommitteeMembership.objects.filter(user=user),
                to_attr="my_memberships",
            )
        )
    return [(c, getattr(c, "my_memberships", [])) for c in qs]


def committee(conference: Conference) -> QuerySet[CommitteeMembership]:
    return conference.memberships.select_related("user").order_by("role", "side", "user__name")
