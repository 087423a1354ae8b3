"""The archived-conference check lives in the conference mixin of the pages (ConferenceMixin)
and of the API (ConferenceScopedAPIMixin): every route inside a conference must go through one
of them, so no write slips past the read-only rule. A new route outside them fails here until
it is covered."""

from django.urls import URLResolver, get_resolver
from rest_framework.views import APIView

from mlsys.conferences.api.scoping import ConferenceScopedAPIMixin
from mlsys.conferences.api.views import ConferenceViewSet
from mlsys.conferences.mixins import ConferenceMixin

#: Routes with a conference in the URL that do not go through the check, and why: the
#: conference itself is only read there (see the last test).
EXEMPT = {ConferenceViewSet}
#: Invitation links: answered by token, for people who may not see the conference yet; their
#: own mixin (views.invitations.InvitationMixin) and the services refuse an archived conference
#: (tests/conferences/test_issue10_attack_archive.py).
EXEMPT_NAMES = {"invitation", "invitation_accept", "invitation_decline"}


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def test_every_conference_route_goes_through_the_archive_check():
    uncovered = []
    for path, pattern in _routes(get_resolver().url_patterns):
        if "conference>" not in path or pattern.name in EXEMPT_NAMES:
            continue
        cls = getattr(pattern.callback, "view_class", None) or getattr(
            pattern.callback, "cls", None
        )
        if cls in EXEMPT:
            continue
        covered = cls is not None and (
            issubclass(cls, ConferenceMixin)
            or (issubclass(cls, APIView) and issubclass(cls, ConferenceScopedAPIMixin))
        )
        if not covered:
            uncovered.append(path)
    assert uncovered == []


def test_the_conference_viewset_stays_read_only_on_a_conference():
    """Exempt above because it cannot change a conference; one that could must get the check."""
    assert not any(hasattr(ConferenceViewSet, m) for m in ("update", "partial_update", "destroy"))
