"""Chair pages that configure a conference: settings, tracks, topics, deadlines, phases."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from mlsys.conferences import forms, queries, services
from mlsys.conferences.enums import Area, Phase
from mlsys.conferences.mixins import ChairMixin
from mlsys.conferences.phases import ORDER
from mlsys.conferences.views.base import ServiceFormMixin


class SettingsView(ChairMixin, ServiceFormMixin, FormView):
    template_name = "conferences/settings.html"
    form_class = forms.ConferenceSettingsForm
    success_message = "Conference settings saved."
    success_url_name = "conferences:settings"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["conference"]
        # A copy, so an invalid form does not leak into the conference bar of this response.
        kwargs["instance"] = type(self.conference).objects.get(pk=self.conference.pk)
        return kwargs

    def perform(self, form) -> None:
        services.update_conference(
            conference=self.conference, data=form.cleaned_data, actor=self.request.user
        )


# --- Tracks -----------------------------------------------------------------------------------


class TrackListView(ChairMixin, TemplateView):
    template_name = "conferences/tracks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tracks"] = queries.tracks_with_usage(self.conference)
        return context


class TrackMixin:
    def get_track(self):
        return get_object_or_404(self.conference.tracks, pk=self.kwargs["pk"])


class TrackCreateView(ChairMixin, ServiceFormMixin, FormView):
    template_name = "conferences/track_form.html"
    form_class = forms.TrackForm
    success_message = "Track created."
    success_url_name = "conferences:tracks"

    def perform(self, form) -> None:
        services.create_track(
            conference=self.conference, data=form.cleaned_data, actor=self.request.user
        )


class TrackEditView(ChairMixin, ServiceFormMixin, UpdateView):
    # ServiceFormMixin.form_valid calls perform() instead of UpdateView's form.save().
    template_name = "conferences/track_form.html"
    form_class = forms.TrackForm
    context_object_name = "track"
    success_message = "Track saved."
    success_url_name = "conferences:tracks"

    def get_queryset(self):
        return self.conference.tracks.all()

    def perform(self, form) -> None:
        services.update_track(track=self.object, data=form.cleaned_data, actor=self.request.user)


class TrackDeleteView(ChairMixin, TrackMixin, TemplateView):
    """GET: a confirmation page (or why it can't be deleted). POST: delete."""

    template_name = "conferences/track_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        track = self.get_track()
        context["track"] = track
        context["submission_count"] = track.submissions.count()
        return context

    def post(self, request, *args, **kwargs):
        track = self.get_track()
        try:
            services.delete_track(track=track, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Track “{track.name}” deleted.")
        return redirect("conferences:tracks", conference=self.conference.slug)


# --- Topics -----------------------------------------------------------------------------------


class TopicListView(ChairMixin, TemplateView):
    """Topics by area, with a form to add one and a form to add several."""

    template_name = "conferences/topics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topics = list(queries.topics_with_usage(self.conference))
        context["topic_groups"] = [
            (label, [t for t in topics if t.area == area]) for area, label in Area.choices
        ]
        context.setdefault("form", forms.TopicForm(conference=self.conference))
        context.setdefault(
            "bulk_form", forms.TopicBulkForm(prefix="bulk", initial={"area": Area.ML})
        )
        return context


class TopicCreateView(ServiceFormMixin, TopicListView, FormView):
    form_class = forms.TopicForm
    success_message = "Topic added."
    success_url_name = "conferences:topics"
    http_method_names = ["post"]

    def perform(self, form) -> None:
        services.create_topic(
            conference=self.conference, data=form.data_for_service(), actor=self.request.user
        )


class TopicBulkCreateView(ServiceFormMixin, TopicListView, FormView):
    form_class = forms.TopicBulkForm
    prefix = "bulk"
    success_url_name = "conferences:topics"
    http_method_names = ["post"]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["conference"]
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["bulk_form"] = kwargs.pop("form")
        kwargs["form"] = forms.TopicForm(conference=self.conference)
        return super().get_context_data(**kwargs)

    def perform(self, form) -> None:
        created = services.bulk_create_topics(
            conference=self.conference,
            names=form.cleaned_data["names"],
            area=form.cleaned_data["area"],
            actor=self.request.user,
        )
        self.success_message = f"{len(created)} topics added."


class TopicEditView(ChairMixin, ServiceFormMixin, UpdateView):
    # ServiceFormMixin.form_valid calls perform() instead of UpdateView's form.save().
    template_name = "conferences/topic_form.html"
    form_class = forms.TopicForm
    context_object_name = "topic"
    success_message = "Topic saved."
    success_url_name = "conferences:topics"

    def get_queryset(self):
        return self.conference.topics.all()

    def perform(self, form) -> None:
        services.update_topic(
            topic=self.object, data=form.data_for_service(), actor=self.request.user
        )


class TopicDeleteView(ChairMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        topic = get_object_or_404(self.conference.topics, pk=kwargs["pk"])
        try:
            services.delete_topic(topic=topic, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Topic “{topic.name}” deleted.")
        return redirect("conferences:topics", conference=self.conference.slug)


# --- Schedule ---------------------------------------------------------------------------------


class DeadlinesView(ChairMixin, ServiceFormMixin, FormView):
    template_name = "conferences/deadlines.html"
    form_class = forms.DeadlinesForm
    success_message = "Deadlines saved."
    success_url_name = "conferences:deadlines"

    def perform(self, form) -> None:
        services.set_deadlines(
            conference=self.conference, schedule=form.schedule(), actor=self.request.user
        )


class PhasesView(ChairMixin, ServiceFormMixin, FormView):
    """Each phase's window from the deadlines, whether it is open now, and the chair's switch."""

    template_name = "conferences/phases.html"
    form_class = forms.PhaseSwitchForm
    success_message = "Phase switches saved."
    success_url_name = "conferences:phases"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        timeline = self.conference.timeline()
        context["phase_rows"] = [
            {
                "phase": Phase(phase),
                "window": timeline.window(phase),
                "is_open": timeline.is_open(phase),
                "field": form[phase],
            }
            for phase in ORDER
        ]
        context["current_phase"] = Phase(timeline.current)
        return context

    def perform(self, form) -> None:
        services.set_phase_modes(
            conference=self.conference, modes=form.cleaned_data, actor=self.request.user
        )

    def get_success_url(self) -> str:
        return reverse("conferences:phases", kwargs={"conference": self.conference.slug})
