"""Fixtures shared by the submissions tests (the role fixtures are in ``tests/conftest.py``).

``submission`` is the pipeline tests' draft by ``author``; a module that needs another
submission defines its own ``submission`` fixture, which takes precedence in that module."""

import pytest

from mlsys.conferences import enums
from tests import factories
from tests.submissions.pipeline_helpers import make_submission


@pytest.fixture
def submission(conference, author):
    """A draft Research submission whose contact author is ``author``."""
    return make_submission(conference, author)


@pytest.fixture
def other_chair(conference):
    """A second program chair, Carl, for the papers a chair is conflicted with."""
    user = factories.UserFactory(name="Carl Conflicted")
    factories.MembershipFactory(conference=conference, user=user, role=enums.Role.PROGRAM_CHAIR)
    return user
