"""The reviewer's profile for one conference: side and load, topic interests, expertise
(added one by one, pasted, or imported from BibTeX; the person's own, shared by every conference,
with a choice of which papers count here) and the conflicts they declared.

Only the member's own data is reachable: anyone without ``reviews.edit_reviewer_profile`` at
the conference gets 404, and expertise rows of other people are not found.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from reviews import enums
from reviews.models import Expertise
from reviews.profile import queries, services
from reviews.profile.forms import (
    BibtexImportForm,
    ExpertiseForm,
    ExpertisePasteForm,
    ExpertiseSelectionForm,
    SideLoadForm,
    TopicInterestForm,
)

SECTIONS = ("side", "topics", "selection", "expertise", "paste", "bibtex")


class ProfileMixin(ConferenceMixin):
    permission_required = "reviews.edit_reviewer_profile"

    def profile_url(self, anchor: str = "") -> str:
        url = reverse("reviews:profile", kwargs={"conference": self.conference.slug})
        return f"{url}#{anchor}" if anchor else url

    def get_expertise(self) -> Expertise:
        return get_object_or_404(Expertise, pk=self.kwargs["pk"], user=self.request.user)


class ProfileView(ProfileMixin, TemplateView):
    template_name = "reviews/profile/profile.html"

    def _forms(self, bound: str | None = None) -> dict:
        request, conference = self.request, self.conference
        data = request.POST if bound else None
        membership = services.reviewing_memberships(request.user, conference).first()
        topics = conference.topics.order_by("area", "order", "name")
        levels = queries.topic_interests(request.user, conference)

        def pick(name):
            return data if bound == name else None

        return {
            "side_form": SideLoadForm(
                pick("side"),
                initial={"side": membership.side, "max_load": membership.max_load},
                prefix="side",
            ),
            "topics_form": TopicInterestForm(
                pick("topics"), topics=topics, levels=levels, prefix="topics"
            ),
            "selection_form": ExpertiseSelectionForm(
                pick("selection"), user=request.user, prefix="selection"
            ),
            "expertise_form": ExpertiseForm(pick("expertise"), prefix="expertise"),
            "paste_form": ExpertisePasteForm(pick("paste"), prefix="paste"),
            "bibtex_form": BibtexImportForm(
                pick("bibtex"), request.FILES if bound == "bibtex" else None, prefix="bibtex"
            ),
            "membership": membership,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = kwargs.get("forms") or self._forms()
        context.update(
            forms,
            expertise=list(queries.expertise(self.request.user, self.conference)),
            declared_conflicts=list(queries.declared_conflicts(self.request.user, self.conference)),
        )
        return context

    def post(self, request, *args, **kwargs):
        section = request.POST.get("section")
        if section not in SECTIONS:
            return redirect(self.profile_url())
        forms = self._forms(bound=section)
        form = forms[f"{section}_form"]
        if form.is_valid():
            try:
                message = getattr(self, f"_save_{section}")(form)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, message)
                return redirect(self.profile_url(section))
        return self.render_to_response(self.get_context_data(forms=forms), status=400)

    def _save_side(self, form) -> str:
        changed = services.update_side_and_load(
            user=self.request.user,
            conference=self.conference,
            side=form.cleaned_data["side"],
            max_load=form.cleaned_data["max_load"],
        )
        return "Side and load saved." if changed else "Nothing changed."

    def _save_topics(self, form) -> str:
        n = services.set_topic_interests(
            user=self.request.user, conference=self.conference, levels=form.levels()
        )
        return f"Topic interests saved ({n} changed)."

    def _save_selection(self, form) -> str:
        changed = services.set_expertise_selection(
            user=self.request.user,
            conference=self.conference,
            used=[paper.pk for paper in form.cleaned_data["used"]],
        )
        if not changed:
            return "Nothing changed."
        return f"Saved which papers count for {self.conference}."

    def _save_expertise(self, form) -> str:
        services.add_expertise(
            user=self.request.user, conference=self.conference, papers=[form.cleaned_data]
        )
        return f"Added “{form.cleaned_data['title']}”."

    def _save_paste(self, form) -> str:
        papers = form.cleaned_data["text"]
        services.add_expertise(user=self.request.user, conference=self.conference, papers=papers)
        return f"Added {len(papers)} paper{pluralize(len(papers))} from the pasted text."

    def _save_bibtex(self, form) -> str:
        entries = form.cleaned_data["file"]
        services.add_expertise(
            user=self.request.user,
            conference=self.conference,
            papers=[{"title": e.title, "abstract": e.abstract, "year": e.year} for e in entries],
            source=enums.ExpertiseSource.BIBTEX,
        )
        return f"Imported {len(entries)} paper{pluralize(len(entries))} from the BibTeX file."


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ExpertiseEditView(ProfileMixin, TemplateView):
    template_name = "reviews/profile/expertise_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        expertise = self.get_expertise()
        context["expertise"] = expertise
        context["form"] = kwargs.get("form") or ExpertiseForm(instance=expertise)
        return context

    def post(self, request, *args, **kwargs):
        expertise = self.get_expertise()
        form = ExpertiseForm(request.POST, instance=Expertise.objects.get(pk=expertise.pk))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        services.update_expertise(
            expertise=expertise,
            actor=request.user,
            conference=self.conference,
            title=form.cleaned_data["title"],
            abstract=form.cleaned_data["abstract"],
            year=form.cleaned_data["year"],
        )
        messages.success(request, "Paper updated.")
        return redirect(self.profile_url("expertise"))


class ExpertiseDeleteView(ProfileMixin, View):
    def post(self, request, *args, **kwargs):
        expertise = self.get_expertise()
        services.remove_expertise(
            expertise=expertise, actor=request.user, conference=self.conference
        )
        messages.success(request, f"Removed “{expertise.title}”.")
        return redirect(self.profile_url("expertise"))
