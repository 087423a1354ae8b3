"""Fixtures shared by the submissions tests (the role fixtures are in ``tests/conftest.py``).

``submission`` is the pipeline tests' draft by ``author``; a module that needs another
submission defines its own ``submission`` fixture, which takes precedence in that module."""

import pytest

from tests.submissions.pipeline_helpers import make_submission


@pytest.fixture
def submission(conference, author):
    """A draft Research submission whose contact author is ``author``."""
    return make_submission(conference, author)
