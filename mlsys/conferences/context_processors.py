"""Puts the current conference (if the URL names one) and the user's roles in every template."""

from mlsys.conferences.rules import roles_at


def conference_nav(request):
    conference = getattr(request, "conference", None)
    if conference is None:
        return {}
    roles = roles_at(request.viewer, conference)
    timeline = conference.timeline()
    return {
        "conference": conference,
        "my_roles": roles,
        "timeline": timeline,
        "is_chair": request.viewer.has_perm("conferences.change_conference", conference),
    }
