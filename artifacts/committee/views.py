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
from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.conferences.views.invitations import CsvImportFlow
from mlsys.core import tables


class ManageMixin(ConferenceMixin):
    permission_required = services.MANAGE

    def to_committee(self):
        return redirect("artifacts:committee", conference=self.conference.slug)

    def membership(self):
        return get_object_or_404(
            queries.ae_committee(self.conference, self.viewer), pk=self.kwargs["pk"]
        )


class CommitteeView(ManageMixin, TemplateView):
    template_name = "artifacts/committee/committee.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = tables.page_of(queries.ae_committee(self.conference, self.viewer), self.request)
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


class ImportView(ManageMixin, CsvImportFlow):
    """The AE chairs' CSV import: only AE roles (checked by artifacts.committee.services)."""

    committee_url_name = "artifacts:committee"
    import_url_name = "artifacts:committee_import"
    extra_context = {
        "title": "Invite evaluators from CSV",
        "nav_template": "artifacts/setup/_nav.html",
        "help_template": "artifacts/committee/_csv_help.html",
        "show_side": False,
        "default_role": "ae_evaluator",
    }

    def check(self, text: str):
        return services.check_csv(text, conference=self.conference)

    def perform_import(self, text: str) -> list:
        return services.import_csv(conference=self.conference, text=text, actor=self.request.viewer)


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
