"""Fixtures shared by the reviews tests (the role fixtures are in ``tests/conftest.py``).

``paper`` here is the reviewed paper of the paper page, discussion and reviews API tests (see
``paper_fixtures.py``); a module that needs another paper defines its own ``paper`` fixture,
which takes precedence in that module."""

import pytest

from mlsys.conferences.enums import Phase, PhaseMode
from tests import factories
from tests.reviews.assignment_fixtures import build_small
from tests.reviews.paper_fixtures import reviewed_paper


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


@pytest.fixture
def paper(conference, author, ml_reviewer, systems_reviewer, conflicted_reviewer, conflicted_chair):
    """A double-blind Research paper by ``author`` assigned (released) to ``ml_reviewer`` and
    ``systems_reviewer``, with confirmed conflicts for ``conflicted_reviewer`` and
    ``conflicted_chair``."""
    return reviewed_paper(
        conference, author, ml_reviewer, systems_reviewer, conflicted_reviewer, conflicted_chair
    )
