import pytest
from django.urls import reverse

from mlsys.accounts.services import create_api_token
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
