"""Security headers that `manage.py check --deploy` asks for (see docs/deploy.md, "HTTPS")."""

from django.urls import reverse


def test_pages_may_not_be_framed(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"


def test_health_check_is_never_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    response = client.get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"
