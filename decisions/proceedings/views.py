"""The chairs' proceedings page: counts, missing final PDFs, the JSON and CSV exports
(streamed), and the booklet and ZIP builds (Celery) with their status, polled by htmx."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from decisions import enums
from decisions.proceedings import exports, queries, services
from mlsys.conferences.mixins import ConferenceMixin


class ProceedingsMixin(ConferenceMixin):
    permission_required = "decisions.export_proceedings"

    def page_url(self) -> str:
        return reverse("decisions:proceedings", kwargs={"conference": self.conference.slug})


class BuildsContextMixin(ProceedingsMixin):
    def builds_context(self) -> dict:
        builds = queries.builds(self.conference)
        return {
            "builds": [
                {"kind": kind, "label": label, **builds[kind]}
                for kind, label in enums.ProceedingsKind.choices
            ],
            "building": any(b["active"] for b in builds.values()),
        }


class ProceedingsPageView(BuildsContextMixin, TemplateView):
    template_name = "decisions/proceedings/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            summary=queries.summary(self.conference),
            ordering=queries.ORDERING,
            example_name=queries.pdf_name(self.conference, 12),
            **self.builds_context(),
        )
        return context


class ProceedingsBuildsView(BuildsContextMixin, TemplateView):
    """The builds block alone; htmx polls it every 2 seconds while a build is queued or running."""

    template_name = "decisions/proceedings/_builds.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.builds_context())
        return context


class ProceedingsExportView(ProceedingsMixin, View):
    """``?format=json`` (default) or ``csv``, streamed."""

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format", "json")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        name = f"{self.conference.slug}-proceedings-{stamp}"
        if fmt == "csv":
            response = StreamingHttpResponse(
                exports.csv_lines(self.conference), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        else:
            response = StreamingHttpResponse(
                exports.json_chunks(self.conference), content_type="application/json"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        response["Cache-Control"] = "private, no-store"
        return response


class ProceedingsBuildView(ProceedingsMixin, View):
    def post(self, request, *args, **kwargs):
        kind = request.POST.get("kind", "")
        try:
            build = services.start_build(self.conference, kind=kind, actor=request.viewer)
        except services.BuildRefused as exc:
            messages.error(request, str(exc))
        except ValidationError:
            messages.error(request, "Choose what to build: the booklet or the ZIP.")
        else:
            messages.success(request, f"Building the {services.NOUNS[build.kind]}.")
        return HttpResponseRedirect(self.page_url())
