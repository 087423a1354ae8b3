"""Fixtures shared by the reviews tests (the role fixtures are in ``tests/conftest.py``)."""

import pytest

from mlsys.conferences.enums import Phase, PhaseMode
from tests import factories
from tests.reviews.assignment_fixtures import build_small


@pytest.fixture
def small(conference):
    """Six Research papers, three ML and three Systems PC members, varying affinities."""
    return build_small(conference)


@pytest.fixture
def bidding_open(conference):
    """The chair forced the bidding phase open."""
    return factories.PhaseSettingFactory(
        conference=conference, phase=Phase.BIDDING, mode=PhaseMode.OPEN
    )
