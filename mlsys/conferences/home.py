"""The conference blocks of the home page: every conference the visitor takes part in (a
committee role in any invitation state, or a section about them there, such as their papers),
each with its phase, next deadline, the visitor's roles and the sections about it; then the
other conferences the visitor may see.

Four queries whatever the number of conferences: the conferences, their deadlines and phase
switches, and the visitor's memberships.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from mlsys.conferences.enums import InvitationStatus, Phase, Role
from mlsys.conferences.homepage import Section
from mlsys.conferences.models import CommitteeMembership, Conference
from mlsys.conferences.queries import visible_conferences, with_schedule


@dataclass
class ConferenceBlock:
    conference: Conference
    phase: Phase
    next_deadline: object = None
    #: The visitor's memberships there, in any invitation state.
    memberships: list[CommitteeMembership] = field(default_factory=list)
    #: Roles the sections name (e.g. "Author").
    other_roles: list[str] = field(default_factory=list)
    is_chair: bool = False
    sections: list[Section] = field(default_factory=list)

    @property
    def pending(self) -> list[CommitteeMembership]:
        return [m for m in self.memberships if m.status == InvitationStatus.INVITED]


def conference_blocks(
    request, sections: list[Section]
) -> tuple[list[ConferenceBlock], list[ConferenceBlock]]:
    """(the visitor's conferences with their sections, the other conferences they may see)."""
    user = request.user
    by_conference: dict[int, list[Section]] = {}
    for section in sections:
        if section.conference_id is not None:
            by_conference.setdefault(section.conference_id, []).append(section)
    wanted = Q(pk__in=visible_conferences(user).values("pk"))
    qs = Conference.objects.all()
    if user.is_authenticated:
        wanted |= Q(pk__in=list(by_conference)) | Q(
            pk__in=CommitteeMembership.objects.filter(user=user).values("conference")
        )
        qs = qs.prefetch_related(
            Prefetch(
                "memberships",
                queryset=CommitteeMembership.objects.filter(user=user).order_by("role"),
                to_attr="my_memberships",
            )
        )
    mine, others = [], []
    for conference in with_schedule(qs.filter(wanted)):
        timeline = conference.timeline()
        memberships = getattr(conference, "my_memberships", [])
        accepted = {m.role for m in memberships if m.status == InvitationStatus.ACCEPTED}
        block = ConferenceBlock(
            conference=conference,
            phase=Phase(timeline.current),
            next_deadline=timeline.next_deadline,
            memberships=memberships,
            is_chair=Role.PROGRAM_CHAIR in accepted or user.is_superuser,
            sections=by_conference.get(conference.pk, []),
        )
        for section in block.sections:
            block.other_roles += [r for r in section.roles if r not in block.other_roles]
        (mine if memberships or block.sections else others).append(block)
    return mine, others
