"""Who may do what at a conference. Predicates take (user, obj) where obj is a Conference or
anything with a ``conference`` attribute. The "user" a predicate receives is a
:class:`~mlsys.conferences.viewer.Viewer` (or a plain user, given a fresh one): roles are read
once per viewer and conference.
"""

import rules

from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.viewer import Viewer, as_viewer


def conference_of(obj, viewer: Viewer | None = None):
    """The conference ``obj`` is (or belongs to). The instance the viewer's request resolved
    (with its prefetched schedule) when it is that one; else ``obj.conference``."""
    if obj is None:
        return None
    # Imported here: conferences.models imports this module (Meta.rules_permissions).
    from mlsys.conferences.models import Conference

    if isinstance(obj, Conference):
        return obj
    if viewer is not None:
        known = viewer.known_conference(getattr(obj, "conference_id", None))
        if known is not None:
            return known
    return getattr(obj, "conference", None)


def load_roles(user, conference) -> frozenset[str]:
    # Imported here: conferences.models imports this module.
    from mlsys.conferences.models import CommitteeMembership

    return frozenset(
        CommitteeMembership.objects.filter(
            user=user, conference=conference, status=InvitationStatus.ACCEPTED
        ).values_list("role", flat=True)
    )


def has_role(*role_names: str):
    wanted = frozenset(role_names)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user, obj=None) -> bool:
        viewer = as_viewer(user)
        return bool(viewer.fact(load_roles, conference_of(obj, viewer)) & wanted)

    return predicate


is_superuser = rules.is_superuser
is_chair = has_role(Role.PROGRAM_CHAIR) | is_superuser
is_pc_member = has_role(Role.PC_MEMBER, Role.AREA_CHAIR)
is_area_chair = has_role(Role.AREA_CHAIR)
is_ae_chair = has_role(Role.AE_CHAIR) | is_superuser
is_ae_evaluator = has_role(Role.AE_EVALUATOR)
is_external_reviewer = has_role(Role.EXTERNAL_REVIEWER)


@rules.predicate
def is_public_conference(user, obj=None) -> bool:
    conference = conference_of(obj)
    return bool(conference and conference.is_public)


@rules.predicate
def is_own_membership(user, membership=None) -> bool:
    return membership is not None and membership.user_id == getattr(user, "pk", None)


@rules.predicate
def is_site_staff(user, obj=None) -> bool:
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


#: Site staff (operators) see every conference, public or not: they create them.
can_view_conference = is_public_conference | is_chair | has_role(*Role.values) | is_site_staff
is_membership_visible = is_own_membership | is_chair

rules.add_perm("conferences.view_committee", is_chair)
rules.add_perm("conferences.manage_mail", is_chair)
# Mail's rows are the chairs' (mail knows no roles, so its models declare no permissions).
rules.add_perm("mail.view_emailtemplate", is_chair)
rules.add_perm("mail.change_emailtemplate", is_chair)
rules.add_perm("mail.view_outboundemail", is_chair)
# Creating a conference is the site's staff's (the page, the API and the Django admin name it).
rules.add_perm("conferences.add_conference", rules.is_staff)


def load_successors_chaired(user, conference) -> frozenset[int]:
    """Ids of the conferences started from ``conference``'s setup that ``user`` chairs."""
    # Imported here: conferences.models imports this module.
    from mlsys.conferences.models import CommitteeMembership

    return frozenset(
        CommitteeMembership.objects.filter(
            user=user,
            role=Role.PROGRAM_CHAIR,
            status=InvitationStatus.ACCEPTED,
            conference__copied_from=conference,
        ).values_list("conference_id", flat=True)
    )


@rules.predicate
def chairs_a_successor(user, conference=None) -> bool:
    """A chair of a conference started from ``conference``'s setup (next year's chair)."""
    return bool(
        conference is not None and as_viewer(user).fact(load_successors_chaired, conference)
    )


# Inviting a previous conference's committee (issue 10): its committee list (names, emails,
# roles, loads) is shown only to that conference's own chairs, to the chairs of a conference
# started from its setup (next year's, who may be new) and to site staff.
rules.add_perm("conferences.reuse_committee", is_chair | chairs_a_successor | rules.is_staff)


# --- Archived conferences (issue 10) ---------------------------------------------------------


# Chairs archive their conference (read-only for everyone but site staff); only site staff
# bring it back.
rules.add_perm("conferences.archive_conference", is_chair | is_site_staff)
rules.add_perm("conferences.unarchive_conference", is_site_staff)
