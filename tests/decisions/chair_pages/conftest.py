"""A small conference for the chairs' long pages (issue 11): five papers, each with an ML and
a Systems reviewer (submitted reviews), a ready assignment proposal pairing them, a lead on the
first paper; and ``two_per_page`` to page the tables after two rows instead of 100."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from mlsys.core import tables
from tests import factories
from tests.reviews.response_fixtures import make_paper, review


@dataclass
class World:
    conference: object
    papers: list
    proposal: object


TITLES = ["Alpha kernels", "Beta scheduler", "Gamma compiler", "Delta memory", "Epsilon cache"]


@pytest.fixture
def world(conference, author, chair, ml_reviewer, systems_reviewer):
    papers = []
    for number, title in enumerate(TITLES, start=1):
        paper = make_paper(conference, author, number=number, title=title)
        review(paper, ml_reviewer)
        review(paper, systems_reviewer)
        papers.append(paper)
    proposal = factories.AssignmentProposalFactory(
        conference=conference, status="ready", created_by=chair
    )
    for paper in papers:
        for user, quality in ((ml_reviewer, 0.9), (systems_reviewer, 0.4)):
            factories.ProposedPairFactory(
                proposal=proposal, submission=paper, user=user, change="kept", quality=quality
            )
    factories.MetaReviewFactory(submission=papers[0], lead=ml_reviewer)
    return World(conference, papers, proposal)


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(tables, "PAGE_SIZE", 2)


def url(name: str, conference, **kwargs) -> str:
    return reverse(f"reviews:{name}", kwargs={"conference": conference.slug, **kwargs})


def csv_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode()


def conflict(paper, user) -> None:
    factories.ConflictFactory(submission=paper, user=user, state="confirmed")
