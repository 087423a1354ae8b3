"""``Submission.objects.active()``: the papers still in the running, named once."""

import pytest

from submissions.enums import Status
from submissions.models import Submission
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
