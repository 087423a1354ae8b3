"""Issue-9 journey in a real browser (named domain words): a chair edits a track through the
form whose groups come from the one list of track fields, and an author's paper page offers
editing exactly while ``submission_is_editable`` says so."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, Role
from mlsys.conferences.models import Track
from mlsys.conferences.services import TRACK_FIELD_GROUPS
from tests import factories
from tests.e2e.helpers import login, logout, shot

pytestmark = pytest.mark.e2e


def test_chair_edits_a_track_in_its_groups_and_the_author_page_follows_editability(
    page, live_server
):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(name="Cora Chair", email="cora@chairs.example.org")
    factories.MembershipFactory(conference=conference, user=chair, role=Role.PROGRAM_CHAIR)
    track = conference.tracks.get(slug="research")

    login(page, chair.email)
    page.goto(f"/c/{conference.slug}/tracks/{track.pk}/")
    legends = page.locator("form fieldset legend").all_inner_texts()
    assert legends == [title for title, _ in TRACK_FIELD_GROUPS]
    page.get_by_label("Maximum PDF size (MB)").fill("12")
    shot(page, "issue9-track-form")
    page.get_by_role("button", name="Save track").click()
    page.wait_for_url(f"**/c/{conference.slug}/tracks/")
    assert Track.objects.get(pk=track.pk).max_paper_mb == 12
    logout(page)

    author = factories.UserFactory(name="Ada Author", email="ada@uni.example.edu")
    paper = factories.SubmissionFactory(
        conference=conference, track=track, status="submitted", authors=[author]
    )
    login(page, author.email)
    page.goto(f"/c/{conference.slug}/submissions/{paper.number}/")
    page.get_by_role("heading", name="Edit the submission").wait_for()

    conference.deadlines.filter(kind=DeadlineKind.SUBMISSION).update(
        at=timezone.now() - timedelta(hours=1)
    )
    page.reload()
    page.get_by_role("heading", name="Details").wait_for()
    assert page.get_by_role("heading", name="Edit the submission").count() == 0
    shot(page, "issue9-paper-not-editable")
