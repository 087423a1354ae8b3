"""The chairs' release page (decisions:release): what a release would touch, per track, then
the release itself (all tracks or one) with a report of what it did. Chairs only (404 for
anyone else); a conflicted chair sees their conflicted papers counted apart, never by outcome."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from decisions.release import services
from decisions.release.forms import ReleaseForm
from decisions.release.queries import EMPTY, fingerprints, release_preview
from mlsys.conferences.mixins import ConferenceMixin


class ReleaseView(ConferenceMixin, TemplateView):
    template_name = "decisions/release/page.html"
    permission_required = "decisions.manage_decisions"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summaries = release_preview(self.conference, self.request.viewer)
        digests = fingerprints(self.conference)
        for summary in summaries:
            summary.fingerprint = digests.get(summary.track.pk, EMPTY)
        context.update(
            summaries=summaries,
            all_fingerprint=digests[None],
            totals={
                "pending": sum(s.pending_total for s in summaries),
                "withdrawn": sum(s.withdrawn for s in summaries),
                "undecided": sum(s.undecided for s in summaries),
                "released": sum(s.released for s in summaries),
                "conflicted": sum(s.conflicted for s in summaries),
            },
            report=self.request.session.pop(self.report_key(), None),
        )
        return context

    def report_key(self) -> str:
        return f"decisions.release_report.{self.conference.pk}"

    def post(self, request, *args, **kwargs):
        form = ReleaseForm(request.POST, conference=self.conference)
        page = reverse("decisions:release", kwargs={"conference": self.conference.slug})
        if not form.is_valid():
            messages.error(request, "That release could not be read; nothing was released.")
            return redirect(page)
        track = form.cleaned_data["track"]
        try:
            report = services.release(
                conference=self.conference,
                actor=request.viewer,
                track=track,
                expected=form.cleaned_data["expected"],
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(page)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(page)
        request.session[self.report_key()] = {
            "scope": str(track) if track else "all tracks",
            "released": report.released,
            "released_total": report.released_total,
            "skipped": report.skipped,
            "conflicted": report.conflicted,
        }
        return redirect(page)
