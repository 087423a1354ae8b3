"""The chairs' affinity page: runs with live progress, summary, CSV upload, top matches.

A chair conflicted with a paper sees it marked conflicted in the top matches, without its
reviewers or scores."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import audit
from reviews.affinity import queries, services
from reviews.affinity.backends import configured_backend_name
from reviews.affinity.csv_import import ScoresRejected, import_scores
from reviews.affinity.dataset_export import dataset_zip
from reviews.affinity.forms import ComputeForm, PaperLookupForm, ScoresUploadForm
from reviews.enums import ProposalStatus
from reviews.rules import conflicted_submission_ids

TOP_PAPERS = 5


class AffinityMixin(ConferenceMixin):
    permission_required = "reviews.manage_affinities"

    def page_url(self) -> str:
        return reverse("reviews:affinities", kwargs={"conference": self.conference.slug})


class AffinityPageView(AffinityMixin, TemplateView):
    template_name = "reviews/affinity/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = self.conference
        sources = queries.source_summary(conference)
        names = [row["source"] for row in sources]
        used = queries.used_among(conference, names)
        default = configured_backend_name()
        # The table shows the scores in use unless the chair picks another source.
        source = used or (default if default in names else (names[0] if names else default))
        lookup = PaperLookupForm(
            self.request.GET or None, sources=names, initial={"source": source}
        )
        numbers = None
        if lookup.is_bound and lookup.is_valid():
            source = lookup.cleaned_data["source"] or source
            if lookup.cleaned_data["paper"]:
                numbers = [lookup.cleaned_data["paper"]]
        if numbers is None:
            numbers = list(
                conference.submissions.active()
                .order_by("number")
                .values_list("number", flat=True)[:TOP_PAPERS]
            )
        top = queries.top_reviewers(conference, source, numbers) if names else {}
        titles = dict(
            conference.submissions.filter(number__in=numbers).values_list("number", "title")
        )
        conflicted = set(
            conference.submissions.filter(
                pk__in=conflicted_submission_ids(self.request.viewer, conference)
            ).values_list("number", flat=True)
        )
        runs = queries.recent_runs(conference)
        context.update(
            used_source=used,
            runs=runs,
            active_run=queries.active_run(conference),
            last_ready=conference.affinity_runs.filter(status=ProposalStatus.READY).first(),
            sources=sources,
            missing_expertise=list(queries.reviewers_without_expertise(conference)),
            # The backend of the latest run stays chosen (a chair re-running it needn't re-pick).
            compute_form=ComputeForm(initial={"backend": runs[0].backend} if runs else None),
            upload_form=kwargs.get("upload_form") or ScoresUploadForm(),
            upload_errors=kwargs.get("upload_errors"),
            lookup_form=lookup,
            top_source=source,
            top_rows=[
                {
                    "number": n,
                    "title": titles.get(n),
                    "conflicted": n in conflicted,
                    "matches": [] if n in conflicted else top.get(n, []),
                }
                for n in numbers
            ],
        )
        return context


class AffinityRunsView(AffinityMixin, TemplateView):
    """The runs table alone; htmx polls it every second while a run is queued or running, and
    reloads the whole page when that run ends (so the summary shows the new results)."""

    template_name = "reviews/affinity/_runs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["runs"] = queries.recent_runs(self.conference)
        context["active_run"] = queries.active_run(self.conference)
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.GET.get("polling") and context["active_run"] is None:
            response["HX-Refresh"] = "true"
        return response


class AffinityStartView(AffinityMixin, View):
    def post(self, request, *args, **kwargs):
        form = ComputeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose one of the backends listed.")
            return HttpResponseRedirect(self.page_url())
        try:
            services.start_run(
                self.conference, actor=request.user, backend=form.cleaned_data["backend"] or None
            )
        except services.RunRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Computing affinities. Progress shows below.")
        return HttpResponseRedirect(self.page_url())


class AffinityUseView(AffinityMixin, View):
    """Chairs choose which stored scores bidding and the assignment solver read."""

    def post(self, request, *args, **kwargs):
        source = request.POST.get("source", "")
        try:
            services.use_source(self.conference, source, actor=request.user)
        except ValueError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.page_url())
        messages.success(request, f"Bidding and the assignment solver now read “{source}”.")
        return HttpResponseRedirect(self.page_url())


class AffinityDatasetView(AffinityMixin, View):
    """The texts for an external expertise model (reviews.affinity.dataset_export)."""

    def get(self, request, *args, **kwargs):
        data = dataset_zip(self.conference)
        audit.record(
            "affinity.dataset_downloaded",
            actor=request.user,
            target=self.conference,
            conference=self.conference,
        )
        response = HttpResponse(data, content_type="application/zip")
        filename = f"{self.conference.slug}-expertise-dataset.zip"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class AffinityUploadView(AffinityPageView):
    def post(self, request, *args, **kwargs):
        form = ScoresUploadForm(request.POST, request.FILES)
        errors = None
        if form.is_valid():
            try:
                result = import_scores(
                    self.conference,
                    form.cleaned_data["file"].read(),
                    source=form.cleaned_data["source"],
                    rescale=form.cleaned_data["rescale"],
                    actor=request.user,
                )
            except ScoresRejected as exc:
                errors = exc
            except ValueError as exc:
                form.add_error("file", str(exc))
            else:
                columns = f" Columns read as {result.columns}."
                note = columns + (
                    f" {result.skipped_own} pairs of reviewers on their own papers were skipped."
                    if result.skipped_own
                    else ""
                )
                messages.success(
                    request,
                    f"Imported {result.imported} scores as “{result.source}” "
                    f"(replacing {result.replaced}).{note} Bidding and the assignment solver now "
                    "read these scores; a pair the file does not list scores 0 there (choose "
                    "other scores under the summary).",
                )
                return HttpResponseRedirect(self.page_url())
        context = self.get_context_data(upload_form=form, upload_errors=errors, **kwargs)
        return self.render_to_response(context, status=400)
