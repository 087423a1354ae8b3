"""Invite from a previous conference: pick one whose committee you may see (you chair it, this
conference was started from it, or you are site staff), then tick the people to invite, with
their role, side and loads from there pre-filled. A conference you may not see the committee of
answers 404, as its own committee page does."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences import committee_reuse, invitations
from mlsys.conferences.mixins import ChairMixin
from mlsys.conferences.models import Conference
from mlsys.conferences.returning_forms import ReturningForm


class ReturningPickView(ChairMixin, TemplateView):
    template_name = "conferences/invitations/returning_pick.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = list(
            committee_reuse.source_conferences(self.request.user, self.conference)
        )
        return context


class ReturningInviteView(ChairMixin, View):
    template_name = "conferences/invitations/returning.html"

    def _source(self) -> Conference:
        source = get_object_or_404(
            Conference.objects.exclude(pk=self.conference.pk), slug=self.kwargs["source"]
        )
        if not self.request.viewer.has_perm("conferences.reuse_committee", source):
            raise Http404
        return source

    def _page(self, source, form, status=200, error=""):
        context = {
            "conference": self.conference,
            "source": source,
            "form": form,
            "rows": form.rows(),
            "error": error,
        }
        return render(self.request, self.template_name, context, status=status)

    def _form(self, source, data=None) -> ReturningForm:
        members = committee_reuse.previous_committee(source, self.conference)
        return ReturningForm(data, members=members)

    def get(self, request, *args, **kwargs):
        source = self._source()
        return self._page(source, self._form(source))

    def post(self, request, *args, **kwargs):
        source = self._source()
        form = self._form(source, request.POST)
        if not form.is_valid():
            return self._page(source, form, status=400)
        try:
            created = invitations.invite_returning(
                conference=self.conference, source=source, people=form.people(), actor=request.user
            )
        except ValidationError as exc:
            # Someone was invited here since the page was shown: the fresh list marks them;
            # nothing was written.
            fresh = self._form(source, request.POST)
            return self._page(source, fresh, status=409, error=" ".join(exc.messages))
        people = pluralize(len(created), "person,people")
        messages.success(
            request,
            f"Invited {len(created)} {people} from {source.name}; "
            "the invitation emails are on their way.",
        )
        return redirect("conferences:committee", conference=self.conference.slug)
