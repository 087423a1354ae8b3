"""Names are one line of visible text; account emails print the address they are about
(issue 8)."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from mlsys.accounts.models import User
from mlsys.accounts.services import create_api_token
from mlsys.mail.models import OutboundEmail
from tests import factories

BAD_NAMES = [
    "Ada\nAuthor",
    "Ada\rAuthor",
    "Ada\tAuthor",
    "Ada\x00",
    "Ada\x1b[31m",
    "Ada\u2028B",
    "\u202eAda",
    "\u200b",  # a zero-width space alone: a blank name
    "Ada\ufeff",
    "Ada\u2060Author",
]
SIGNUP = {
    "name": "Grace Hopper",
    "affiliation": "Harvard",
    "email": "grace@navy.example.mil",
    "password1": "compile-the-cobol-42",
    "password2": "compile-the-cobol-42",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth throttles emails per address in the cache; start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("name", BAD_NAMES)
def test_profile_page_refuses_control_characters_in_name(client, author, name):
    client.force_login(author)
    response = client.post(
        reverse("accounts:profile"), {"profile-name": name, "profile-affiliation": "Uni"}
    )
    assert response.status_code == 200
    assert response.context["profile_form"].errors["name"]
    author.refresh_from_db()
    assert author.name == "Ada Author"


@pytest.mark.django_db
def test_profile_page_refuses_line_break_in_affiliation(client, author):
    client.force_login(author)
    response = client.post(
        reverse("accounts:profile"), {"profile-name": "Ada", "profile-affiliation": "Uni\nEvil"}
    )
    assert response.status_code == 200
    assert response.context["profile_form"].errors["affiliation"]
    author.refresh_from_db()
    assert author.name == "Ada Author"


@pytest.mark.django_db
def test_profile_page_keeps_accents_and_joiners(client, author):
    client.force_login(author)
    name = "Zoë Ångström-\u0915\u094d\u200d\u0937"
    response = client.post(reverse("accounts:profile"), {"profile-name": name})
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.name == name


@pytest.mark.django_db
@pytest.mark.parametrize("name", BAD_NAMES)
def test_api_refuses_control_characters_in_name(author, name):
    _, key = create_api_token(user=author, name="script")
    response = APIClient().patch(
        "/api/v1/me/", {"name": name}, format="json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]
    author.refresh_from_db()
    assert author.name == "Ada Author"


@pytest.mark.django_db
def test_signup_refuses_line_break_in_name(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "name": "Grace\nHopper"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_confirmation_email_prints_the_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    body = mail.outbox[-1].body
    assert "One step left: confirm that grace@navy.example.mil is your address." in body


@pytest.mark.django_db
def test_account_already_exists_email_prints_the_address(
    client, django_capture_on_commit_callbacks
):
    factories.UserFactory(email="grace@navy.example.mil")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    body = OutboundEmail.objects.get(subject="You already have an MLSys account").body
    assert (
        "Someone tried to sign up on the MLSys conference system with grace@navy.example.mil, "
        "but an account with this address already exists." in body
    )
