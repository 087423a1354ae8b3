"""The reviewer's "My papers" page: their released assignments, nothing else.

Unreleased assignments, other people's assignments and papers the reviewer is conflicted with
are never shown. Author names appear only on tracks whose anonymity is open.
"""

from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from reviews.assignment.queries import released_assignments_for
from reviews.rules import conflicted_submission_ids


class MyPapersView(ConferenceMixin, TemplateView):
    # Reviewing roles (PC members, area chairs, external reviewers): the same predicate as the
    # reviewer profile.
    permission_required = "reviews.edit_reviewer_profile"
    template_name = "reviews/my_papers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conflicted = conflicted_submission_ids(self.request.user, self.conference)
        context["assignments"] = [
            a
            for a in released_assignments_for(self.request.user, self.conference)
            if a.submission_id not in conflicted
        ]
        return context
