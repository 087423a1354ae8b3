"""The chairs' release page (decisions:release): what a release would touch, per track, then
the release itself (all tracks or one), run in Celery, with a report of what it did. Chairs
only (404 for anyone else); a conflicted chair sees their conflicted papers counted apart,
never by outcome."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from decisions.models import ReleaseRun
from decisions.release import services
from decisions.release.forms import ReleaseForm
from decisions.release.queries import EMPTY, fingerprints, release_preview
from mlsys.conferences.mixins import ConferenceMixin


class ReleaseMixin(ConferenceMixin):
    permission_required = "decisions.manage_decisions"

    def latest_run(self) -> ReleaseRun | None:
        """The newest release this chair asked for (its report is worded for them)."""
        return (
            ReleaseRun.objects.filter(
                conference=self.conference, requested_by=self.request.viewer.user
            )
            .select_related("track")
            .first()
        )


class ReleaseView(ReleaseMixin, TemplateView):
    template_name = "decisions/release/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summaries = release_preview(self.conference, self.request.viewer)
        digests = fingerprints(self.conference, self.request.viewer)
        for summary in summaries:
            summary.fingerprint = digests.get(summary.track.pk, EMPTY)
        run = self.latest_run()
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
            run=run,
            report=run.report if run and run.status == "done" else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ReleaseForm(request.POST, conference=self.conference)
        page = reverse("decisions:release", kwargs={"conference": self.conference.slug})
        if not form.is_valid():
            messages.error(request, "That release could not be read; nothing was released.")
            return redirect(page)
        try:
            services.request_release(
                conference=self.conference,
                actor=request.viewer,
                track=form.cleaned_data["track"],
                expected=form.cleaned_data["expected"],
            )
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
        return redirect(page)


class ReleaseRunView(ReleaseMixin, TemplateView):
    """htmx: the chair's latest release, polled while it runs."""

    template_name = "decisions/release/_run.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.latest_run()
        context.update(run=run, report=run.report if run and run.status == "done" else None)
        return context
