"""Outcomes, decisions and URLs for the plots, threshold, consistency and meeting tests (the
scored papers come from the dashboard's conftest one level up)."""

import pytest
from django.urls import reverse

from decisions.outcomes import outcomes_of
from tests import factories


@pytest.fixture
def outcomes(conference):
    """The conference's default outcomes by label: Accept (oral), Accept (poster), Reject."""
    return {o.label: o for o in outcomes_of(conference)}


@pytest.fixture
def decide(outcomes):
    """``decide(paper, "Reject", reason="", status="pending")``: a recorded decision."""

    def make(paper, label, *, reason="", status="pending"):
        return factories.DecisionFactory(
            submission=paper, outcome=outcomes[label], reason=reason, status=status
        )

    return make


@pytest.fixture
def url(conference):
    def make(name, **kwargs):
        return reverse(f"decisions:{name}", kwargs={"conference": conference.slug, **kwargs})

    return make
