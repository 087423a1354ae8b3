"""What "Invite from a previous conference" reads: the conferences a chair may take a committee
from, and that committee, each person marked if they are already on this one.

A previous conference is offered only to someone allowed to see its committee
(``conferences.reuse_committee``: a program chair there, a program chair of a conference
started from its setup, or site staff); every other
conference's committee stays invisible, as on its own committee page.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.invitation_csv import describe_existing
from mlsys.conferences.models import CommitteeMembership, Conference


def source_conferences(user, conference: Conference) -> QuerySet[Conference]:
    """Conferences other than ``conference`` whose committee ``user`` may invite from, newest
    first."""
    qs = Conference.objects.exclude(pk=conference.pk)
    if not (getattr(user, "is_superuser", False) or getattr(user, "is_staff", False)):
        # Their own conferences as chair, and the one this conference was started from (its
        # chairs may be new: conferences.reuse_committee).
        chaired = Conference.objects.filter(
            memberships__user=user,
            memberships__role=Role.PROGRAM_CHAIR,
            memberships__status=InvitationStatus.ACCEPTED,
        )
        qs = qs.filter(Q(pk__in=chaired) | Q(pk=conference.copied_from_id))
    return qs.order_by("-created_at", "name")


@dataclass(frozen=True)
class ReturningMember:
    """One accepted membership of the previous conference, and what stands in the way of
    inviting the person here (empty if nothing)."""

    membership: CommitteeMembership
    here: str

    @property
    def user(self):
        return self.membership.user


def previous_committee(source: Conference, conference: Conference) -> list[ReturningMember]:
    """Everyone who accepted a role at ``source``, by role and name; a person already invited
    to, on, or declined from ``conference`` (in any role) says so in ``here``. Two queries."""
    members = list(
        source.memberships.filter(status=InvitationStatus.ACCEPTED)
        .select_related("user")
        .order_by("role", "user__name", "user__email", "pk")
    )
    existing: dict[int, CommitteeMembership] = {}
    for membership in conference.memberships.filter(
        user_id__in={m.user_id for m in members}
    ).order_by("pk"):
        existing.setdefault(membership.user_id, membership)
    return [
        ReturningMember(
            membership=m,
            here=describe_existing(existing[m.user_id]) if m.user_id in existing else "",
        )
        for m in members
    ]
