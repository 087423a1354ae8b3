"""API tokens: only a session creates them, a password change or reset revokes them, and they can
expire (issue 8)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mlsys.accounts.models import ApiToken
from mlsys.accounts.services import create_api_token
from mlsys.core.models import AuditEvent
from tests import factories

ME = "/api/v1/me/"
TOKENS = "/api/v1/me/tokens/"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_a_token_cannot_mint_tokens(api, author):
    token, key = create_api_token(user=author, name="script")
    response = api.post(TOKENS, {"name": "backdoor"}, format="json", **bearer(key))
    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "A token cannot create tokens. Sign in (session) to create one, or use the profile page."
    )
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["script"]
    # It can still list and revoke, including itself.
    assert api.get(TOKENS, **bearer(key)).status_code == 200
    assert api.delete(f"{TOKENS}{token.pk}/", **bearer(key)).status_code == 204


@pytest.mark.django_db
def test_session_creates_token_with_expiry_and_it_stops_working_after_it(api, author):
    api.force_login(author)
    expires = timezone.now() + timedelta(days=30)
    response = api.post(TOKENS, {"name": "ci", "expires_at": expires.isoformat()}, format="json")
    assert response.status_code == 201
    key = response.json()["key"]
    token = ApiToken.objects.get(user=author)
    assert token.expires_at == expires
    assert response.json()["expires_at"] is not None

    fresh = APIClient()
    assert fresh.get(ME, **bearer(key)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    token.refresh_from_db()
    response = fresh.get(ME, **bearer(key))
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "authentication_failed",
        "message": f"This token expired on {token.expires_at:%Y-%m-%d %H:%M} UTC; "
        "create a new one on your profile page.",
        "fields": {},
    }


@pytest.mark.django_db
def test_expiry_in_the_past_is_refused(api, author):
    api.force_login(author)
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    response = api.post(TOKENS, {"name": "ci", "expires_at": past}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["expires_at"] == ["The expiry must be in the future."]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_profile_creates_token_with_expiry_day(client, author):
    client.force_login(author)
    day = (timezone.now() + timedelta(days=10)).date()
    response = client.post(
        reverse("accounts:token_create"),
        {"token-name": "nightly", "token-expires_on": day.isoformat()},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=author)
    assert token.expires_at.date() == day
    assert (token.expires_at.hour, token.expires_at.minute) == (0, 0)
    assert AuditEvent.objects.get(action="accounts.token_created").changes == {
        "name": [None, "nightly"],
        "expires_at": [None, token.expires_at.isoformat()],
    }


@pytest.mark.django_db
def test_profile_refuses_expiry_today_or_earlier(client, author):
    client.force_login(author)
    response = client.post(
        reverse("accounts:token_create"),
        {"token-name": "nightly", "token-expires_on": timezone.now().date().isoformat()},
    )
    assert response.status_code == 200
    assert response.context["token_form"].errors["expires_on"] == ["Pick a day after today."]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_profile_shows_expired_tokens_as_expired(client, author):
    client.force_login(author)
    token, _ = create_api_token(user=author, name="old", expires_at=None)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "<strong>expired</strong>" in html


@pytest.mark.django_db
def test_password_change_revokes_all_tokens(client, author):
    one, key_one = create_api_token(user=author, name="one")
    two, _ = create_api_token(user=author, name="two")
    client.force_login(author)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": factories.PASSWORD,
            "password1": "a-new-long-pass-9",
            "password2": "a-new-long-pass-9",
        },
    )
    assert response.status_code == 302
    assert ApiToken.objects.filter(user=author, revoked_at__isnull=True).count() == 0
    assert list(
        AuditEvent.objects.filter(action="accounts.token_revoked")
        .order_by("object_id")
        .values_list("object_id", "note")
    ) == [(str(one.pk), "password changed"), (str(two.pk), "password changed")]
    assert APIClient().get(ME, **bearer(key_one)).status_code == 401


@pytest.mark.django_db
def test_password_reset_revokes_all_tokens(client, author, django_capture_on_commit_callbacks):
    token, key = create_api_token(user=author, name="one")
    other = factories.UserFactory(email="keep@example.org")
    kept, _ = create_api_token(user=other, name="theirs")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": author.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    form_url = client.get(link.group(1))["Location"]
    response = client.post(
        form_url, {"password1": "a-new-long-pass-9", "password2": "a-new-long-pass-9"}
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.check_password("a-new-long-pass-9")
    token.refresh_from_db()
    kept.refresh_from_db()
    assert token.revoked_at is not None
    assert kept.revoked_at is None
    assert AuditEvent.objects.get(action="accounts.token_revoked").note == "password reset"
    assert APIClient().get(ME, **bearer(key)).status_code == 401
