"""Who may do what at a conference. Predicates take (user, obj) where obj is a Conference or
anything with a ``conference`` attribute. Roles are read once per request and cached on the user.
"""

import rules

from mlsys.conferences.enums import InvitationStatus, Role


def conference_of(obj):
    if obj is None:
        return None
    # Imported here: conferences.models imports this module (Meta.rules_permissions).
    from mlsys.conferences.models import Conference

    if isinstance(obj, Conference):
        return obj
    return getattr(obj, "conference", None)


def roles_at(user, conference) -> frozenset[str]:
    """The accepted roles ``user`` holds at ``conference`` (one query per user and request)."""
    if conference is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = user.__dict__.setdefault("_conference_roles", {})
    if conference.pk not in cache:
        # Imported here: conferences.models imports this module.
        from mlsys.conferences.models import CommitteeMembership

        cache[conference.pk] = frozenset(
            CommitteeMembership.objects.filter(
                user=user, conference=conference, status=InvitationStatus.ACCEPTED
            ).values_list("role", flat=True)
        )
    return cache[conference.pk]


def has_role(*role_names: str):
    wanted = frozenset(role_names)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user, obj=None) -> bool:
        return bool(roles_at(user, conference_of(obj)) & wanted)

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


can_view_conference = is_public_conference | is_chair | has_role(*Role.values)
is_membership_visible = is_own_membership | is_chair

rules.add_perm("conferences.view_committee", is_chair)
rules.add_perm("conferences.manage_mail", is_chair)
# Mail's rows are the chairs' (mail knows no roles, so its models declare no permissions).
rules.add_perm("mail.view_emailtemplate", is_chair)
rules.add_perm("mail.change_emailtemplate", is_chair)
rules.add_perm("mail.view_outboundemail", is_chair)

# Inviting a previous conference's committee (issue 10): its committee list (names, emails,
# roles, loads) is shown only to that conference's own chairs and to site staff.
rules.add_perm("conferences.reuse_committee", is_chair | rules.is_staff)
