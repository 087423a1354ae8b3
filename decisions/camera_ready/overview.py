"""The chairs' camera-ready pages (part of decisions.camera_ready's views): the overview of the
accepted papers with their checklist (paged, filterable), its CSV export, and the settings
(licence terms, per-track page limit and format).

A conflicted chair sees their conflicted papers as a conflicted PC member would: number, title
and "conflicted", nothing of their camera-ready (no checklist, shepherd or licence), and those
papers match no filter and count in no total.
"""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from decisions import enums
from decisions.camera_ready import queries, services
from decisions.camera_ready.forms import SettingsForm
from decisions.models import CameraReadyTrack
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.mixins import ConferenceMixin
from reviews.rules import conflicted_submission_ids

PAGE_SIZE = 100


class ChairCameraReadyMixin(ConferenceMixin):
    permission_required = "decisions.manage_camera_ready"

    def hidden(self) -> frozenset[int]:
        """The papers this chair is conflicted with."""
        return conflicted_submission_ids(self.request.viewer, self.conference)

    def rows(self, papers, hidden):
        for paper in papers:
            paper.conflicted = paper.pk in hidden
            paper.checklist = None if paper.conflicted else queries.row_checklist(paper)
        return papers


class OverviewView(ChairCameraReadyMixin, TemplateView):
    template_name = "decisions/camera_ready/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hidden = self.hidden()
        current = self.request.GET.get("filter", "")
        papers = queries.accepted_papers(self.conference)
        page = Paginator(queries.filtered(papers, current, hidden), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            page_obj=page,
            papers=self.rows(list(page.object_list), hidden),
            filters=queries.FILTERS,
            current=current if current in queries.FILTERS else "",
            counts=_counts(papers, hidden),
            hidden_count=len(hidden),
            phase_state=queries.phase_state(self.conference),
            opens=_decision_deadline(self.conference),
            has_licence=queries.current_licence(self.conference) is not None,
        )
        return context


def _decision_deadline(conference):
    deadline = conference.deadline_map().get(DeadlineKind.DECISION)
    return deadline.at if deadline else None


def _counts(papers, hidden) -> dict:
    """How many accepted papers match each filter (the viewer's conflicted papers left out of
    every count but the total). One query."""
    S = enums.ShepherdStatus
    visible = ~Q(pk__in=hidden)
    return papers.order_by().aggregate(
        total=Count("pk"),
        complete=Count("pk", filter=visible & Q(is_complete=True)),
        incomplete=Count("pk", filter=visible & Q(is_complete=False)),
        missing_licence=Count("pk", filter=visible & Q(camera_ready__licence__isnull=True)),
        awaiting_shepherd=Count("pk", filter=visible & Q(camera_ready__status=S.PENDING)),
    )


CSV_HEADER = [
    "number",
    "title",
    "track",
    "final_pdf",
    "newest_check",
    "authors_confirmed",
    "licence_version",
    "shepherd",
    "shepherd_status",
    "complete",
]


class ExportView(ChairCameraReadyMixin, View):
    """The overview (with its filter) as CSV, every matching paper; conflicted rows carry
    only number, title and "conflicted"."""

    def get(self, request, *args, **kwargs):
        hidden = self.hidden()
        papers = queries.filtered(
            queries.accepted_papers(self.conference), request.GET.get("filter", ""), hidden
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.conference.slug}-camera-ready.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(CSV_HEADER)
        for paper in papers.iterator(chunk_size=500):
            if paper.pk in hidden:
                blank = [""] * (len(CSV_HEADER) - 4)
                writer.writerow(
                    [
                        paper.number,
                        _safe(paper.title),
                        _safe(paper.track.name),
                        *blank,
                        "conflicted",
                    ]
                )
                continue
            row = queries.camera_ready_of(paper)
            check = queries.row_checklist(paper)
            writer.writerow(
                [
                    paper.number,
                    _safe(paper.title),
                    _safe(paper.track.name),
                    "yes" if check.pdf else "no",
                    paper.newest_check or "",
                    "yes" if check.authors else "no",
                    row.licence.version if row and row.licence_id else "",
                    _safe(row.shepherd.email) if row and row.shepherd_id else "",
                    row.status if row else enums.ShepherdStatus.NONE,
                    "yes" if check.complete else "no",
                ]
            )
        return response


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class SettingsView(ChairCameraReadyMixin, TemplateView):
    template_name = "decisions/camera_ready/settings.html"

    def form(self, data=None) -> SettingsForm:
        tracks = list(self.conference.tracks.order_by("order", "name"))
        rules = {r.track_id: r for r in CameraReadyTrack.objects.filter(track__in=tracks)}
        licence = queries.current_licence(self.conference)
        return SettingsForm(
            data,
            tracks=tracks,
            rules=rules,
            initial={"licence_text": licence.text if licence else ""},
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=form or self.form(),
            licence=queries.current_licence(self.conference),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.save_settings(
                conference=self.conference,
                actor=request.viewer,
                licence_text=form.cleaned_data["licence_text"],
                rules=form.track_rules(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, "The camera-ready settings were saved.")
        return redirect(
            reverse("decisions:camera_ready_settings", kwargs={"conference": self.conference.slug})
        )
