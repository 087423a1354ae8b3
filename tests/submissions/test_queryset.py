"""``Submission.objects.active()`` and ``paper_is_active()``: the papers still in the running."""

import pytest

from reviews.models import MetaReview
from submissions.enums import Status
from submissions.models import Submission, paper_is_active
from tests import factories

pytestmark = pytest.mark.django_db


def test_active_keeps_submitted_and_decided_papers_only():
    conference = factories.conference_in_submission_phase()
    papers = {
        status: factories.SubmissionFactory(conference=conference, status=status)
        for status in Status.values
    }
    other = factories.SubmissionFactory(status=Status.SUBMITTED)

    assert set(Submission.objects.active()) == {
        papers[Status.SUBMITTED],
        papers[Status.ACCEPTED],
        papers[Status.REJECTED],
        other,
    }
    assert set(conference.submissions.active()) == {
        papers[Status.SUBMITTED],
        papers[Status.ACCEPTED],
        papers[Status.REJECTED],
    }


def test_paper_is_active_filters_other_rows_by_their_paper():
    conference = factories.conference_in_submission_phase()
    lead = factories.UserFactory()
    metas = {
        status: factories.MetaReviewFactory(
            submission=factories.SubmissionFactory(conference=conference, status=status),
            lead=lead,
        )
        for status in Status.values
    }
    assert set(MetaReview.objects.filter(paper_is_active())) == {
        metas[Status.SUBMITTED],
        metas[Status.ACCEPTED],
        metas[Status.REJECTED],
    }
