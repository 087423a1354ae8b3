"""The chairs' reviewing progress page (reviews:progress), its CSV exports
(reviews:progress_export) and its one-click reminders (reviews:progress_remind). Papers the chair
is conflicted with are not shown, not counted and not exported.

The page shows 100 rows of each table (reviewers, papers), each filtered, sorted and paged on
the server with its own parameters; the export gives the whole (filtered) table."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import tables
from reviews.progress import forms
from reviews.progress.queries import Progress, filter_papers, filter_reviewers, progress
from reviews.reminders import services as reminders
from reviews.rules import conflicted_submission_ids

REVIEWER_PARAMS = ("rq", "rside", "rstatus", "rsort", "rpage")
PAPER_PARAMS = ("pq", "ptrack", "pstatus", "psort", "ppage")


class ProgressMixin(ConferenceMixin):
    permission_required = "reviews.manage_reviews"

    def progress(self) -> Progress:
        hidden = conflicted_submission_ids(self.request.viewer, self.conference)
        return progress(self.conference, hidden_ids=hidden)

    def filters(self):
        data = self.request.GET
        tracks = [t.name for t in self.conference.tracks.all()]
        return (
            forms.ReviewerFilterForm(data, auto_id="id_%s"),
            forms.PaperFilterForm(data, tracks=tracks, auto_id="id_%s"),
        )

    def reviewers(self, data: Progress, form):
        v = forms.values(form)
        return filter_reviewers(
            data.reviewers, q=v["rq"], side=v["rside"], status=v["rstatus"], sort=v["rsort"]
        )

    def papers(self, data: Progress, form):
        v = forms.values(form)
        return filter_papers(
            data.papers, q=v["pq"], track=v["ptrack"], status=v["pstatus"], sort=v["psort"]
        )


class ProgressView(ProgressMixin, TemplateView):
    template_name = "reviews/progress/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        data = self.progress()
        reviewer_form, paper_form = self.filters()
        here = reverse("reviews:progress", kwargs={"conference": self.conference.slug})
        export = reverse("reviews:progress_export", kwargs={"conference": self.conference.slug})
        context.update(
            progress=data,
            late_count=sum(1 for r in data.reviewers if r.unfinished),
            interval_hours=int(reminders.INTERVAL.total_seconds() // 3600),
            reviewer_form=reviewer_form,
            paper_form=paper_form,
            reviewer_page=tables.page_of(self.reviewers(data, reviewer_form), request, "rpage"),
            paper_page=tables.page_of(self.papers(data, paper_form), request, "ppage"),
            reviewer_query=tables.query(request, exclude={"rpage"}),
            paper_query=tables.query(request, exclude={"ppage"}),
            reviewer_keep=tables.carried(request, REVIEWER_PARAMS),
            paper_keep=tables.carried(request, PAPER_PARAMS),
            reviewer_clear=f"{here}?{tables.query(request, exclude=REVIEWER_PARAMS)}",
            paper_clear=f"{here}?{tables.query(request, exclude=PAPER_PARAMS)}",
            reviewer_export=self.export_url(export, PAPER_PARAMS + ("rpage",), "reviewers"),
            paper_export=self.export_url(export, REVIEWER_PARAMS + ("ppage",), "papers"),
            next_url=request.get_full_path(),
            remind_url=reverse(
                "reviews:progress_remind", kwargs={"conference": self.conference.slug}
            ),
            paper_url=tables.row_url("reviews:paper", "number", conference=self.conference.slug),
        )
        return context

    def export_url(self, base: str, exclude: tuple[str, ...], table: str) -> str:
        return f"{base}?{tables.query(self.request, exclude=exclude, table=table)}"


class ProgressExportView(ProgressMixin, View):
    """``?table=reviewers`` (default) or ``papers``, with that table's filters: every row."""

    def get(self, request, *args, **kwargs):
        data = self.progress()
        reviewer_form, paper_form = self.filters()
        slug = self.conference.slug
        if request.GET.get("table") == "papers":
            return tables.csv_response(
                f"{slug}-progress-papers",
                [
                    "number",
                    "title",
                    "track",
                    "assigned",
                    "submitted",
                    "late",
                    "ml_submitted",
                    "systems_submitted",
                ],
                (
                    [
                        p.number,
                        p.title,
                        p.track,
                        p.assigned,
                        p.submitted,
                        p.late,
                        p.ml_submitted,
                        p.systems_submitted,
                    ]
                    for p in self.papers(data, paper_form)
                ),
            )
        return tables.csv_response(
            f"{slug}-progress-reviewers",
            [
                "name",
                "email",
                "side",
                "assigned",
                "submitted",
                "unfinished",
                "late",
                "submitted_late",
                "last_reminded",
            ],
            (
                [
                    r.user.name,
                    r.user.email,
                    r.side_label,
                    r.assigned,
                    r.submitted,
                    r.unfinished,
                    r.late,
                    r.submitted_late,
                    r.last_reminded.isoformat() if r.last_reminded else "",
                ]
                for r in self.reviewers(data, reviewer_form)
            ),
        )


class RemindView(ConferenceMixin, View):
    """POST ``reviewer=<user id>`` to remind one person, or ``all=1`` for every late reviewer;
    the once-a-day limit of reviews.reminders.services applies either way. Returns to ``next``
    (the page and filters the chair was on) when it is a local address."""

    permission_required = "reviews.manage_reviews"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        back = tables.back_to(request, self.progress_url())
        ids = None
        if not request.POST.get("all"):
            try:
                ids = [int(request.POST.get("reviewer", ""))]
            except ValueError:
                messages.error(request, "Choose a reviewer to remind.")
                return redirect(back)
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
        return redirect(back)

    def progress_url(self) -> str:
        return reverse("reviews:progress", kwargs={"conference": self.conference.slug})


def _names(users) -> str:
    return ", ".join(u.name or u.email for u in users)
