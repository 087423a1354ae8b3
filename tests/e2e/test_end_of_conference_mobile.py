"""An author reads an accepted paper's page on a phone (390 px): long file names and email
addresses wrap instead of widening the page (it scrolled sideways to 558 px on the demo)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mlsys.conferences import enums
from tests import factories
from tests.e2e.helpers import login, shot

pytestmark = pytest.mark.e2e

LONG_NAME = "Vane_Making_Training_Data_Pipelines_Practical_with_a_Dataflow_Programming.pdf"


def test_accepted_paper_page_fits_a_phone(page):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    conference.deadlines.filter(kind=enums.DeadlineKind.SUBMISSION).update(
        at=timezone.now() - timedelta(days=30)
    )
    author = factories.UserFactory(
        name="Laila Zhou", email="laila.zhou-and-a-long-address@tensorloom-research.example"
    )
    paper = factories.SubmissionFactory(
        conference=conference, number=1, status="accepted", title="Vane"
    )
    factories.AuthorFactory(
        submission=paper, order=0, name=author.name, email=author.email, user=author
    )
    current = factories.SubmissionFileFactory(submission=paper, original_name=LONG_NAME)
    paper.current_paper = current
    paper.save(update_fields=["current_paper"])

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, author.email)
    page.goto(f"/c/{conference.slug}/submissions/1/")
    page.get_by_text(LONG_NAME).first.wait_for()
    shot(page, "end-of-conference-accepted-paper-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
