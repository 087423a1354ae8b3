"""Scoping to one conference, for pages and the API alike: :func:`resolve_conference` finds the
conference the URL names (schedule prefetched, known to the request's viewer) or answers 404;
:class:`ConferenceMixin` does it for pages and names the permission a page needs. The API's
:class:`mlsys.conferences.api.scoping.ConferenceScopedAPIMixin` calls the same function."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from mlsys.conferences import archive
from mlsys.conferences.models import Conference
from mlsys.conferences.queries import with_schedule
from mlsys.conferences.viewer import Viewer


class NotVisible(Http404):
    """The viewer may not see the conference (an anonymous visitor may, after logging in)."""


def resolve_conference(viewer: Viewer, slug: str, *, schedule: bool = True) -> Conference:
    """The conference ``slug`` names, if ``viewer`` may see it (else :class:`NotVisible`).
    ``schedule``: prefetch its deadlines and phase switches (two queries), which every page
    and every rule about a phase reads."""
    conferences = Conference.objects.all()
    if schedule:
        conferences = with_schedule(conferences)
    conference = viewer.know(get_object_or_404(conferences, slug=slug))
    if not viewer.has_perm("conferences.view_conference", conference):
        raise NotVisible
    return conference


class ConferenceMixin:
    """Resolve ``self.conference`` from the URL; answer 404 if the user may not see it.

    ``permission_required`` (optional) is checked against the conference: an anonymous visitor
    is sent to log in, a logged-in user without it gets 404 (the page does not exist for them).
    """

    permission_required: str | None = None
    # A write (any method but GET, HEAD, OPTIONS) at an archived conference answers 403 here,
    # for everyone but site staff (mlsys.conferences.archive).

    def dispatch(self, request, *args, **kwargs):
        try:
            self.conference = resolve_conference(request.viewer, kwargs["conference"])
        except NotVisible:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise
        request.conference = self.conference
        if self.permission_required and not self.has_permission():
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
        refused = archive.refusal(request.viewer, self.conference, request.method)
        if refused:
            context = {"conference": self.conference, "message": refused}
            return TemplateResponse(request, "conferences/archived.html", context, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # TemplateView passes the URL kwargs into the context, where "conference" would be the
        # slug string; templates expect the object.
        context = super().get_context_data(**kwargs)
        context["conference"] = self.conference
        return context

    def get_permission_object(self):
        return self.conference

    def has_permission(self) -> bool:
        return self.request.viewer.has_perm(self.permission_required, self.get_permission_object())

    @property
    def viewer(self) -> Viewer:
        return self.request.viewer


class ChairMixin(ConferenceMixin):
    permission_required = "conferences.change_conference"
