"""Issue 13: the camera-ready deadline is judged at the request's arrival (``viewer.now``), as
the submission deadline is (tests/submissions/test_rush_arrival.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Conference, Deadline
from mlsys.conferences.viewer import Viewer

pytestmark = pytest.mark.django_db


def test_an_upload_that_arrived_before_the_camera_ready_deadline_may_still_be_made(
    conference, author, paper
):
    closed_at = timezone.now() - timedelta(seconds=2)
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.CAMERA_READY).update(
        at=closed_at
    )
    paper.conference = Conference.objects.get(pk=conference.pk)

    arrived_in_time = Viewer(author, arrived_at=closed_at - timedelta(seconds=2))
    assert arrived_in_time.has_perm("decisions.edit_camera_ready", paper)
    assert not Viewer(author).has_perm("decisions.edit_camera_ready", paper)
