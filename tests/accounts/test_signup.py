"""Sign-up, email verification and login through the real allauth pages."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mlsys.accounts.models import User
from mlsys.mail.models import OutboundEmail
from tests import factories

SIGNUP = {
    "name": "Grace Hopper",
    "affiliation": "Harvard",
    "email": "Grace@Navy.example.mil",
    "password1": "compile-the-cobol-42",
    "password2": "compile-the-cobol-42",
}


@pytest.mark.django_db
def test_signup_sends_verification_and_confirming_logs_in(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://papers.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get()
    assert (user.email, user.name, user.affiliation) == (
        "grace@navy.example.mil",
        "Grace Hopper",
        "Harvard",
    )
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, False, True)

    queued = OutboundEmail.objects.get()
    assert queued.to == ["grace@navy.example.mil"]
    assert queued.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject.endswith("Confirm your email to finish signing up for MLSys")
    assert "Hello Grace Hopper," in sent.body
    assert "https://papers.example.org/" in sent.body
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", sent.body).group(1)

    # Not logged in until confirmed: the profile still asks for a login.
    assert client.get(reverse("accounts:profile")).status_code == 302

    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm your email address" in page.content
    assert "grace@navy.example.mil" in page.content.decode()
    address.refresh_from_db()
    assert address.verified is False  # GET never confirms

    response = client.post(link)
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.verified is True
    profile = client.get(reverse("accounts:profile"))
    assert profile.status_code == 200
    assert profile.context["user"] == user


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_shows_field_error_and_creates_nothing(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "password2": "something-else"})
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert User.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


@pytest.mark.django_db
def test_signup_page_labels_every_input(client):
    html = client.get(reverse("account_signup")).content.decode()
    for name, field_id in [
        ("name", "id_name"),
        ("affiliation", "id_affiliation"),
        ("email", "id_email"),
        ("password1", "id_password1"),
        ("password2", "id_password2"),
    ]:
        assert f'name="{name}"' in html
        assert f'<label for="{field_id}"' in html
    assert 'href="/static/css/app.css"' in html


@pytest.mark.django_db
def test_login_with_wrong_password_shows_error(client):
    user = factories.UserFactory(email="ada@uni.example.edu")
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "not the password"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_with_right_password_logs_in(client):
    user = factories.UserFactory(email="ada@uni.example.edu")
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_password_reset_email_uses_our_wording_and_full_link(
    client, django_capture_on_commit_callbacks
):
    user = factories.UserFactory(email="ada@uni.example.edu")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("Reset your MLSys password")
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    page = client.get(link.group(1), follow=True)
    assert b"Choose a new password" in page.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_entrance_pages_render_in_site_layout(client, url_name):
    response = client.get(reverse(url_name))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html
    assert 'class="narrow card"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["account_email", "account_change_password"])
def test_manage_pages_render_for_a_logged_in_user(client, author, url_name):
    client.force_login(author)
    response = client.get(reverse(url_name))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-label="Account settings"' in html
    assert "<label" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["account_email", "account_change_password"])
def test_manage_pages_redirect_anonymous_to_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


ORCID_ON = {
    "orcid": {
        "BASE_DOMAIN": "sandbox.orcid.org",
        "MEMBER_API": False,
        "APPS": [{"client_id": "APP-TEST", "secret": "s3cret", "key": ""}],
    }
}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["account_login", "account_signup"])
def test_orcid_button_shows_only_when_configured(client, url_name):
    without = client.get(reverse(url_name)).content.decode()
    assert "Continue with ORCID" not in without
    with override_settings(SOCIALACCOUNT_PROVIDERS=ORCID_ON, ORCID_ENABLED=True):
        with_orcid = client.get(reverse(url_name)).content.decode()
    assert "Continue with ORCID" in with_orcid
    assert reverse("orcid_login") in with_orcid


@pytest.mark.django_db
def test_logout_page_asks_then_logs_out_on_post(client, author):
    client.force_login(author)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert b"Log out" in page.content
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_invalid_confirmation_link_explains_what_to_do(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert response.status_code == 200
    assert b"expired or is not valid" in response.content


@pytest.mark.django_db
def test_password_change_with_wrong_current_password_keeps_old_one(client, author):
    client.force_login(author)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "wrong",
            "password1": "a-new-long-pass-9",
            "password2": "a-new-long-pass-9",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"]
    author.refresh_from_db()
    assert author.check_password(factories.PASSWORD)
