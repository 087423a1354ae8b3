"""Issue-10 journey in a real browser: a site admin creates "MLSys 2028" from the demo's 2027
conference with a 365-day shift, reviews the shifted deadlines before anything is saved, creates
it, and the new conference has the 2027 tracks, topics, review forms and extra questions (and
none of its papers or committee), while 2027 is untouched."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from mlsys.conferences.models import Conference
from mlsys.conferences.templatetags.counting import counted
from mlsys.mail.models import OutboundEmail
from reviews.models import ReviewField, ReviewForm
from reviews.review_forms.defaults import ensure_default_form
from submissions.models import ExtraField, Submission
from tests import factories
from tests.demo.seeding import SMALL
from tests.e2e.helpers import login, shot

pytestmark = pytest.mark.e2e


def _setup(conference: Conference) -> dict:
    return {
        "tracks": list(conference.tracks.order_by("order").values_list("slug", "page_limit")),
        "topics": sorted(conference.topics.values_list("name", flat=True)),
        "forms": sorted(
            ReviewForm.objects.filter(conference=conference).values_list("name", flat=True)
        ),
        "questions": sorted(
            ReviewField.objects.filter(form__conference=conference, active=True).values_list(
                "form__name", "key"
            )
        ),
        "extra": list(
            ExtraField.objects.filter(track__conference=conference).values_list(
                "track__slug", "label"
            )
        ),
    }


def test_site_admin_creates_2028_from_the_2027_demo(page):
    call_command("seed_demo", *SMALL, stdout=io.StringIO())
    mlsys2027 = Conference.objects.get(slug="mlsys2027")
    ensure_default_form(mlsys2027)
    factories.ExtraFieldFactory(
        track=mlsys2027.tracks.get(slug="research"), label="Previously submitted to", kind="text"
    )
    before = _setup(mlsys2027)
    papers_2027 = Submission.objects.filter(conference=mlsys2027).count()
    admin = factories.UserFactory(name="Site Admin", email="admin@site.test", is_staff=True)

    login(page, admin.email)
    page.get_by_role("link", name="New conference").click()
    page.get_by_role("heading", name="New conference").wait_for()
    page.get_by_role("textbox", name="Name:", exact=True).fill("MLSys 2028")
    page.get_by_label("Slug").fill("mlsys2028")
    page.get_by_label("First program chair's email").fill("chair2028@chairs.test")
    page.get_by_label("Chair's name").fill("Chair Twenty-Eight")
    page.get_by_label("Start from a previous conference").select_option("mlsys2027")
    page.get_by_label("Shift deadlines by (days)").fill("365")
    shot(page, "issue10-new-conference-form")
    page.get_by_role("button", name="Review before creating").click()

    # --- The preview: shifted deadlines, what is copied; nothing saved yet --------------------
    page.get_by_role("heading", name="Deadlines, shifted by 365 days").wait_for()
    submission = mlsys2027.deadlines.get(kind="submission").at.astimezone(mlsys2027.tz)
    row = page.get_by_role("row").filter(has_text="Paper submission")
    cells = row.get_by_role("cell")
    assert submission.strftime("%a %-d %b %Y, %H:%M") in cells.nth(0).inner_text()
    shifted = submission + timedelta(days=365)
    assert shifted.strftime("%a %-d %b %Y, %H:%M") in cells.nth(1).inner_text()
    assert page.get_by_text(counted(len(before["tracks"]), "tracks"), exact=True).is_visible()
    assert page.get_by_text(counted(len(before["forms"]), "review forms"), exact=True).is_visible()
    assert not Conference.objects.filter(slug="mlsys2028").exists()
    shot(page, "issue10-new-conference-preview")

    page.get_by_role("button", name="Create conference").click()
    page.get_by_text("Created MLSys 2028 (mlsys2028).").wait_for()
    shot(page, "issue10-new-conference-created")

    # --- The new conference: 2027's setup, none of its people's data --------------------------
    mlsys2028 = Conference.objects.get(slug="mlsys2028")
    assert page.url.endswith(mlsys2028.get_absolute_url())
    assert _setup(mlsys2028) == before
    assert before["forms"] and before["questions"] and before["extra"]
    new_submission = mlsys2028.deadlines.get(kind="submission").at.astimezone(mlsys2028.tz)
    assert new_submission == shifted
    assert not Submission.objects.filter(conference=mlsys2028).exists()
    chair = mlsys2028.memberships.get()
    assert (chair.user.email, chair.role, chair.status) == (
        "chair2028@chairs.test",
        "program_chair",
        "invited",
    )
    assert OutboundEmail.objects.filter(to=["chair2028@chairs.test"]).count() == 1
    # 2027 is untouched.
    assert _setup(mlsys2027) == before
    assert Submission.objects.filter(conference=mlsys2027).count() == papers_2027
