"""The camera-ready pages (namespace ``decisions``): one accepted paper's camera-ready (authors,
its shepherd, unconflicted chairs), its check report fragment, and the shepherd's list. The
chairs' overview, export and settings are in overview.py.

Who sees what is decisions.camera_ready.rules; every write is a service of
decisions.camera_ready.services. A visitor who may not see the paper's camera-ready gets 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from decisions.camera_ready import queries, services
from decisions.camera_ready.forms import (
    AuthorsForm,
    LicenceForm,
    ShepherdForm,
    ShepherdReviewForm,
    UploadForm,
    authors_text,
)
from decisions.enums import ShepherdStatus
from decisions.models import CameraReady
from mlsys.conferences.enums import DeadlineKind, Phase
from mlsys.conferences.homepage import Section
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import files
from submissions.enums import Status
from submissions.models import Submission

ACTIONS = ("upload", "authors", "licence", "assign", "review")


class PaperMixin(ConferenceMixin):
    permission_required = "decisions.view_camera_ready"

    def get_paper(self) -> Submission:
        if not hasattr(self, "_paper"):
            self._paper = get_object_or_404(
                self.conference.submissions.select_related("track", "camera_ready__licence"),
                number=self.kwargs["number"],
            )
        return self._paper

    def get_permission_object(self) -> Submission:
        return self.get_paper()

    def page_url(self) -> str:
        return reverse(
            "decisions:camera_ready",
            kwargs={"conference": self.conference.slug, "number": self.kwargs["number"]},
        )


def _versions(paper, final):
    versions = queries.camera_ready_versions(paper)
    for position, version in enumerate(versions):
        version.version_label = f"v{len(versions) - position}"
        version.download_url = files.url_for("camera-ready", version)
        version.is_final = final is not None and version.pk == final.pk
    return versions


class CameraReadyView(PaperMixin, TemplateView):
    template_name = "decisions/camera_ready/page.html"

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        viewer, paper = self.request.viewer, self.get_paper()
        forms = forms or {}
        row = queries.camera_ready_of(paper)
        final = queries.final_pdf(paper)
        versions = _versions(paper, final)
        submitted = queries.submitted_authors(paper)
        final_list = queries.final_authors(paper, row)
        licence = queries.current_licence(self.conference)
        can_edit = viewer.has_perm("decisions.edit_camera_ready", paper)
        can_accept = viewer.has_perm("decisions.accept_licence", paper)
        can_assign = viewer.has_perm("decisions.assign_shepherd", paper)
        is_shepherd = viewer.has_perm("decisions.shepherd_camera_ready", paper)
        if can_edit and "authors" not in forms:
            forms["authors"] = AuthorsForm(initial={"authors": authors_text(final_list)})
        if can_accept and licence is not None and "licence" not in forms:
            forms["licence"] = LicenceForm(initial={"version": licence.version})
        if can_assign and "assign" not in forms:
            forms["assign"] = ShepherdForm(
                initial={"shepherd": row.shepherd_id if row else None},
                candidates=services.shepherd_candidates(paper),
            )
        if is_shepherd and "review" not in forms:
            forms["review"] = ShepherdReviewForm()
        deadline = self.conference.deadline_map().get(DeadlineKind.CAMERA_READY)
        context.update(
            paper=paper,
            row=row,
            rule=services.track_rule(paper.track),
            final=final,
            versions=versions,
            latest=versions[0] if versions else None,
            checklist=queries.checklist(row, has_final=final is not None),
            submitted_authors=submitted,
            final_authors=final_list,
            changes=queries.author_changes(submitted, final_list),
            licence=licence,
            accepted_licence=row.licence if row and row.licence_id else None,
            phase_open=self.conference.timeline().is_open(Phase.CAMERA_READY),
            phase_state=queries.phase_state(self.conference),
            opens=_deadline_at(self.conference, DeadlineKind.DECISION),
            deadline=deadline.at if deadline else None,
            is_author=viewer.has_perm("reviews.act_as_paper_author", paper),
            can_edit=can_edit,
            can_accept=can_accept,
            can_assign=can_assign,
            is_shepherd=is_shepherd,
            upload_form=forms.get("upload") or (UploadForm() if can_edit else None),
            authors_form=forms.get("authors"),
            licence_form=forms.get("licence"),
            assign_form=forms.get("assign"),
            review_form=forms.get("review"),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in ACTIONS:
            messages.error(request, "Unknown action; nothing was changed.")
            return redirect(self.page_url())
        paper = self.get_paper()
        try:
            form = getattr(self, f"_{action}")(request, paper)
        except PermissionDenied as refused:
            messages.error(request, f"{refused} Nothing was changed.")
            return redirect(self.page_url())
        if form is None:
            return redirect(self.page_url())
        return self.render_to_response(self.get_context_data(forms={action: form}), status=400)

    # Each action returns None when done (a message is set), else the bound form with errors.

    def _upload(self, request, paper):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return form
        try:
            stored = services.upload_camera_ready(
                submission=paper, actor=request.viewer, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            _add_errors(form, error)
            return form
        messages.success(request, f"{stored.original_name} was uploaded; it is being checked.")
        return None

    def _authors(self, request, paper):
        form = AuthorsForm(request.POST)
        if not form.is_valid():
            return form
        try:
            services.set_final_authors(
                submission=paper,
                actor=request.viewer,
                authors=form.cleaned_data["authors"],
                confirm=form.cleaned_data["confirm"],
                removals_agreed=form.cleaned_data["removals_agreed"],
            )
        except ValidationError as error:
            _add_errors(form, error)
            return form
        if form.cleaned_data["confirm"]:
            messages.success(request, "The final author list is confirmed.")
        else:
            messages.success(request, "The author list was saved; confirm it when it is final.")
        return None

    def _licence(self, request, paper):
        form = LicenceForm(request.POST)
        if not form.is_valid():
            return form
        try:
            services.accept_licence(
                submission=paper, actor=request.viewer, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return None
        messages.success(request, "You accepted the licence terms.")
        return None

    def _assign(self, request, paper):
        form = ShepherdForm(request.POST, candidates=services.shepherd_candidates(paper))
        if not form.is_valid():
            return form
        try:
            services.assign_shepherd(submission=paper, actor=request.viewer, shepherd=form.chosen())
        except ValidationError as error:
            _add_errors(form, error)
            return form
        messages.success(request, "The shepherd was saved.")
        return None

    def _review(self, request, paper):
        form = ShepherdReviewForm(request.POST)
        if not form.is_valid():
            return form
        approve = form.cleaned_data["verdict"] == "approve"
        try:
            services.review_as_shepherd(
                submission=paper,
                actor=request.viewer,
                approve=approve,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _add_errors(form, error)
            return form
        messages.success(
            request,
            "You approved the camera-ready." if approve else "The authors were asked for changes.",
        )
        return None


class ReportView(PaperMixin, TemplateView):
    """htmx target: the newest upload's check report; polls while it is pending."""

    template_name = "decisions/camera_ready/_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paper = self.get_paper()
        final = queries.final_pdf(paper)
        versions = _versions(paper, final)
        context.update(paper=paper, final=final, latest=versions[0] if versions else None)
        return context


