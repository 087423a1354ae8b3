"""Chairs edit the conference's email templates: the list of registered templates
(mail:templates), the editor (mail:template_edit) and reset to the default
(mail:template_reset). Anyone but a chair gets 404; writes go through mlsys.mail.overrides."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from mlsys.mail import defaults, overrides
from mlsys.mail.forms import TemplateForm
from mlsys.mail.models import EmailTemplate
from mlsys.mail.services import render


class MailChairMixin(ConferenceMixin):
    permission_required = "conferences.manage_mail"

    def get_default(self) -> defaults.DefaultTemplate:
        try:
            return defaults.get(self.kwargs["key"])
        except KeyError:
            raise Http404 from None

    def list_url(self) -> str:
        return reverse("mail:templates", kwargs={"conference": self.conference.slug})


class TemplateListView(MailChairMixin, TemplateView):
    template_name = "mail/templates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overridden = dict(
            EmailTemplate.objects.filter(conference=self.conference).values_list(
                "key", "updated_at"
            )
        )
        context["templates"] = [
            (template, overridden.get(template.key)) for template in defaults.all_templates()
        ]
        return context


class TemplateEditView(MailChairMixin, TemplateView):
    template_name = "mail/template_edit.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        default = self.get_default()
        override = EmailTemplate.objects.filter(conference=self.conference, key=default.key).first()
        if form is None:
            source = override or default
            form = TemplateForm(
                initial={"subject": source.subject, "body": source.body}, key=default.key
            )
        sample = {name: f"[{name}]" for name in default.placeholders}
        subject = form["subject"].value() or ""
        body = form["body"].value() or ""
        context.update(
            default=default,
            override=override,
            form=form,
            preview_subject=render(subject, sample),
            preview_body=render(body, sample),
        )
        return context

    def post(self, request, *args, **kwargs):
        default = self.get_default()
        form = TemplateForm(request.POST, key=default.key)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        overrides.save_override(
            self.conference,
            default.key,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            actor=request.user,
        )
        messages.success(request, f"Saved the {self.conference} wording of “{default.key}”.")
        return redirect(self.list_url())


class TemplateResetView(MailChairMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        default = self.get_default()
        if overrides.reset_override(self.conference, default.key, actor=request.user):
            messages.success(request, f"“{default.key}” uses the default wording again.")
        return redirect(self.list_url())
