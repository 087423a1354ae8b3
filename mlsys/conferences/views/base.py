"""What every chair form page shares: call a service, turn its ValidationError into field errors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse


class ServiceFormMixin:
    """``form_valid`` calls the view's ``perform(form)``, which calls one service. A
    ValidationError from the service re-shows the form with the service's field-level messages
    (nothing was written: services are atomic)."""

    success_message = "Saved."
    success_url_name: str = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["conference"] = self.conference
        return kwargs

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        return reverse(self.success_url_name, kwargs={"conference": self.conference.slug})
