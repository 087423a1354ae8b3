"""``submission_is_editable``: the one definition of "authors may change this paper now"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind
from submissions.enums import Status
from submissions.services.editing import submission_is_editable
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "before_deadline", "editable"),
    [
        (Status.DRAFT, True, True),
        (Status.SUBMITTED, True, True),
        (Status.WITHDRAWN, True, False),
        (Status.DESK_REJECTED, True, False),
        (Status.ACCEPTED, True, False),
        (Status.REJECTED, True, False),
        (Status.DRAFT, False, False),
        (Status.SUBMITTED, False, False),
    ],
)
def test_editable_needs_an_open_status_and_an_open_submission_phase(
    status, before_deadline, editable
):
    conference = factories.conference_in_submission_phase()
    paper = factories.SubmissionFactory(conference=conference, status=status)
    if not before_deadline:
        conference.deadlines.filter(kind=DeadlineKind.SUBMISSION).update(
            at=timezone.now() - timedelta(days=1)
        )

    assert submission_is_editable(paper, conference.timeline()) is editable
