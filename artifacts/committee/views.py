"""The AE committee pages (namespace ``artifacts``): the AE chair's committee table, inviting
one person or a CSV, resending, an evaluator's load; and the evaluator's own hardware profile.

The committee pages need ``artifacts.manage_ae`` (AE chairs and program chairs); the hardware
page ``artifacts.evaluator_pages`` (AE evaluators). Anyone else gets 404. Every write is a
service of artifacts.committee.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from artifacts.committee import forms, queries, services
from artifacts.setup.views import add_service_errors
from mlsys.conferences import invitation_csv
from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.invitation_forms import ConfirmImportForm, ImportForm
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import tables


class ManageMixin(ConferenceMixin):
    permission_required = services.MANAGE

    def to_committee(self):
        return redirect("artifacts:committee", conference=self.conference.slug)

    def membership(self):
        return get_object_or_404(queries.ae_committee(self.conference), pk=self.kwargs["pk"])


class CommitteeView(ManageMixin, TemplateView):
    template_name = "artifacts/committee/committee.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = tables.page_of(queries.ae_committee(self.conference), self.request)
        default = services.default_load(self.conference)
        rows = list(page.object_list)
        for member in rows:
            member.profile = getattr(member.user, "hardware_profile", None)
            member.hardware = services.hardware_summary(member.profile)
            member.load_limit = member.max_load if member.max_load is not None else default
        counts = dict.fromkeys(InvitationStatus.values, 0)
        for status in queries.ae_committee(self.conference).values_list("status", flat=True):
            counts[status] += 1
        context.update(
            page_obj=page,
            members=rows,
            default_load=default,
            status_counts=[(InvitationStatus(s).label, n) for s, n in counts.items()],
            querystring=tables.query(self.request, exclude=["page"]),
            evaluator_role=Role.AE_EVALUATOR,
        )
        return context


class InviteView(ManageMixin, View):
    template_name = "artifacts/committee/invite.html"

    def get(self, request, *args, **kwargs):
        return self.page(forms.InviteForm())

    def post(self, request, *args, **kwargs):
        form = forms.InviteForm(request.POST)
        if form.is_valid():
            try:
                membership = services.invite(
                    conference=self.conference, invitee=form.invitee(), actor=request.viewer
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Invited {membership.user} ({membership.user.email}) as "
                    f"{membership.get_role_display()}; the invitation email is on its way.",
                )
                return self.to_committee()
        return self.page(form, status=400)

    def page(self, form, status: int = 200):
        context = {"conference": self.conference, "form": form}
        return render(self.request, self.template_name, context, status=status)


class ImportView(ManageMixin, View):
    """Upload or paste a CSV → preview with every row and problem → confirm → import all."""

    template_name = "artifacts/committee/import.html"
    preview_template = "artifacts/committee/import_preview.html"

    def get(self, request, *args, **kwargs):
        return self._form_page(ImportForm())

    def post(self, request, *args, **kwargs):
        if "csv_text" in request.POST:
            return self._confirm(ConfirmImportForm(request.POST))
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._form_page(form, status=400)
        return self._preview(form.cleaned_data["csv_text"])

    def _form_page(self, form, status=200):
        context = {"form": form, "conference": self.conference, "columns": invitation_csv.COLUMNS}
        return render(self.request, self.template_name, context, status=status)

    def _preview(self, text: str, status: int | None = None):
        report = services.check_csv(text, conference=self.conference)
        context = {
            "conference": self.conference,
            "report": report,
            "confirm_form": ConfirmImportForm(initial={"csv_text": text}) if report.ok else None,
            "form": ImportForm(initial={"text": text}),
        }
        return render(
            self.request,
            self.preview_template,
            context,
            status=status or (200 if report.ok else 400),
        )

    def _confirm(self, form):
        if not form.is_valid():
            return self._form_page(ImportForm(), status=400)
        text = form.cleaned_data["csv_text"]
        try:
            created = services.import_csv(
                conference=self.conference, text=text, actor=self.request.viewer
            )
        except ValidationError:
            # Something changed since the preview: show the fresh report; nothing was written.
            return self._preview(text, status=409)
        messages.success(
            self.request,
            f"Invited {len(created)} {'person' if len(created) == 1 else 'people'}; "
            "the invitation emails are on their way.",
        )
        return self.to_committee()


class ResendView(ManageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = self.membership()
        try:
            services.resend(membership=membership, actor=request.viewer)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Sent the invitation to {membership.user.email} again.")
        return redirect(tables.back_to(request, self.to_committee().url))


class LoadView(ManageMixin, View):
    template_name = "artifacts/committee/load.html"

    def get(self, request, *args, **kwargs):
        membership = self.membership()
        return self.page(membership, forms.LoadForm(initial={"max_load": membership.max_load}))

    def post(self, request, *args, **kwargs):
        membership = self.membership()
        form = forms.LoadForm(request.POST)
        if form.is_valid():
            try:
                services.set_load_limit(
                    membership=membership,
                    max_load=form.cleaned_data["max_load"],
                    actor=request.viewer,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Saved the load limit of {membership.user}.")
                return self.to_committee()
        return self.page(membership, form, status=400)

    def page(self, membership, form, status: int = 200):
        context = {
            "conference": self.conference,
            "member": membership,
            "form": form,
            "default_load": services.default_load(self.conference),
        }
        return render(self.request, self.template_name, context, status=status)


class HardwareView(ConferenceMixin, View):
    """The evaluator's own hardware profile (theirs at every conference)."""

    permission_required = "artifacts.evaluator_pages"
    template_name = "artifacts/committee/hardware.html"

    def get(self, request, *args, **kwargs):
        profile = services.hardware_of(request.user)
        return self.page(forms.HardwareForm(initial=forms.HardwareForm.initial_for(profile)))

    def post(self, request, *args, **kwargs):
        form = forms.HardwareForm(request.POST)
        if form.is_valid():
            try:
                services.save_hardware(
                    conference=self.conference, data=form.cleaned_data, actor=request.viewer
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Hardware profile saved.")
                return redirect("artifacts:hardware", conference=self.conference.slug)
        return self.page(form, status=400)

    def page(self, form, status: int = 200):
        context = {"conference": self.conference, "form": form}
        return render(self.request, self.template_name, context, status=status)