class ShepherdingView(ConferenceMixin, TemplateView):
    """The papers the visitor shepherds at this conference (not their conflicted ones)."""

    template_name = "decisions/camera_ready/shepherding.html"
    permission_required = "conferences.view_conference"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewer = self.request.viewer
        if not viewer.is_authenticated:
            raise Http404
        papers = queries.accepted_papers(self.conference).filter(camera_ready__shepherd=viewer.user)
        rows = [p for p in papers if viewer.has_perm("decisions.shepherd_camera_ready", p)]
        for paper in rows:
            paper.checklist = queries.row_checklist(paper)
        context["papers"] = rows
        return context


def shepherd_section(request) -> list[Section] | None:
    """Home page: where the visitor shepherds accepted papers, how many and how many wait for
    their verdict, linking their list (which leaves out papers they became conflicted with).
    One query."""
    user = request.user
    if not user.is_authenticated:
        return None
    counts = (
        CameraReady.objects.filter(
            shepherd=user,
            submission__status=Status.ACCEPTED,
            submission__conference__archived_at__isnull=True,
        )
        .values("submission__conference_id")
        .annotate(papers=Count("pk"), waiting=Count("pk", filter=Q(status=ShepherdStatus.PENDING)))
        .order_by()
    )
    return [
        Section(
            "decisions/camera_ready/home_shepherd.html",
            {"papers": row["papers"], "waiting": row["waiting"]},
            conference_id=row["submission__conference_id"],
        )
        for row in counts
    ] or None


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _deadline_at(conference, kind):
    deadline = conference.deadline_map().get(kind)
    return deadline.at if deadline else None
