"""Issue-9 journey in a real browser over the pages that moved to the conferences app: a chair
starts on the home page, goes through Settings to the email templates, changes one wording,
and resets it; a PC member of the same conference is refused the templates (404)."""

import pytest
from django.urls import reverse

from mlsys.conferences import enums
from mlsys.core.models import AuditEvent
from mlsys.mail.models import EmailTemplate
from tests import factories
from tests.e2e.helpers import login, logout, shot

pytestmark = pytest.mark.e2e

KEY = "reviews.review_reminder"


def test_chair_home_to_email_template_change_and_reset(page):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(name="Chair Person", email="chair@chairs.test")
    member = factories.UserFactory(name="Mia Learner", email="mia@learning.test")
    factories.MembershipFactory(
        conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR, side=""
    )
    factories.MembershipFactory(
        conference=conference, user=member, role=enums.Role.PC_MEMBER, side=enums.Side.ML
    )

    # --- The home page lists the conference with the chair's links ----------------------------
    login(page, chair.email)
    page.goto("/")
    page.get_by_role("heading", name="Your work").wait_for()
    card = page.locator(".conference-cards .card").filter(has_text="MLSys 2027")
    card.get_by_role("link", name="Settings").click()
    shot(page, "issue9-chair-settings")

    # --- Settings → Email templates → the reminder's editor ----------------------------------
    page.get_by_role("navigation", name="Conference setup").get_by_role(
        "link", name="Email templates"
    ).click()
    page.get_by_role("heading", name="Email templates").wait_for()
    row = page.get_by_role("row").filter(has_text=KEY)
    assert row.get_by_role("cell").last.inner_text() == "Default"
    row.get_by_role("link", name=KEY).click()
    page.get_by_label("Subject").fill("Reviews due {deadline}")
    page.get_by_role("button", name="Save").click()
    page.get_by_text(f"Saved the {conference} wording of “{KEY}”.").wait_for()
    assert page.get_by_role("row").filter(has_text=KEY).get_by_text("Customised").is_visible()
    shot(page, "issue9-email-templates")
    row_db = EmailTemplate.objects.get(conference=conference, key=KEY)
    assert row_db.subject == "Reviews due {deadline}"

    # --- Reset to the default ------------------------------------------------------------------
    page.get_by_role("row").filter(has_text=KEY).get_by_role("link", name=KEY).click()
    page.get_by_role("button", name="Reset to the default wording").click()
    page.get_by_text(f"“{KEY}” uses the default wording again.").wait_for()
    assert not EmailTemplate.objects.filter(conference=conference, key=KEY).exists()
    assert list(
        AuditEvent.objects.filter(conference=conference, action__startswith="mail.template")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["mail.template_changed", "mail.template_reset"]
    logout(page)

    # --- A PC member is refused the templates -------------------------------------------------
    login(page, member.email)
    response = page.goto(reverse("mail:templates", kwargs={"conference": conference.slug}))
    assert response.status == 404
