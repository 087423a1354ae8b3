"""Issue-2 journeys in a real browser: sign up and verify, and a chair browsing a conference."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from mlsys.accounts.models import User
from mlsys.conferences import enums
from mlsys.mail.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a long sentence nobody guesses 42"
LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")


def test_new_user_signs_up_verifies_email_and_sees_the_conference(page, live_server):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")

    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Full name").fill("Grace Newcomer")
    page.get_by_label("Email").fill("Grace@Newcomer.example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(NEW_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign up", re.I)).click()
    page.wait_for_url(f"**{reverse('account_email_verification_sent')}")
    assert "grace@newcomer.example.org" in page.locator("main").inner_text()

    user = User.objects.get(email__iexact="grace@newcomer.example.org")
    assert user.name == "Grace Newcomer"
    assert EmailAddress.objects.get(user=user).verified is False

    # The verification email went through the outbox and was delivered (locmem backend, same
    # process as the live server).
    outbound = OutboundEmail.objects.get(to=["grace@newcomer.example.org"])
    assert outbound.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["grace@newcomer.example.org"]
    link = LINK.search(mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)

    page.goto(link)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    if "/accounts/login/" in page.url:
        page.get_by_label("Email").fill("grace@newcomer.example.org")
        page.get_by_label(re.compile(r"^Password:?$")).fill(NEW_PASSWORD)
        page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()

    page.get_by_role("heading", name="Conferences", exact=True).wait_for()
    assert page.url.rstrip("/") == live_server.url
    assert page.get_by_role("link", name="MLSys 2027").is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    assert EmailAddress.objects.get(user=user).verified is True

    page.get_by_role("link", name="MLSys 2027").click()
    page.get_by_role("heading", name="MLSys 2027", level=1).wait_for()
    assert page.url == live_server.url + conference.get_absolute_url()


def test_login_with_a_wrong_password_is_refused_and_keeps_the_email(page, live_server):
    factories.UserFactory(email="chair@example.org", name="Chair Person")

    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill("chair@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("not the password")
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()

    page.get_by_text(re.compile("not correct", re.I)).first.wait_for()
    assert "/accounts/login/" in page.url
    assert page.get_by_label("Email").input_value() == "chair@example.org"
    assert page.get_by_role("link", name="Log in").is_visible()


# Conference-setup pages a chair reaches through the setup navigation: link, url name, heading
# and what each must show.
SETUP_PAGES = [
    ("Tracks", "conferences:tracks", "Tracks", ["Research", "Industry"]),
    ("Topics", "conferences:topics", "Topics", ["Deep learning", "Hardware accelerators"]),
    ("Deadlines", "conferences:deadlines", "Deadlines", ["Paper submission", "Bidding"]),
    ("Phases", "conferences:phases", "Phase switches", []),
    ("Committee", "conferences:committee", "Committee", ["Chair Person"]),
]


def test_chair_logs_in_and_browses_the_conference_pages(page, live_server):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(email="chair@example.org", name="Chair Person")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    landing = reverse("conferences:detail", kwargs={"conference": conference.slug})

    page.goto(landing)
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("chair@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(factories.PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()
    page.get_by_role("button", name="Log out").wait_for()

    page.goto("/")
    card = page.locator(".conference-cards .card", has=page.get_by_role("link", name="MLSys 2027"))
    assert "Program chair" in card.inner_text()
    card.get_by_role("link", name="MLSys 2027").click()
    page.get_by_role("heading", name="MLSys 2027", level=1).wait_for()
    assert page.url == live_server.url + landing
    assert "Submission" in page.locator(".conference-bar .phase").inner_text()

    page.goto(reverse("conferences:settings", kwargs={"conference": conference.slug}))
    setup_nav = page.get_by_role("navigation", name="Conference setup")
    for link, url_name, heading, texts in SETUP_PAGES:
        setup_nav.get_by_role("link", name=link, exact=True).click()
        page.wait_for_url(f"**{reverse(url_name, kwargs={'conference': conference.slug})}")
        page.get_by_role("heading", name=heading, level=1).wait_for()
        body = page.locator("main").inner_text()
        for text in texts:
            assert text in body, f"the {link} page does not show {text!r}"
