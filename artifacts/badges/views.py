"""The badges' pages: the conference's public results page and each paper's public page, the
AE chairs' badge metadata export, and asking for the camera-ready to be stamped again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView

from artifacts.badges import exports, queries, services, svg
from artifacts.page.views import ArtifactMixin
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import tables


class ResultsMixin(ConferenceMixin):
    """Visible to whoever may view the conference (anonymous visitors of a public one)."""

    permission_required = "artifacts.view_results"


class ResultsView(ResultsMixin, TemplateView):
    """Published artifacts with their badges, repository, version and DOI; 100 a page, a
    filter per badge with its count."""

    template_name = "artifacts/badges/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        badges = queries.badge_counts(self.conference)
        keys = {b.key for b in badges}
        current = self.request.GET.get("badge", "")
        current = current if current in keys else ""
        artifacts = queries.published(self.conference)
        if current:
            artifacts = queries.filter_by_badge(artifacts, current)
        page = tables.page_of(artifacts, self.request)
        rows = []
        for artifact in page.object_list:
            row = queries.result(artifact)
            row["seals"] = mark_safe(  # noqa: S308 - svg.use escapes the label
                "".join(svg.use(b["pk"], b["label"], height="40px") for b in row["badges"])
            )
            rows.append(row)
        context.update(
            rows=rows,
            page_obj=page,
            badges=badges,
            current=current,
            querystring=tables.query(self.request, exclude=["page"]),
            sprite=mark_safe(svg.sprite(badges)),  # noqa: S308 - escaped by svg
            may_export=self.viewer.has_perm("artifacts.export_badges", self.conference),
        )
        return context


class PaperResultsView(ResultsMixin, TemplateView):
    """One paper's public page: title, authors, abstract, badges and links (404 unless its
    artifact is published)."""

    template_name = "artifacts/badges/paper.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        artifact = get_object_or_404(
            queries.published(self.conference), submission__number=self.kwargs["number"]
        )
        row = queries.result(artifact, abstract=True)
        for badge in row["badges"]:
            badge["seal"] = mark_safe(  # noqa: S308 - svg.seal escapes the label
                svg.seal(badge["label"], badge["colour"], height="80px", title=False)
            )
        context.update(paper=row)
        return context


class BadgeExportView(ConferenceMixin, View):
    """``?format=csv`` (default) or ``json``, streamed; AE chairs and program chairs."""

    permission_required = "artifacts.export_badges"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "json":
            stamp = timezone.now().strftime("%Y%m%d-%H%M")
            response = StreamingHttpResponse(
                exports.json_chunks(self.conference), content_type="application/json"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="{self.conference.slug}-badges-{stamp}.json"'
            )
            response["Cache-Control"] = "private, no-store"
            return response
        return exports.csv_export(self.conference)


class StampView(ArtifactMixin, View):
    """POST: stamp the camera-ready again (an unconflicted AE chair, once published)."""

    def post(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        try:
            services.request_stamp(artifact, actor=request.viewer)
        except PermissionDenied as exc:
            raise Http404 from exc
        except services.StampRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Stamping the badges onto the camera-ready.")
        url = reverse(
            "artifacts:detail",
            kwargs={"conference": self.conference.slug, "number": artifact.submission.number},
        )
        return HttpResponseRedirect(f"{url}#badges")
