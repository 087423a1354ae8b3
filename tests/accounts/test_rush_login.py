"""Issue 13: allauth's login limits in a deadline rush behind a proxy.

Every relayed request reaches gunicorn from the proxy's address; the per-address limits must
count the client our proxy names in ``X-Forwarded-For`` (only from ``TRUSTED_PROXIES``), and
the per-account limit must hold whatever addresses the guesses come from.
(tests/conftest.py empties the cache, and so the rate-limit counters, for every test.)
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from mlsys.accounts.models import User

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
PASSWORD = "a-long-enough-password-1"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]


def authors(n: int, start: int = 0) -> list[User]:
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(email=f"author{i}@uni{i}.example.edu", name=f"Author {i}", password=hashed)
        for i in range(start, start + n)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    return users


def log_in(email, *, remote_addr=PROXY, forwarded_for=None, password=PASSWORD):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return Client().post(
        reverse("account_login"), {"login": email, "password": password}, **headers
    )


def test_two_hundred_authors_behind_the_proxy_all_log_in_within_a_minute(behind_proxy):
    statuses = [
        log_in(user.email, forwarded_for=f"198.51.{i // 250}.{i % 250 + 1}").status_code
        for i, user in enumerate(authors(200))
    ]
    assert statuses == [302] * 200


def test_one_address_beyond_its_limit_gets_the_branded_429(behind_proxy):
    users = authors(125)
    statuses = [log_in(u.email, forwarded_for="198.51.100.7").status_code for u in users]
    assert statuses == [302] * 120 + [429] * 5
    refused = log_in(users[0].email, forwarded_for="198.51.100.7")
    assert refused.status_code == 429
    assert "429.html" in [t.name for t in refused.templates]
    assert "Too many attempts" in refused.text
    # Another client behind the same proxy is not affected.
    assert log_in(users[0].email, forwarded_for="198.51.100.8").status_code == 302


def test_forwarded_addresses_from_an_untrusted_peer_are_not_believed(settings):
    settings.TRUSTED_PROXIES = []
    users = authors(121)
    statuses = [
        log_in(u.email, remote_addr="203.0.113.9", forwarded_for=f"198.51.100.{i + 1}").status_code
        for i, u in enumerate(users)
    ]
    assert statuses == [302] * 120 + [429]


def test_failed_logins_for_one_account_are_limited_from_any_address(behind_proxy):
    (victim,) = authors(1)
    for i in range(10):
        response = log_in(victim.email, forwarded_for=f"198.51.100.{i + 1}", password=f"guess-{i}")
        assert response.status_code == 200  # the form again, with its error
    # After five failures the account is locked for a while, even for the right password.
    response = log_in(victim.email, forwarded_for="192.0.2.50")
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.text
    # Another account at the same addresses is not affected.
    (other,) = authors(1, start=1)
    assert log_in(other.email, forwarded_for="198.51.100.1").status_code == 302
