"""Archiving a conference (chairs, site staff: confirm, then it is read-only) and bringing it
back (site staff only). The read-only rule itself is mlsys.conferences.archive."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from mlsys.conferences import archive
from mlsys.conferences.mixins import ConferenceMixin


class ArchiveView(ConferenceMixin, TemplateView):
    """GET: what archiving means and a confirmation; POST (``confirm=yes``): archive."""

    permission_required = "conferences.archive_conference"
    template_name = "conferences/archive.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_unarchive"] = self.request.viewer.has_perm(
            "conferences.unarchive_conference", self.conference
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "yes":
            context = self.get_context_data(error="Tick the box to confirm.")
            return self.render_to_response(context, status=400)
        archive.archive(conference=self.conference, actor=request.viewer)
        messages.success(request, f"{self.conference} is archived: it is now read-only.")
        return redirect(self.conference.get_absolute_url())


class UnarchiveView(ConferenceMixin, TemplateView):
    """POST only, site staff: make the conference writable again."""

    permission_required = "conferences.unarchive_conference"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        archive.unarchive(conference=self.conference, actor=request.viewer)
        messages.success(request, f"{self.conference} is no longer archived.")
        return redirect("conferences:archive", conference=self.conference.slug)
