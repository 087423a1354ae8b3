"""Reusable conference querysets, shared by pages, the API and the demo, and the lookup of
accounts by email address that the invitations use."""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Lower

from mlsys.conferences.enums import InvitationStatus, Role, Side
from mlsys.conferences.models import CommitteeMembership, Conference, Topic, Track


def with_schedule(qs: QuerySet[Conference]) -> QuerySet[Conference]:
    """Prefetch what the phase and countdown need, so a list costs a constant number of queries."""
    return qs.prefetch_related("deadlines", "phase_settings")


def visible_conferences(user) -> QuerySet[Conference]:
    qs = Conference.objects.all()
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.filter(is_public=True)
    return qs.filter(
        Q(is_public=True) | Q(memberships__user=user, memberships__status=InvitationStatus.ACCEPTED)
    ).distinct()


def committee(conference: Conference) -> QuerySet[CommitteeMembership]:
    return conference.memberships.select_related("user").order_by("role", "side", "user__name")


def with_setup(qs: QuerySet[Conference]) -> QuerySet[Conference]:
    """Schedule plus tracks and topics: everything the landing page and the API detail show."""
    return with_schedule(qs).prefetch_related("tracks", "topics")


def tracks_with_usage(conference: Conference) -> QuerySet[Track]:
    """Tracks annotated with ``submission_count`` (a track with submissions cannot be deleted)."""
    return conference.tracks.annotate(submission_count=Count("submissions")).order_by(
        "order", "name"
    )


def topics_with_usage(conference: Conference) -> QuerySet[Topic]:
    """Topics annotated with ``submission_count`` (a topic in use cannot be deleted)."""
    return conference.topics.annotate(submission_count=Count("submissions")).order_by(
        "area", "order", "name"
    )


def side_balance(conference: Conference) -> list[dict]:
    """Accepted PC members (PC members and area chairs) per side: count and summed max load.

    One row per side, in ML, Systems, Both order, zeros included.
    """
    rows = {
        row["side"]: row
        for row in conference.memberships.filter(
            status=InvitationStatus.ACCEPTED, role__in=[Role.PC_MEMBER, Role.AREA_CHAIR]
        )
        .values("side")
        .annotate(
            members=Count("id"),
            capacity=Sum("max_load"),
            unlimited=Count("id", filter=Q(max_load__isnull=True)),
        )
    }
    return [
        {
            "side": side,
            "label": label,
            "members": rows.get(side, {}).get("members", 0),
            "capacity": rows.get(side, {}).get("capacity") or 0,
            "unlimited": rows.get(side, {}).get("unlimited", 0),
        }
        for side, label in Side.choices
    ]


def users_by_email(emails_: Iterable[str]) -> dict:
    """Accounts owning these (lower-case) addresses: the login email first, then any allauth
    EmailAddress (a person's secondary addresses). Two queries whatever the number."""
    wanted = {e.lower() for e in emails_}
    if not wanted:
        return {}
    User = get_user_model()
    found = {
        u.email_lower: u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=wanted)
    }
    rest = wanted - found.keys()
    if rest:
        for address in (
            EmailAddress.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=rest)
            .select_related("user")
            .order_by("-verified", "pk")
        ):
            found.setdefault(address.email_lower, address.user)
    return found
