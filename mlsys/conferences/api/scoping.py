"""What every API view inside one conference shares: the request's viewer, the conference from
the URL, and the conference-level permission each action needs.

DRF authenticates on its own (tokens or the session), after Django's middleware has built
``request.viewer`` for the session user; :meth:`ConferenceScopedAPIMixin.scope` replaces it by a
viewer for the user DRF authenticated, then resolves the conference with the same function the
pages use (:func:`mlsys.conferences.mixins.resolve_conference`: 404 if the viewer may not see it).

A viewset declares ``permission_map``, read by :class:`MappedPermission`, the one permission
class of every conference-scoped view: ``"view"`` names the permission the viewer needs on the
conference to reach the collection at all (without it: 404, it does not exist for them);
``"write"`` the one every write (POST, PUT, PATCH, DELETE) needs on top (without it: 403 with
``permission_denied_message``); an action's own name overrides ``"write"`` (or adds a check to a
read). Object-level rules (a paper, a review) are checked by the viewsets and services with
``viewer.has_perm`` on the object. A write at an archived conference answers 403 "This
conference is archived: read-only." for everyone but site staff (mlsys.conferences.archive).
"""

from django.http import Http404
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from mlsys.conferences import archive
from mlsys.conferences.mixins import resolve_conference
from mlsys.conferences.viewer import Viewer


class MappedPermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if getattr(view, "swagger_fake_view", False):
            return True
        permission_map = getattr(view, "permission_map", {})
        viewer, conference = view.scope()
        seen = permission_map.get("view")
        if seen and not viewer.has_perm(seen, conference):
            raise Http404
        writing = request.method not in permissions.SAFE_METHODS
        perm = permission_map.get(getattr(view, "action", None))
        if perm is None and writing:
            perm = permission_map.get("write")
        if perm is None or viewer.has_perm(perm, conference):
            return True
        if not writing:
            raise Http404
        self.message = view.permission_denied_message
        return False


class ConferenceScopedAPIMixin:
    """``self.viewer`` and ``self.conference`` for an API view whose URL names a conference."""

    permission_classes = [permissions.IsAuthenticated, MappedPermission]
    permission_map: dict[str, str] = {}
    permission_denied_message = "Only the conference's chairs can change this."
    #: Whether the view reads the conference's phases (see ``resolve_conference``).
    conference_schedule = True

    def scope(self) -> tuple[Viewer, object]:
        if not hasattr(self, "conference"):
            request = self.request
            self.viewer = request._request.viewer = Viewer(
                request.user, arrived_at=getattr(request._request, "arrived_at", None)
            )
            self.conference = resolve_conference(
                self.viewer, self.kwargs["conference"], schedule=self.conference_schedule
            )
            request._request.conference = self.conference
        return self.viewer, self.conference

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not getattr(self, "swagger_fake_view", False):
            viewer, conference = self.scope()
            # An archived conference is read-only for everyone but site staff.
            refused = archive.refusal(viewer, conference, request.method)
            if refused:
                raise PermissionDenied(refused)
