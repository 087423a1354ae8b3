"""Chair pages for a track's extra questions: list + add, edit, delete, move up/down.

Chair-only (``conferences.change_conference``); a track of another conference, or a question
of another track, answers 404. Every write goes through submissions.extra_fields.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from mlsys.conferences.mixins import ChairMixin
from mlsys.conferences.views.base import ServiceFormMixin
from submissions import extra_fields as services
from submissions.extra_field_forms import ExtraFieldForm
from submissions.models import ExtraField


class TrackQuestionsMixin(ChairMixin):
    """Resolves ``self.track`` (of this conference) and, with ``pk``, ``self.extra_field``."""

    def get_track(self):
        if not hasattr(self, "track"):
            self.track = get_object_or_404(self.conference.tracks, pk=self.kwargs["track"])
        return self.track

    def get_extra_field(self) -> ExtraField:
        return get_object_or_404(
            ExtraField.objects.select_related("track"), track=self.get_track(), pk=self.kwargs["pk"]
        )

    def list_url(self) -> str:
        return reverse(
            "submissions:extra_fields",
            kwargs={"conference": self.conference.slug, "track": self.get_track().pk},
        )

    def get_success_url(self) -> str:
        return self.list_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["track"] = self.get_track()
        return context


class ExtraFieldListView(TrackQuestionsMixin, ServiceFormMixin, FormView):
    """GET: the track's questions with their answer counts, and a form to add one.
    POST: add a question."""

    template_name = "submissions/extra_fields/list.html"
    form_class = ExtraFieldForm
    success_message = "Question added."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["conference"]
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        track = self.get_track()
        usage = services.answer_usage(track)
        fields = track.extra_fields.order_by("order", "pk")
        context["rows"] = [(f, usage.get(f.pk, services.Usage()).answers) for f in fields]
        return context

    def perform(self, form) -> None:
        services.create_extra_field(
            track=self.get_track(), data=form.cleaned_data, actor=self.request.user
        )


class ExtraFieldEditView(TrackQuestionsMixin, ServiceFormMixin, FormView):
    template_name = "submissions/extra_fields/form.html"
    form_class = ExtraFieldForm
    success_message = "Question saved."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["conference"]
        self.extra_field = self.get_extra_field()
        kwargs["initial"] = {name: getattr(self.extra_field, name) for name in services.FIELDS}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["extra_field"] = self.extra_field
        usage = services.answer_usage(self.get_track()).get(self.extra_field.pk, services.Usage())
        context["usage"] = usage
        return context

    def perform(self, form) -> None:
        services.update_extra_field(
            extra_field=self.extra_field, data=form.cleaned_data, actor=self.request.user
        )


class ExtraFieldDeleteView(TrackQuestionsMixin, TemplateView):
    """GET: a confirmation page (or why the question can't be deleted). POST: delete."""

    template_name = "submissions/extra_fields/delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        extra_field = self.get_extra_field()
        context["extra_field"] = extra_field
        usage = services.answer_usage(self.get_track()).get(extra_field.pk, services.Usage())
        context["answer_count"] = usage.answers
        return context

    def post(self, request, *args, **kwargs):
        extra_field = self.get_extra_field()
        try:
            services.delete_extra_field(extra_field=extra_field, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Question “{extra_field.label}” deleted.")
        return redirect(self.list_url())


class ExtraFieldMoveView(TrackQuestionsMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        extra_field = self.get_extra_field()
        try:
            services.move_extra_field(
                extra_field=extra_field,
                direction=request.POST.get("direction", ""),
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.list_url())
