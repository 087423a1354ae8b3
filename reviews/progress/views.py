"""The chairs' reviewing progress page (reviews:progress) and its one-click reminders
(reviews:progress_remind). Papers the chair is conflicted with are not shown."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from reviews.progress.queries import progress
from reviews.reminders import services as reminders
from reviews.rules import conflicted_submission_ids


class ProgressView(ConferenceMixin, TemplateView):
    permission_required = "reviews.manage_reviews"
    template_name = "reviews/progress/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hidden = conflicted_submission_ids(self.request.viewer, self.conference)
        context["progress"] = progress(self.conference, hidden_ids=hidden)
        context["interval_hours"] = int(reminders.INTERVAL.total_seconds() // 3600)
        return context


class RemindView(ConferenceMixin, View):
    """POST ``reviewer=<user id>`` to remind one person, or ``all=1`` for every late reviewer;
    the once-a-day limit of reviews.reminders.services applies either way."""

    permission_required = "reviews.manage_reviews"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        ids = None
        if not request.POST.get("all"):
            try:
                ids = [int(request.POST.get("reviewer", ""))]
            except ValueError:
                messages.error(request, "Choose a reviewer to remind.")
                return redirect(self.progress_url())
        result = reminders.remind_reviewers(self.conference, reviewer_ids=ids, actor=request.viewer)
        if result.sent:
            messages.success(request, f"Reminded {_names(result.sent)}.")
        if result.skipped_recent:
            messages.warning(
                request,
                f"Not reminded again (already reminded in the last 24 hours): "
                f"{_names(result.skipped_recent)}.",
            )
        if not result.sent and not result.skipped_recent:
            messages.info(request, "Nobody to remind: no unfinished reviews.")
        return redirect(self.progress_url())

    def progress_url(self) -> str:
        return reverse("reviews:progress", kwargs={"conference": self.conference.slug})


def _names(users) -> str:
    return ", ".join(u.name or u.email for u in users)
