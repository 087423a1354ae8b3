"""Role fixtures shared by every test module (STYLE.md: owner / member / outsider).

Each role is a real account with an accepted membership at ``conference`` (except ``author``
and ``outsider``). Fixtures specific to one app live next to that app's tests.
"""

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from mlsys.conferences import enums
from tests import broker, factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: allauth's rate limits (30 logins a minute per
    address) count there, and the browser tests all log in from 127.0.0.1 within a minute."""
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def conference(db):
    return factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")


def _member(conference, role, side="", *, name):
    user = factories.UserFactory(name=name)
    factories.MembershipFactory(conference=conference, user=user, role=role, side=side)
    return user


@pytest.fixture
def chair(conference):
    return _member(conference, enums.Role.PROGRAM_CHAIR, name="Chair Person")


@pytest.fixture
def ml_reviewer(conference):
    return _member(conference, enums.Role.PC_MEMBER, enums.Side.ML, name="Mia Learner")


@pytest.fixture
def systems_reviewer(conference):
    return _member(conference, enums.Role.PC_MEMBER, enums.Side.SYSTEMS, name="Sam Kernel")


@pytest.fixture
def conflicted_reviewer(conference):
    """A PC member; tests that need the conflict declare it on their submission."""
    return _member(conference, enums.Role.PC_MEMBER, enums.Side.BOTH, name="Connie Flict")


@pytest.fixture
def bystander(conference):
    """A PC member (ML) without a conflict who is assigned to nothing."""
    return _member(conference, enums.Role.PC_MEMBER, enums.Side.ML, name="Nina Bystander")


@pytest.fixture
def conflicted_chair(conference):
    """A second program chair; tests that need the conflict declare it on their submission."""
    return _member(conference, enums.Role.PROGRAM_CHAIR, name="Carl Conflicted-Chair")


@pytest.fixture
def author(db):
    return factories.UserFactory(name="Ada Author", email="ada@uni.example.edu")


@pytest.fixture
def outsider(db):
    return factories.UserFactory(name="Olly Outsider", email="olly@elsewhere.example.com")


@pytest.fixture
def chair_client(client, chair):
    """The test client, logged in as ``chair``."""
    client.force_login(chair)
    return client


@pytest.fixture
def api():
    """A REST framework test client, anonymous until a test logs it in or sends a token."""
    return APIClient()


@pytest.fixture
def broker_down(monkeypatch):
    """The whole test runs with the broker unreachable (tests/broker.py)."""
    with broker.outage(monkeypatch):
        yield
