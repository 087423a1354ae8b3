"""Chairs' pages: review forms (default and per track) and the reviewing settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from reviews.models import ReviewField, ReviewForm
from reviews.review_forms import ensure_default_form, services
from reviews.review_forms.forms import ReviewFieldForm, ReviewSettingsForm
from reviews.review_forms.queries import forms_of
from reviews.review_forms.usage import is_used, used_values


class ManageReviewsMixin(ConferenceMixin):
    permission_required = "reviews.manage_reviews"

    def forms_url(self, form: ReviewForm | None = None) -> str:
        url = reverse("reviews:forms", kwargs={"conference": self.conference.slug})
        return f"{url}#form-{form.pk}" if form is not None else url

    def get_form_obj(self) -> ReviewForm:
        return get_object_or_404(
            ReviewForm.objects.select_related("track"),
            pk=self.kwargs["form"],
            conference=self.conference,
        )

    def get_field(self) -> ReviewField:
        return get_object_or_404(
            ReviewField.objects.select_related("form__track"),
            pk=self.kwargs["field"],
            form__conference=self.conference,
        )


class ReviewFormsView(ManageReviewsMixin, TemplateView):
    template_name = "reviews/forms/forms.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ensure_default_form(self.conference)
        forms = list(forms_of(self.conference))
        for form in forms:
            fields = list(form.fields.all())
            form.active_list = [f for f in fields if f.active]
            form.removed_list = [f for f in fields if not f.active]
        with_form = {form.track_id for form in forms}
        context.update(
            forms=forms,
            tracks_without_form=[
                track
                for track in self.conference.tracks.order_by("order", "name")
                if track.pk not in with_form
            ],
        )
        return context


class FieldFormView(ManageReviewsMixin, TemplateView):
    """Add a question to a form (``form`` in the URL) or edit one (``field`` in the URL)."""

    template_name = "reviews/forms/field_form.html"

    def dispatch_objects(self):
        if "field" in self.kwargs:
            self.field = self.get_field()
            self.form_obj = self.field.form
            self.locked = is_used(self.field)
        else:
            self.field = None
            self.form_obj = self.get_form_obj()
            self.locked = False

    def get(self, request, *args, **kwargs):
        self.dispatch_objects()
        return self.render_to_response(self.get_context_data(field_form=self.build_form()))

    def post(self, request, *args, **kwargs):
        self.dispatch_objects()
        field_form = self.build_form(request.POST)
        if field_form.is_valid():
            data = field_form.field_data()
            try:
                if self.field is None:
                    field = services.add_field(self.form_obj, data, actor=request.user)
                    messages.success(request, f"Added “{field.label}”.")
                else:
                    field = services.update_field(self.field, data, actor=request.user)
                    messages.success(request, f"Saved “{field.label}”.")
            except ValidationError as error:
                for attr, problems in error.message_dict.items():
                    name = {"scale": "scale_text", "choices": "choices_text"}.get(attr, attr)
                    for problem in problems:
                        field_form.add_error(name, problem)
            else:
                return HttpResponseRedirect(self.forms_url(self.form_obj))
        context = self.get_context_data(field_form=field_form)
        return self.render_to_response(context, status=400)

    def build_form(self, data=None) -> ReviewFieldForm:
        return ReviewFieldForm(
            data, instance=self.field, form_obj=self.form_obj, locked=self.locked
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form_obj=self.form_obj,
            field=self.field,
            locked=self.locked,
            used=sorted(map(str, used_values(self.field))) if self.locked else [],
        )
        return context


class FieldActionView(ManageReviewsMixin, View):
    """POST-only buttons on a question: move up/down, remove, restore."""

    def post(self, request, *args, **kwargs):
        field = self.get_field()
        action = self.kwargs["action"]
        try:
            if action == "move":
                services.move_field(field, request.POST.get("direction", ""), actor=request.user)
            elif action == "remove":
                if services.remove_field(field, actor=request.user):
                    messages.success(request, f"Deleted “{field.label}”.")
                else:
                    messages.success(
                        request,
                        f"Removed “{field.label}” from the form. Reviews already answer it, so "
                        "their answers are kept (hidden); you can restore it below.",
                    )
            elif action == "restore":
                services.restore_field(field, actor=request.user)
                messages.success(request, f"Restored “{field.label}” at the end of the form.")
            else:
                raise Http404
        except services.FormChangeRefused as refused:
            messages.error(request, str(refused))
        return HttpResponseRedirect(self.forms_url(field.form))


class TrackFormCreateView(ManageReviewsMixin, View):
    def post(self, request, *args, **kwargs):
        track = get_object_or_404(self.conference.tracks, pk=self.kwargs["track"])
        try:
            form = services.create_track_form(self.conference, track, actor=request.user)
        except services.FormChangeRefused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(self.forms_url())
        messages.success(request, f"{track.name} now has its own form, copied from the default.")
        return HttpResponseRedirect(self.forms_url(form))


class TrackFormDeleteView(ManageReviewsMixin, View):
    def post(self, request, *args, **kwargs):
        form = self.get_form_obj()
        try:
            services.delete_track_form(form, actor=request.user)
        except services.FormChangeRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{form.track.name} uses the default form again.")
        return HttpResponseRedirect(self.forms_url())


class ReviewSettingsView(ManageReviewsMixin, TemplateView):
    template_name = "reviews/forms/settings.html"

    def get(self, request, *args, **kwargs):
        form = ReviewSettingsForm(instance=self.conference)
        return self.render_to_response(self.get_context_data(settings_form=form))

    def post(self, request, *args, **kwargs):
        # Bound to a copy so a refused value never shows up in the page's conference bar.
        form = ReviewSettingsForm(request.POST, instance=type(self.conference)(pk=None))
        if form.is_valid():
            services.update_review_settings(self.conference, form.cleaned_data, actor=request.user)
            messages.success(request, "Reviewing settings saved.")
            return HttpResponseRedirect(
                reverse("reviews:review_settings", kwargs={"conference": self.conference.slug})
            )
        return self.render_to_response(self.get_context_data(settings_form=form), status=400)
