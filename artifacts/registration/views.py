"""The authors' pages (namespace ``artifacts``): register or edit the artifact of a paper, upload
its appendix (with the check report, polled by htmx), submit, withdraw (confirmation first), the
AE chair's return to the authors, run the smoke checks again and reveal the access credentials.

Who may do what is artifacts/registration/rules.py; every write is a service. A visitor who may
not see the paper's artifact (or, before registration, is not one of the accepted paper's
authors at a conference running AE) gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from artifacts.models import Artifact
from artifacts.page.views import ArtifactMixin
from artifacts.registration import appendix, queries, services
from artifacts.registration.forms import (
    AppendixForm,
    RegistrationForm,
    ReturnForm,
    WithdrawForm,
    initial_for,
)
from artifacts.registration.rules import ae_running
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core.errors import Conflict
from submissions.enums import Status
from submissions.rules import is_author


def detail_url(conference, number) -> str:
    return reverse("artifacts:detail", kwargs={"conference": conference.slug, "number": number})


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RegistrationView(ConferenceMixin, TemplateView):
    """Register the paper's artifact (pre-filled from the paper) or edit it."""

    template_name = "artifacts/registration/form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_paper(self):
        if not hasattr(self, "_paper"):
            paper = get_object_or_404(
                self.conference.submissions.select_related("track"), number=self.kwargs["number"]
            )
            paper.conference = self.conference
            viewer = self.request.viewer
            if not (
                is_author(viewer, paper)
                and paper.status == Status.ACCEPTED
                and ae_running(self.conference)
            ):
                raise Http404
            self._paper = paper
            self._artifact = (
                Artifact.objects.select_related("contact", "appendix")
                .prefetch_related("requested_badges")
                .filter(submission=paper)
                .first()
            )
            if self._artifact is not None:
                self._artifact.conference = self.conference
                self._artifact.submission = paper
        return self._paper

    def build_form(self, data=None, initial=None):
        paper, artifact, viewer = self.get_paper(), self._artifact, self.request.viewer
        badges = services.active_badges(self.conference)
        if artifact is not None:
            current = [rb.badge for rb in artifact.requested_badges.select_related("badge")]
            badges += [b for b in current if b not in badges]
        return RegistrationForm(
            data,
            initial=initial,
            badges=badges,
            contacts=list(services.contacts_of(paper).values()),
            has_secret=bool(artifact and artifact.access_secret),
            badges_locked=artifact is not None
            and not viewer.has_perm("artifacts.change_badges", artifact),
        )

    def can_write(self) -> bool:
        artifact, viewer = self._artifact, self.request.viewer
        if artifact is None:
            return viewer.has_perm("artifacts.register_artifact", self.get_paper())
        return viewer.has_perm("artifacts.edit_registration", artifact)

    def get_context_data(self, form=None, conflict=None, **kwargs):
        context = super().get_context_data(**kwargs)
        paper = self.get_paper()
        artifact = self._artifact
        if form is None:
            initial = initial_for(artifact) if artifact else services.prefill(paper)
            form = self.build_form(initial=initial)
        can_write = self.can_write()
        if not can_write:
            for field in form.fields.values():
                field.disabled = True
        context.update(
            paper=paper,
            artifact=artifact,
            form=form,
            can_write=can_write,
            closed_reason="" if can_write else queries.closed_reason(self.conference, artifact),
            conflict=conflict,
            badge_rows=form.badge_rows,
            deadlines=queries.deadlines(self.conference),
            appendix_form=AppendixForm() if artifact and can_write else None,
            appendix_limit=services.appendix_page_limit(self.conference),
            **(queries.appendix_context(artifact) if artifact else {}),
        )
        return context

    def post(self, request, *args, **kwargs):
        paper = self.get_paper()
        artifact = self._artifact
        form = self.build_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.service_data()
        badges = form.cleaned_data["badges"] if not form.fields["badges"].disabled else None
        try:
            if artifact is None:
                artifact = services.create_artifact(
                    submission=paper, actor=request.viewer, data=data, badges=badges or []
                )
                messages.success(
                    request,
                    "Your artifact is registered. Complete it, upload the appendix and submit "
                    "it before the deadline.",
                )
            else:
                services.update_artifact(
                    artifact=artifact,
                    actor=request.viewer,
                    data=data,
                    badges=badges,
                    revision=form.cleaned_data.get("revision") or 0,
                )
                messages.success(request, "The registration was saved.")
        except PermissionDenied as refused:
            form.add_error(None, f"{refused} Nothing was changed.")
            return self.render_to_response(self.get_context_data(form=form), status=403)
        except ValidationError as error:
            add_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        except Conflict as conflict:
            # Keep what was typed; the next save knowingly replaces the newer version.
            posted = request.POST.copy()
            posted["revision"] = str(conflict.current.get("revision", 0))
            form = self.build_form(posted)
            form.is_valid()
            form.add_error(None, str(conflict))
            differences = queries.conflict_differences(form.cleaned_data, conflict.current)
            return self.render_to_response(
                self.get_context_data(form=form, conflict=differences), status=409
            )
        return redirect(detail_url(self.conference, paper.number))


