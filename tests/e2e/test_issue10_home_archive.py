"""Issue 10 in a real browser: an author of papers at two conferences finds both on their home
page, each under its conference; the older conference, archived by its chair, reads as
read-only (a banner, no write controls) and refuses a write sent from a page opened before it
was archived."""

import pytest
from django.utils import timezone

from mlsys.conferences import enums
from submissions.models import Submission
from tests import factories
from tests.e2e.helpers import login, shot

pytestmark = pytest.mark.e2e


def test_author_home_across_conferences_and_an_archived_conference(page):
    old = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    new = factories.conference_in_submission_phase(slug="mlsys2028", name="MLSys 2028")
    ada = factories.UserFactory(name="Ada Author", email="ada@uni.example.edu")
    chair = factories.UserFactory(name="Chair Person", email="chair@chairs.test")
    factories.MembershipFactory(conference=old, user=chair, role=enums.Role.PROGRAM_CHAIR)
    factories.SubmissionFactory(
        conference=old, number=1, title="Sparse attention compilers", authors=[ada],
        status="submitted",
    )  # fmt: skip
    factories.SubmissionFactory(
        conference=new, number=1, title="Elastic training schedules", authors=[ada],
        status="submitted",
    )  # fmt: skip

    # --- Ada's home: both papers, each under its conference --------------------------------
    login(page, ada.email)
    page.goto("/")
    old_block = page.locator('[data-conference="mlsys2027"]')
    new_block = page.locator('[data-conference="mlsys2028"]')
    old_block.get_by_role("heading", name="Your papers (1)").wait_for()
    assert "Sparse attention compilers" in old_block.inner_text()
    assert "Elastic training schedules" not in old_block.inner_text()
    assert "Elastic training schedules" in new_block.inner_text()
    assert "Author" in old_block.locator(".roles").inner_text()
    shot(page, "issue10-01-author-home")

    # Ada keeps her 2027 paper's page open in a second tab while the chair archives 2027.
    stale = page.context.new_page()
    stale.goto("/c/mlsys2027/submissions/1/")
    stale.get_by_role("button", name="Withdraw").wait_for()

    # --- The chair (in a browser of their own) archives 2027, confirming first -------------
    other = page.context.browser.new_context(base_url=page.url.split("/accounts")[0])
    chair_page = other.new_page()
    login(chair_page, chair.email)
    chair_page.goto("/c/mlsys2027/settings/")
    chair_page.get_by_role("navigation", name="Conference setup").get_by_role(
        "link", name="Archive"
    ).click()
    chair_page.get_by_role("button", name="Archive conference").click()
    chair_page.get_by_text("Tick the box to confirm.").wait_for()
    old.refresh_from_db()
    assert old.archived_at is None
    chair_page.get_by_label("becomes read-only").check()
    chair_page.get_by_role("button", name="Archive conference").click()
    chair_page.get_by_text("This conference is archived: read-only.").first.wait_for()
    old.refresh_from_db()
    assert old.archived_at is not None and old.archived_at <= timezone.now()
    shot(chair_page, "issue10-02-chair-archived")
    other.close()

    # --- The stale tab's write is refused; a fresh load shows the page read-only -----------
    stale.get_by_label("Reason for withdrawing (required)").fill("Changed our minds.")
    stale.get_by_role("button", name="Withdraw").click()
    stale.get_by_text("This conference is archived: read-only.").first.wait_for()
    assert Submission.objects.get(conference=old, number=1).status == "submitted"
    shot(stale, "issue10-03-write-refused")
    stale.goto("/c/mlsys2027/submissions/1/")
    stale.get_by_role("heading", name="Sparse attention compilers").wait_for()
    assert stale.locator(".archived-banner").is_visible()
    assert not stale.get_by_role("button", name="Withdraw").is_visible()
    # Nothing can be sent: no visible button in any form (what the forms hold stays readable).
    assert (
        stale.locator("main form[method=post] button").evaluate_all(
            "buttons => buttons.filter(b => b.offsetParent !== null).length"
        )
        == 0
    )
    shot(stale, "issue10-04-archived-read-only")

    # --- The home page marks 2027 archived and still lists the paper ------------------------
    stale.goto("/")
    old_block = stale.locator('[data-conference="mlsys2027"]')
    assert "Archived: read-only" in old_block.inner_text()
    assert "Sparse attention compilers" in old_block.inner_text()
