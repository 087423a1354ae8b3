"""Issue 10 in a browser: the chair of MLSys 2028 invites two of MLSys 2027's PC members from
last year's committee, one click per person; one accepts and finds the expertise papers she
entered for 2027 in place on her 2028 reviewer profile."""

import re

import pytest
from django.core import mail

from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership
from reviews.models import Expertise
from reviews.profile.services import add_expertise
from tests import factories
from tests.e2e.helpers import login, shot

pytestmark = pytest.mark.e2e

LINK = re.compile(r"https?://\S+/invitation/\S+")
MIA_PAPERS = [
    {"title": "Gradient compression at scale", "abstract": "We compress gradients.", "year": 2025},
    {"title": "Learned cost models", "abstract": "Cost models for compilers.", "year": 2024},
]


def test_chair_invites_last_years_pc_and_a_returning_member_finds_her_expertise(
    page, browser, live_server, settings
):
    settings.SITE_URL = live_server.url  # links in emails point at the live server
    last_year = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    this_year = factories.conference_in_submission_phase(slug="mlsys2028", name="MLSys 2028")
    chair = factories.UserFactory(name="Chair Person", email="chair@chairs.test")
    for conference in (last_year, this_year):
        factories.MembershipFactory(
            conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR
        )
    mia = factories.UserFactory(name="Mia Learner", email="mia@learning.test")
    sam = factories.UserFactory(name="Sam Kernel", email="sam@kernels.test")
    pat = factories.UserFactory(name="Pat Pass", email="pat@pass.test")
    factories.MembershipFactory(conference=last_year, user=mia, side=enums.Side.ML, max_load=5)
    factories.MembershipFactory(conference=last_year, user=sam, side=enums.Side.SYSTEMS, max_load=3)
    factories.MembershipFactory(conference=last_year, user=pat, side=enums.Side.BOTH)
    # Mia entered her papers on her 2027 profile.
    add_expertise(user=mia, conference=last_year, papers=MIA_PAPERS)

    # --- The chair opens 2028's committee and invites from 2027 ------------------------------
    login(page, chair.email)
    page.goto(this_year.get_absolute_url())
    page.get_by_role("navigation", name="MLSYS2028").get_by_role("link", name="Committee").click()
    page.get_by_role("link", name="Invite from a previous conference").click()
    page.get_by_role("link", name="MLSys 2027").click()
    page.get_by_role("heading", name="Invite from MLSys 2027").wait_for()
    # Sides and loads from 2027 are filled in; the chair is marked as already here.
    assert page.get_by_label("Side of Sam Kernel").input_value() == enums.Side.SYSTEMS
    assert page.get_by_label("Maximum load of Mia Learner").input_value() == "5"
    assert "already on the committee as Program chair" in page.locator("table").inner_text()
    # One click per person.
    page.get_by_label("Invite Mia Learner").check()
    page.get_by_label("Invite Sam Kernel").check()
    shot(page, "issue10-01-invite-from-2027")
    mail.outbox.clear()
    page.get_by_role("button", name="Send invitations to the ticked people").click()
    page.get_by_text("Invited 2 people from MLSys 2027").wait_for()
    invited = CommitteeMembership.objects.filter(
        conference=this_year, status=enums.InvitationStatus.INVITED
    )
    assert sorted(invited.values_list("user__email", "role", "side", "max_load")) == [
        ("mia@learning.test", enums.Role.PC_MEMBER, enums.Side.ML, 5),
        ("sam@kernels.test", enums.Role.PC_MEMBER, enums.Side.SYSTEMS, 3),
    ]
    assert not CommitteeMembership.objects.filter(conference=this_year, user=pat).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["mia@learning.test", "sam@kernels.test"]

    # --- Mia accepts from the email and finds her 2027 papers on her 2028 profile -------------
    [message] = [m for m in mail.outbox if m.to == [mia.email]]
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    mia_page = context.new_page()
    try:
        mia_page.goto(LINK.search(message.body).group(0))
        mia_page.get_by_role("link", name="Log in to accept").click()
        mia_page.get_by_label("Email").fill(mia.email)
        mia_page.get_by_label(re.compile(r"^Password:?$")).fill(factories.PASSWORD)
        mia_page.get_by_role("button", name="Log in").click()
        mia_page.get_by_role("button", name="Accept as PC member").click()
        mia_page.get_by_text("Welcome to the MLSYS2028 committee").wait_for()
        mia_page.get_by_role("link", name="Reviewer profile").first.click()
        mia_page.get_by_role("heading", name="Your reviewer profile for MLSYS2028").wait_for()
        table = mia_page.locator("#expertise table").inner_text()
        assert "Gradient compression at scale" in table
        assert "Learned cost models" in table
        assert "No papers yet" not in mia_page.content()
        assert mia_page.get_by_label(
            "Use “Gradient compression at scale” for MLSYS2028"
        ).is_checked()
        shot(mia_page, "issue10-02-returning-profile")
        # She sets one aside for 2028 only.
        mia_page.get_by_label("Use “Learned cost models” for MLSYS2028").uncheck()
        mia_page.get_by_role("button", name="Save which papers count for MLSYS2028").click()
        mia_page.get_by_text("Saved which papers count for MLSYS2028").wait_for()
    finally:
        context.close()
    assert list(Expertise.objects.used_at(this_year).values_list("title", flat=True)) == [
        "Gradient compression at scale"
    ]
    assert Expertise.objects.used_at(last_year).count() == 2
    assert (
        CommitteeMembership.objects.get(conference=this_year, user=mia).status
        == enums.InvitationStatus.ACCEPTED
    )
