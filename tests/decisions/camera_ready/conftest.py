"""An accepted paper in a conference whose camera-ready phase is open, with its author (Ada),
a co-author without an account, a licence and a PC member who may shepherd it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from decisions.models import LicenceText
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Deadline
from tests import factories

LICENCE = "The authors grant MLSys a non-exclusive licence to publish the paper."


@pytest.fixture
def conference(conference):
    """The shared conference, moved on to its camera-ready phase: decisions released a day
    ago, camera-ready due in ten days."""
    now = timezone.now()
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.DECISION).update(
        at=now - timedelta(days=1)
    )
    factories.DeadlineFactory(
        conference=conference, kind=DeadlineKind.CAMERA_READY, at=now + timedelta(days=10)
    )
    conference.decisions_released_at = now - timedelta(days=1)
    conference.save(update_fields=["decisions_released_at"])
    return conference


def accepted_paper(conference, *authors, number=None, **kwargs):
    paper = factories.SubmissionFactory(
        conference=conference, status="accepted", authors=list(authors), **kwargs
    )
    factories.AuthorFactory(
        submission=paper,
        order=len(authors),
        name="Bob Coauthor",
        email="bob@lab.example.org",
        affiliation="Lab",
    )
    return paper


@pytest.fixture
def paper(conference, author):
    return accepted_paper(conference, author)


@pytest.fixture
def licence(conference, chair):
    return LicenceText.objects.create(conference=conference, version=1, text=LICENCE)


@pytest.fixture
def shepherd(ml_reviewer):
    return ml_reviewer