class AppendixView(ArtifactMixin, TemplateView):
    """POST: upload a new appendix version. GET (htmx): the newest upload's check report."""

    template_name = "artifacts/registration/_appendix_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        artifact = self.get_artifact()
        context.update(artifact=artifact, paper=artifact.submission)
        context.update(queries.appendix_context(artifact))
        return context

    def post(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        form = AppendixForm(request.POST, request.FILES)
        target = reverse(
            "artifacts:register",
            kwargs={"conference": self.conference.slug, "number": artifact.submission.number},
        )
        if not form.is_valid():
            messages.error(request, "Choose a PDF file to upload.")
            return redirect(target)
        try:
            stored = appendix.upload_appendix(
                artifact=artifact, actor=request.viewer, upload=form.cleaned_data["appendix"]
            )
        except PermissionDenied as refused:
            messages.error(request, f"{refused} Nothing was uploaded.")
            return redirect(target)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(target)
        messages.success(request, f"{stored.original_name} was uploaded; it is being checked.")
        return redirect(target)


class SubmitView(ArtifactMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        try:
            services.submit_artifact(artifact=artifact, actor=request.viewer)
        except PermissionDenied as refused:
            messages.error(request, f"{refused} Nothing was changed.")
        except ValidationError as error:
            messages.error(
                request, "The artifact cannot be submitted yet: " + " ".join(error.messages)
            )
        else:
            messages.success(
                request, "Your artifact is submitted; the automatic checks are running."
            )
        return redirect(detail_url(self.conference, artifact.submission.number))


class WithdrawView(ArtifactMixin, TemplateView):
    """Confirmation page naming what stays, then the withdrawal."""

    template_name = "artifacts/registration/withdraw.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        artifact = self.get_artifact()
        if not self.request.viewer.has_perm("artifacts.withdraw_artifact", artifact):
            raise Http404
        context.update(
            artifact=artifact,
            paper=artifact.submission,
            form=form or WithdrawForm(),
            kept=queries.kept_on_withdrawal(artifact),
        )
        return context

    def post(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.withdraw_artifact(artifact=artifact, actor=request.viewer)
        except PermissionDenied as refused:
            messages.error(request, f"{refused} Nothing was changed.")
        else:
            messages.success(request, "The artifact was withdrawn from the evaluation.")
        return redirect(detail_url(self.conference, artifact.submission.number))


class ReturnView(ArtifactMixin, TemplateView):
    """The AE chair returns a submitted artifact to its authors with a note."""

    template_name = "artifacts/registration/return.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        artifact = self.get_artifact()
        if not self.request.viewer.has_perm("artifacts.act_on_artifact", artifact):
            raise Http404
        context.update(artifact=artifact, paper=artifact.submission, form=form or ReturnForm())
        return context

    def post(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        if not request.viewer.has_perm("artifacts.act_on_artifact", artifact):
            raise Http404
        form = ReturnForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.return_artifact(
                artifact=artifact, actor=request.viewer, note=form.cleaned_data["note"]
            )
        except PermissionDenied as refused:
            messages.error(request, f"{refused} Nothing was changed.")
        except ValidationError as error:
            add_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        else:
            messages.success(request, "The artifact was returned to its authors.")
        return redirect(detail_url(self.conference, artifact.submission.number))


class SmokeCheckView(ArtifactMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        try:
            services.request_smoke_check(artifact=artifact, actor=request.viewer)
        except PermissionDenied as refused:
            messages.error(request, f"{refused} Nothing was changed.")
        else:
            messages.success(request, "The automatic checks are running again.")
        return redirect(detail_url(self.conference, artifact.submission.number) + "#smoke-checks")


class RevealSecretView(ArtifactMixin, TemplateView):
    """POST: the access credentials for who may read them (audited). Others: 404."""

    template_name = "artifacts/registration/_secret.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        if not request.viewer.has_perm("artifacts.view_access_secret", artifact):
            raise Http404
        plain = services.reveal_secret(artifact=artifact, actor=request.viewer)
        context = self.get_context_data(**kwargs)
        context.update(artifact=artifact, paper=artifact.submission, secret=plain, revealed=True)
        if not request.headers.get("HX-Request"):
            self.template_name = "artifacts/registration/secret_page.html"
        response = self.render_to_response(context)
        response["Cache-Control"] = "no-store"
        return response
