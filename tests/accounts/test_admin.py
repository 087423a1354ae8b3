import pytest
from django.core.cache import cache
from django.urls import reverse

from mlsys.accounts.services import create_api_token
from mlsys.core.models import AuditEvent
from tests import factories


@pytest.mark.django_db
def test_admin_user_change_page_shows_profile_and_tokens(client, author):
    admin = factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    create_api_token(user=author, name="export script")
    client.force_login(admin)
    response = client.get(reverse("admin:accounts_user_change", args=[author.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "export script" in html
    assert 'name="orcid"' in html
    assert "key_hash" not in html


@pytest.mark.django_db
def test_admin_is_closed_to_non_staff(client, author):
    client.force_login(author)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302


@pytest.fixture
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("_fresh_rate_limits")
def test_admin_login_goes_through_the_rate_limited_site_login(client):
    admin = factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    admin.set_password("the-right-password-1")
    admin.save()
    admin_login = reverse("admin:login")

    page = client.get(admin_login)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_login"))

    # Twelve guesses on the admin form: none of them is even checked, nobody is logged in.
    for attempt in range(12):
        response = client.post(
            admin_login, {"username": admin.email, "password": f"wrong-{attempt}"}
        )
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session
    response = client.post(
        admin_login, {"username": admin.email, "password": "the-right-password-1"}
    )
    assert "_auth_user_id" not in client.session

    # The site login locks the account after five failures, the right password included.
    login = reverse("account_login")
    for attempt in range(5):
        response = client.post(login, {"login": admin.email, "password": f"wrong-{attempt}"})
        assert response.status_code == 200
    response = client.post(login, {"login": admin.email, "password": "the-right-password-1"})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("_fresh_rate_limits")
def test_admin_reached_after_site_login(client):
    admin = factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    admin.set_password("the-right-password-1")
    admin.save()
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": admin.email, "password": "the-right-password-1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_password_set_in_the_admin_revokes_the_persons_tokens(client, author):
    admin = factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    token, _ = create_api_token(user=author, name="export script")
    client.force_login(admin)
    url = reverse("admin:auth_user_password_change", args=[author.pk])
    response = client.post(
        url,
        {
            "password1": "a-new-long-pass-9",
            "password2": "a-new-long-pass-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.check_password("a-new-long-pass-9")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.get(action="accounts.token_revoked").note == (
        "password changed by an administrator"
    )
