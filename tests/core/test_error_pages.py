"""The site's own 403, 404 and 500 pages, as a visitor with DEBUG off sees them."""

import pytest
from django.test import Client
from django.urls import path, reverse
from django.views.defaults import permission_denied, server_error

from tests import factories


def crash(request):
    raise RuntimeError("a bug in a view")


# Used by @pytest.mark.urls(__name__) below: one view that crashes.
urlpatterns = [path("crash/", crash)]


def test_unknown_address_answers_the_custom_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    body = response.content.decode()
    assert '<h1 id="error-title">Page not found</h1>' in body
    assert "MLSys<span> papers</span>" in body  # the site's header, not Django's bare page
    assert 'href="/accounts/login/?next=/no-such-page/"' in body
    assert "Go to the home page" in body


def test_404_for_a_logged_in_user_names_the_account_and_leaks_nothing(client, outsider):
    client.force_login(outsider)
    response = client.get("/c/no-such-conference/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "you are logged in as <strong>olly@elsewhere.example.com</strong>" in body
    assert "No Conference matches" not in body  # the exception text is not shown


def test_404_inside_a_conference_links_back_to_it(client, chair, conference):
    client.force_login(chair)
    response = client.get(f"/c/{conference.slug}/submissions/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert f'href="{conference.get_absolute_url()}"' in body
    assert f"Back to {conference.short_name or conference.name}" in body


def test_permission_denied_renders_the_custom_403_page(rf, db):
    request = rf.get("/")
    request.user = factories.UserFactory()
    response = permission_denied(request, exception=PermissionError("secret detail"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "You can't do this" in body
    assert "MLSys<span> papers</span>" in body
    assert "secret detail" not in body


def test_an_expired_form_gets_the_custom_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@b.example", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "This form has expired</h1>" in body
    assert "You can't do this" not in body  # nothing was refused: the form just expired
    assert "The form you sent had expired" in body
    assert "nothing was saved" in body
    assert "CSRF verification failed" not in body


def test_500_page_renders_without_request_context_or_database(rf):
    # No `db` fixture: pytest-django fails any query, so the page must not make one.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert '<a class="button" href="/">Go to the home page</a>' in body
    assert "{%" not in body and "{{" not in body


@pytest.mark.urls(__name__)
def test_a_crashing_view_answers_the_custom_500_page(client):
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "a bug in a view" not in body
    assert "Traceback" not in body
