"""The AE chair's configuration pages (namespace ``artifacts``, under
/c/<slug>/artifacts/setup/): settings and AE dates, the badge set (add, edit, reorder, retire,
restore, delete an unused one after confirming). Only ``artifacts.manage_ae`` (AE chairs and
program chairs) reach them; anyone else gets 404. Every write is a service of
artifacts.setup.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from artifacts.models import Badge
from artifacts.setup import forms, queries, services
from mlsys.conferences.mixins import ConferenceMixin


def add_service_errors(form, exc: ValidationError) -> None:
    """The service's messages on the form: on their field when the form has it, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ManageMixin(ConferenceMixin):
    permission_required = services.MANAGE

    def back(self, name: str = "artifacts:badges"):
        return redirect(name, conference=self.conference.slug)


class SettingsView(ManageMixin, View):
    """The settings and the AE dates: two forms on one page, each saved on its own."""

    template_name = "artifacts/setup/settings.html"

    def get(self, request, *args, **kwargs):
        settings = services.settings_for(conference=self.conference, actor=request.viewer)
        return self.page(
            forms.SettingsForm(instance=settings),
            forms.DatesForm(conference=self.conference),
        )

    def post(self, request, *args, **kwargs):
        settings = services.settings_for(conference=self.conference, actor=request.viewer)
        if request.POST.get("part") == "dates":
            dates = forms.DatesForm(request.POST, conference=self.conference)
            if dates.is_valid():
                try:
                    services.set_ae_dates(
                        conference=self.conference, schedule=dates.schedule(), actor=request.viewer
                    )
                except ValidationError as exc:
                    add_service_errors(dates, exc)
                else:
                    messages.success(request, "Artifact evaluation dates saved.")
                    return redirect("artifacts:settings", conference=self.conference.slug)
            return self.page(forms.SettingsForm(instance=settings), dates, status=400)
        form = forms.SettingsForm(request.POST, instance=settings)
        if form.is_valid():
            try:
                services.update_settings(
                    conference=self.conference,
                    data=form.data_for_service(),
                    actor=request.viewer,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Artifact evaluation settings saved.")
                return redirect("artifacts:settings", conference=self.conference.slug)
        return self.page(form, forms.DatesForm(conference=self.conference), status=400)

    def page(self, form, dates, status: int = 200):
        context = {"conference": self.conference, "form": form, "dates_form": dates}
        return render(self.request, self.template_name, context, status=status)


class BadgeListView(ManageMixin, TemplateView):
    template_name = "artifacts/setup/badges.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services.settings_for(conference=self.conference, actor=self.request.viewer)
        rows = list(queries.with_usage(self.conference))
        labels = dict(services.registration_field_choices())
        for badge in rows:
            badge.field_labels = [labels.get(name, name) for name in badge.required_fields]
        context.update(
            badges=rows,
            active=[b for b in rows if b.active],
            retired=[b for b in rows if not b.active],
            warnings=queries.set_warnings(rows),
        )
        return context


class BadgeFormView(ManageMixin, View):
    template_name = "artifacts/setup/badge_form.html"

    def get_badge(self) -> Badge | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Badge, conference=self.conference, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        badge = self.get_badge()
        return self.page(forms.BadgeForm(instance=badge, conference=self.conference), badge)

    def post(self, request, *args, **kwargs):
        badge = self.get_badge()
        form = forms.BadgeForm(request.POST, instance=badge, conference=self.conference)
        if form.is_valid():
            try:
                if badge is None:
                    saved = services.create_badge(
                        conference=self.conference,
                        data=form.data_for_service(),
                        actor=request.viewer,
                    )
                else:
                    saved = services.update_badge(
                        badge=badge, data=form.data_for_service(), actor=request.viewer
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Saved the badge “{saved.label}”.")
                return self.back()
        return self.page(form, badge, status=400)

    def page(self, form, badge, status: int = 200):
        context = {"conference": self.conference, "form": form, "badge": badge}
        return render(self.request, self.template_name, context, status=status)


class BadgeActionView(ManageMixin, View):
    """Move up/down, retire, restore (POST only; the badge page's buttons)."""

    http_method_names = ["post"]
    action = ""

    def post(self, request, *args, **kwargs):
        badge = get_object_or_404(Badge, conference=self.conference, pk=kwargs["pk"])
        try:
            if self.action in ("up", "down"):
                step = -1 if self.action == "up" else 1
                services.move_badge(badge=badge, step=step, actor=request.viewer)
            elif self.action == "retire":
                services.retire_badge(badge=badge, actor=request.viewer)
                messages.success(request, _retired_message(badge))
            else:
                services.restore_badge(badge=badge, actor=request.viewer)
                messages.success(request, f"“{badge.label}” can be requested again.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return self.back()


def _retired_message(badge: Badge) -> str:
    message = f"Retired “{badge.label}”: new artifacts can no longer request it."
    requiring = [b.label for b in queries.requiring(badge) if b.active]
    if requiring:
        message += f" {', '.join(requiring)} still require it: edit or retire them."
    return message


class BadgeDeleteView(ManageMixin, TemplateView):
    """Confirmation page: what the deletion touches; refused for a badge in use."""

    template_name = "artifacts/setup/badge_delete.html"

    def get_badge(self) -> Badge:
        return get_object_or_404(Badge, conference=self.conference, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        badge = self.get_badge()
        context.update(
            badge=badge,
            usage=queries.badge_usage(badge),
            requiring=queries.requiring(badge),
            excluding=list(badge.excludes.order_by("order", "pk")),
        )
        return context

    def post(self, request, *args, **kwargs):
        badge = self.get_badge()
        try:
            services.delete_badge(badge=badge, actor=request.viewer)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(
                reverse(
                    "artifacts:badge_delete",
                    kwargs={"conference": self.conference.slug, "pk": badge.pk},
                )
            )
        messages.success(request, f"Deleted the badge “{badge.label}”.")
        return self.back()
