"""Issue-8 journeys in a real browser: a person creates an API token with an expiry on the
profile page, uses it, changes their password and sees the token gone (revoked); a superuser's
/admin/login/ is the site's rate-limited login page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.accounts.models import ApiToken
from tests import factories
from tests.e2e.helpers import login, shot

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a long sentence nobody guesses 42"


def _api_status(page, key: str) -> int:
    response = page.request.get("/api/v1/me/", headers={"Authorization": f"Bearer {key}"})
    return response.status


def test_token_with_expiry_dies_with_a_password_change(page, db):
    person = factories.UserFactory(email="ada@uni.test", name="Ada Author")
    login(page, person.email)
    page.goto(reverse("accounts:profile"))

    expires_on = (timezone.now() + timedelta(days=30)).date()
    page.get_by_label("Token name").fill("nightly export")
    page.get_by_label("Expires on").fill(expires_on.isoformat())
    page.get_by_role("button", name="Create token").click()
    key = page.locator("#new-token-key").input_value()
    assert key.startswith("mlsys_")
    shot(page, "issue8-token-created")

    token = ApiToken.objects.get(user=person)
    assert (token.name, token.expires_at.date(), token.revoked_at) == (
        "nightly export",
        expires_on,
        None,
    )
    page.goto(reverse("accounts:profile"))
    row = page.locator("#tokens tbody tr")
    assert row.count() == 1
    assert "nightly export" in row.inner_text()
    assert expires_on.strftime("%-d %b %Y") in row.inner_text()
    assert _api_status(page, key) == 200

    page.goto(reverse("account_change_password"))
    page.get_by_label("Current Password:").fill(factories.PASSWORD)
    page.get_by_label("New Password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again):").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("Password successfully changed.").wait_for()

    page.goto(reverse("accounts:profile"))
    assert page.locator("#tokens").get_by_text("No active tokens.").is_visible()
    shot(page, "issue8-token-revoked")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _api_status(page, key) == 401


def test_admin_login_is_the_site_login(page, db):
    root = factories.UserFactory(email="root@site.test", is_staff=True, is_superuser=True)
    page.goto("/admin/")
    assert reverse("account_login") in page.url
    page.get_by_label("Email").fill(root.email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.get_by_text("Site administration").first.is_visible()
