"""The conferences section of the home page (registered in ConferencesConfig.ready): every
conference the visitor can see, with its phase, next deadline and the visitor's roles."""

from mlsys.conferences.enums import InvitationStatus, Phase, Role
from mlsys.conferences.homepage import Section
from mlsys.conferences.queries import conferences_for_home


def conferences_section(request) -> Section:
    user = request.user
    rows = []
    for conference, memberships in conferences_for_home(user):
        timeline = conference.timeline()
        # Roles come from the prefetched memberships: no per-conference permission query.
        accepted = {m.role for m in memberships if m.status == InvitationStatus.ACCEPTED}
        rows.append(
            {
                "conference": conference,
                "memberships": memberships,
                "phase": Phase(timeline.current),
                "next_deadline": timeline.next_deadline,
                "is_chair": Role.PROGRAM_CHAIR in accepted or user.is_superuser,
                "pending": [m for m in memberships if m.status == InvitationStatus.INVITED],
            }
        )
    return Section("conferences/home_conferences.html", {"conference_rows": rows})
