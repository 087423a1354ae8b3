"""The reviewer's "My reviews" page: their released, live assignments with the state of each
review, the deadline and what remains; nothing else.

Unreleased and declined assignments, other people's assignments and papers the reviewer is
conflicted with are never shown. Author names appear only on tracks whose anonymity is open.
"""

from django.utils import timezone
from django.views.generic import TemplateView

from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.mixins import ConferenceMixin
from reviews.lateness import days_late, late_by
from reviews.meta.queries import led_submission_ids
from reviews.reviewing.queries import SUBMITTED, my_review_rows
from reviews.reviewing.services import writing_closed_reason
from reviews.rules import conflicted_submission_ids


class MyPapersView(ConferenceMixin, TemplateView):
    # Reviewing roles (PC members, area chairs, external reviewers): the same predicate as the
    # reviewer profile.
    permission_required = "reviews.edit_reviewer_profile"
    template_name = "reviews/my_papers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = my_review_rows(self.request.user, self.conference)
        deadline = self.conference.deadline_map().get(DeadlineKind.REVIEW)
        now = timezone.now()
        for row in rows:
            # Unfinished reviews are late from the deadline on; submitted ones if they came in
            # after it.
            finished_at = row.review.submitted_at if row.status == SUBMITTED else now
            row.late_days = days_late(deadline.at if deadline else None, finished_at)
            row.late_by = late_by(deadline.at if deadline else None, finished_at)
        # Like "Papers you lead": never a paper the lead has become conflicted with.
        led = led_submission_ids(self.request.user, self.conference) - conflicted_submission_ids(
            self.request.user, self.conference
        )
        for row in rows:
            row.is_lead = row.assignment.submission_id in led
        context.update(
            rows=rows,
            assignments=[row.assignment for row in rows],
            submitted_count=sum(1 for row in rows if row.status == SUBMITTED),
            deadline=deadline,
            late_count=sum(1 for row in rows if row.late_by and row.status != SUBMITTED),
            leading_count=len(led),
            closed_reason=writing_closed_reason(self.conference),
        )
        return context
