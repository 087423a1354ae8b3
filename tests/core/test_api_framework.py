"""The API framework: schema, docs served offline, one error shape for every failure."""

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient


@pytest.fixture
def api_client():
    return APIClient()


@pytest.mark.django_db
def test_schema_endpoint_returns_openapi(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/conferences/" in schema["paths"]
    assert "/api/v1/conferences/{conference}/committee/" in schema["paths"]


def test_schema_generation_emits_no_warnings_or_errors(capsys):
    """drf-spectacular reports problems through GENERATOR_STATS (and prints them to stderr)."""
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    problems = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert problems == []
    assert capsys.readouterr().err == ""


@pytest.mark.django_db
def test_api_docs_load_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    assets += re.findall(r'<link[^>]*\shref="([^"]+)"', html)
    assert assets, "the docs page loads its scripts and styles from somewhere"
    # Besides static files, the page's own start-up script (the split view: no inline script).
    assert all(a.startswith("/static/") or a == "/api/docs/?script=" for a in assets), assets
    assert "/api/docs/?script=" in assets
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_validation_error_has_field_messages(api_client, conference, chair):
    api_client.force_login(chair)
    response = api_client.post(
        f"/api/v1/conferences/{conference.slug}/topics/", {"name": "", "area": "NOPE"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "Some fields are invalid."
    assert set(error["fields"]) == {"name", "area"}


@pytest.mark.django_db
def test_unauthenticated_is_401_with_the_error_shape(api_client, conference):
    response = api_client.get("/api/v1/conferences/")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
            "fields": {},
        }
    }


@pytest.mark.django_db
def test_forbidden_is_403_with_the_error_shape(api_client, conference, ml_reviewer):
    api_client.force_login(ml_reviewer)
    response = api_client.post(
        f"/api/v1/conferences/{conference.slug}/topics/", {"name": "X", "area": "ML"}
    )
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "permission_denied"
    assert error["fields"] == {}
    assert error["message"]


@pytest.mark.django_db
def test_not_found_is_404_with_the_error_shape(api_client, outsider):
    api_client.force_login(outsider)
    response = api_client.get("/api/v1/conferences/no-such-conference/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "fields": {}}
    }
