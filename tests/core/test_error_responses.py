"""Branded error pages (400, 413, 429, 500) and the API's JSON error shape for every error
under /api/, with DEBUG off and exceptions answered as a visitor sees them."""

import logging

import pytest
from django.test import Client
from django.urls import include, path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

import mlsys.urls
from mlsys.core import error_pages


@api_view(["GET"])
@permission_classes([AllowAny])
def crashing_api_view(request):
    raise RuntimeError("a bug in an API view")


def crashing_plain_view(request):
    raise KeyError("a bug outside DRF")


# @pytest.mark.urls(__name__): the site's own routes and error handlers, plus two crashing views.
urlpatterns = [
    path("api/v1/crash/", crashing_api_view),
    path("api/crash-plain/", crashing_plain_view),
    path("crash/", crashing_plain_view),
    path("", include(mlsys.urls.urlpatterns)),
]
handler400 = mlsys.urls.handler400
handler403 = mlsys.urls.handler403
handler404 = mlsys.urls.handler404
handler500 = mlsys.urls.handler500


@pytest.fixture
def visitor(db):
    return Client(raise_request_exception=False)


def error_of(response) -> dict:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) >= {"code", "message", "fields"}
    return body["error"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/api/v1/crash/", "/api/crash-plain/"])
def test_an_unexpected_exception_in_the_api_is_json_500_and_logged(visitor, url, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = visitor.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "has been logged" in error["message"]
    assert "bug" not in error["message"]  # the exception text stays in the log
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and url in logged[0].getMessage()
    assert "a bug" in str(logged[0].exc_info[1])


@pytest.mark.urls(__name__)
def test_outside_the_api_a_crash_is_still_the_branded_html_page(visitor):
    response = visitor.get("/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong on our side" in response.content.decode()


def test_an_unknown_api_address_is_json_404(visitor):
    response = visitor.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    error = error_of(response)
    assert error == {
        "code": "not_found",
        "message": "There is no API endpoint at /api/v1/no-such-endpoint/.",
        "fields": {},
    }


def test_a_wrong_method_on_the_api_is_json_405(visitor, api, outsider):
    api.force_authenticate(outsider)
    response = api.delete("/api/v1/conferences/")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_a_bad_host_on_the_api_is_json_400(db, settings):
    settings.ALLOWED_HOSTS = ["papers.example.org"]
    response = Client(raise_request_exception=False).get(
        "/api/v1/conferences/", HTTP_HOST="evil.example"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_a_bad_host_elsewhere_gets_the_branded_400_page(db, settings):
    settings.ALLOWED_HOSTS = ["papers.example.org"]
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "The request could not be understood" in body
    assert "MLSys<span> papers</span>" in body
    assert "evil.example" not in body


def test_the_429_page_says_how_long_to_wait(rf, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "5/5m/ip,10/15m/key"}
    from django.urls import resolve

    request = rf.post("/accounts/login/")
    request.resolver_match = resolve("/accounts/login/")
    response = error_pages.too_many_requests(request)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many attempts" in body
    assert "from your network or for this account" in body
    assert "Wait 15 minutes, then try again." in body
    assert "MLSys<span> papers</span>" in body


def test_allauth_rate_limit_answers_the_branded_429_page(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/5m/ip"}
    client = Client(raise_request_exception=False)
    for _ in range(3):
        response = client.post(
            "/accounts/login/", {"login": "nobody@example.org", "password": "wrong"}
        )
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many attempts" in body
    assert "Wait 5 minutes, then try again." in body


def test_the_413_page_names_the_limit(rf):
    response = error_pages.request_too_large(rf.post("/c/x/submissions/1/"), 105 * 1024 * 1024)
    assert response.status_code == 413
    body = response.content.decode()
    assert "That upload is too large" in body
    assert "up to 105 MB" in body
