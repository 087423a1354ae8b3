"""The discussion lead's "Papers you lead" page (reviews:leading): each paper they lead, its
reviews so far and the state of their meta-review, with the way to write it. The lead email
points here. Papers the viewer is conflicted with are never listed."""

from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from reviews.enums import ReviewState
from reviews.meta.queries import led_meta_reviews
from reviews.meta.services import discussion_started
from reviews.rules import conflicted_submission_ids


class LeadingView(ConferenceMixin, TemplateView):
    # Reviewing roles, like "My reviews": leads are PC members and area chairs; anyone else in
    # a reviewing role simply leads nothing.
    permission_required = "reviews.edit_reviewer_profile"
    template_name = "reviews/meta/leading.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        metas = list(
            led_meta_reviews(
                user, self.conference, exclude_ids=conflicted_submission_ids(user, self.conference)
            )
        )
        context.update(
            metas=metas,
            to_write=sum(1 for m in metas if m.state != ReviewState.SUBMITTED),
            started=discussion_started(self.conference),
            decisions_released=bool(self.conference.decisions_released_at),
        )
        return context
