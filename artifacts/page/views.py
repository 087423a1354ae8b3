"""The artifact page (``artifacts:detail``): one URL per artifact for its authors, its
evaluators and the AE chairs; each workflow package adds its section (``SECTIONS``: a
``context(viewer, artifact)`` function and its template, included by
templates/artifacts/detail.html). Anyone else gets 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from artifacts.assignment import page as assignment_page
from artifacts.badges import page as badges_page
from artifacts.evaluation import page as evaluation_page
from artifacts.models import Artifact
from artifacts.registration import page as registration_page
from mlsys.conferences.mixins import ConferenceMixin

SECTIONS = (registration_page, assignment_page, evaluation_page, badges_page)


class ArtifactMixin(ConferenceMixin):
    """Resolves ``self.artifact`` from the paper number; 404 unless the viewer holds
    ``artifact_permission`` on it."""

    artifact_permission = "artifacts.view_artifact"

    def get_artifact(self) -> Artifact:
        if not hasattr(self, "_artifact"):
            artifact = get_object_or_404(
                Artifact.objects.select_related("submission__track", "contact", "lead"),
                conference=self.conference,
                submission__number=self.kwargs["number"],
            )
            artifact.conference = self.conference
            artifact.submission.conference = self.conference
            if not self.request.viewer.has_perm(self.artifact_permission, artifact):
                raise Http404
            self._artifact = artifact
        return self._artifact


class ArtifactDetailView(ArtifactMixin, TemplateView):
    template_name = "artifacts/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        artifact, viewer = self.get_artifact(), self.request.viewer
        context.update(artifact=artifact, paper=artifact.submission)
        for section in SECTIONS:
            context.update(section.context(viewer, artifact))
        return context
