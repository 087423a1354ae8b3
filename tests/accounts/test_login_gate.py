"""The login gate (mlsys.accounts.middleware): password submissions take turns per process,
every other request passes at once, and a login that waited too long is asked to try again."""

import threading
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from mlsys.accounts.middleware import LoginGateMiddleware


class Recorder:
    """A view that blocks until released and records how many calls overlap."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inside = 0
        self.most = 0
        self.release = threading.Event()

    def __call__(self, request):
        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        self.release.wait(5)
        with self.lock:
            self.inside -= 1
        return HttpResponse("ok")


def overlap(middleware, recorder, requests, settle=0.3) -> int:
    threads = [threading.Thread(target=middleware, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    time.sleep(settle)
    seen = recorder.most
    recorder.release.set()
    for thread in threads:
        thread.join(5)
    return seen


def test_the_middleware_is_installed():
    from django.conf import settings

    assert "mlsys.accounts.middleware.LoginGateMiddleware" in settings.MIDDLEWARE


@override_settings(LOGIN_CONCURRENCY=1)
def test_login_posts_take_turns():
    recorder = Recorder()
    middleware = LoginGateMiddleware(recorder)
    logins = [RequestFactory().post("/accounts/login/", {"login": "x"}) for _ in range(4)]
    assert overlap(middleware, recorder, logins) == 1


@override_settings(LOGIN_CONCURRENCY=2)
def test_the_concurrency_is_a_setting():
    recorder = Recorder()
    middleware = LoginGateMiddleware(recorder)
    logins = [RequestFactory().post("/accounts/login/", {"login": "x"}) for _ in range(4)]
    assert overlap(middleware, recorder, logins) == 2


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/accounts/login/"), ("post", "/c/conf/submissions/1/upload/paper/")],
)
@override_settings(LOGIN_CONCURRENCY=1)
def test_other_requests_pass_at_once(method, path):
    recorder = Recorder()
    middleware = LoginGateMiddleware(recorder)
    requests = [getattr(RequestFactory(), method)(path) for _ in range(3)]
    assert overlap(middleware, recorder, requests) == 3


@override_settings(LOGIN_CONCURRENCY=1, LOGIN_GATE_TIMEOUT=0.05)
def test_a_login_that_waited_too_long_is_asked_to_try_again():
    recorder = Recorder()
    middleware = LoginGateMiddleware(recorder)
    answers = []
    first = threading.Thread(
        target=lambda: answers.append(middleware(RequestFactory().post("/accounts/login/")))
    )
    first.start()
    time.sleep(0.1)
    second = middleware(RequestFactory().post("/accounts/login/"))
    recorder.release.set()
    first.join(5)
    assert recorder.most == 1
    assert second.status_code == 503
    assert second["Retry-After"] == "30"
    page = second.content.decode()
    assert "try again in a minute" in page
    assert second["Content-Type"].startswith("text/html")
    assert "Many people are signing in right now</h1>" in page  # the branded error page
    assert page.count("Many people are signing in right now") == 1  # said once, not twice
    assert answers[0].status_code == 200


@pytest.mark.django_db
def test_a_real_login_still_works(client):
    from tests import factories

    user = factories.UserFactory(email="gate@example.org")
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
