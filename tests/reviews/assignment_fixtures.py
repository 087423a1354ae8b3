"""The small assignment world shared by the assignment tests (services, views, removal,
remove page) and the browser journeys: ``build_small`` papers and reviewers with varying
affinities, a solved proposal, a released assignment and a reviewer's submitted review.

The ``small`` fixture itself lives in ``tests/reviews/conftest.py``."""

from dataclasses import dataclass

import numpy as np
from django.core import mail
from django.urls import reverse

from mlsys.conferences import enums
from reviews.assignment import services
from reviews.assignment.solving import run_solve
from reviews.enums import PairChange, ReviewState
from reviews.models import Affinity, Assignment, AssignmentProposal, Review
from reviews.review_forms import ensure_default_form
from tests import factories


@dataclass
class Small:
    conference: object
    track: object
    papers: list
    ml: list
    systems: list

    @property
    def reviewers(self) -> list:
        return self.ml + self.systems


def build_small(conference, n_papers: int = 6, *, max_load: int = 8) -> Small:
    """``n_papers`` research papers, 3 ML + 3 Systems PC members, affinities that vary."""
    track = conference.tracks.get(slug="research")
    ml, systems = [], []
    for i in range(3):
        for side, bucket in ((enums.Side.ML, ml), (enums.Side.SYSTEMS, systems)):
            user = factories.UserFactory(name=f"{side.title()} Reviewer {i}")
            factories.MembershipFactory(
                conference=conference, user=user, side=side, max_load=max_load
            )
            bucket.append(user)
    papers = [
        factories.SubmissionFactory(conference=conference, track=track, number=n + 1)
        for n in range(n_papers)
    ]
    Affinity.objects.bulk_create(
        Affinity(
            conference=conference,
            submission=p,
            user=u,
            score=((pi * 7 + ui * 3) % 10) / 10,
        )
        for pi, p in enumerate(papers)
        for ui, u in enumerate(ml + systems)
    )
    return Small(conference, track, papers, ml, systems)


def solved(small: Small, chair, track=None, **params) -> AssignmentProposal:
    proposal = factories.AssignmentProposalFactory(
        conference=small.conference,
        track=track,
        created_by=chair,
        params={"w_affinity": 1, "w_bid": 1, "w_topic": 0.5, **params},
    )
    run_solve(proposal)
    proposal.refresh_from_db()
    return proposal


def proposed(proposal) -> set[tuple[int, int]]:
    return set(
        proposal.pairs.exclude(change=PairChange.REMOVED).values_list("submission_id", "user_id")
    )


def two_track_conference(small: Small) -> tuple[object, list]:
    """Research: 2 papers, 3 reviewers each (>= 1 ML, >= 1 Systems). Industry: 2 papers, 2
    reviewers each, both Systems. Every reviewer takes at most 2 papers, so the 6 Systems
    reviews fill the Systems side exactly; Ml Reviewer 2 scores lowest everywhere but must
    review 2 papers (min load)."""
    for extra in small.papers[2:]:
        extra.delete()
    small.papers[:] = small.papers[:2]
    industry = small.conference.tracks.get(slug="industry")
    industry.reviewers_per_paper = 2
    industry.min_ml_reviewers = 0
    industry.min_systems_reviewers = 2
    industry.save()
    papers = small.papers + [
        factories.SubmissionFactory(conference=small.conference, track=industry, number=50 + n)
        for n in range(2)
    ]
    rng = np.random.default_rng(11)
    Affinity.objects.filter(submission__in=small.papers).delete()
    Affinity.objects.bulk_create(
        Affinity(
            conference=small.conference,
            submission=p,
            user=u,
            score=0.0 if u == small.ml[2] else round(float(rng.random()), 3),
        )
        for p in papers
        for u in small.reviewers
    )
    small.conference.memberships.filter(user__in=small.reviewers).update(max_load=2)
    small.conference.memberships.filter(user=small.ml[2]).update(min_load=2)
    return industry, papers


def write_review(assignment, *, submitted=True, revisions=1) -> Review:
    review = factories.ReviewFactory(
        assignment=assignment,
        submission=assignment.submission,
        reviewer=assignment.reviewer,
        form=ensure_default_form(assignment.conference),
        state=ReviewState.SUBMITTED if submitted else ReviewState.DRAFT,
        answers={"summary": "Solid work.", "overall_merit": 4},
    )
    for n in range(1, revisions + 1):
        factories.ReviewRevisionFactory(review=review, number=n, answers=review.answers)
    return review


def released_assignment(small, chair, paper=0, reviewer=None) -> Assignment:
    assignment, _ = services.add_assignment(
        small.conference,
        submission=small.papers[paper],
        reviewer_id=(reviewer or small.ml[0]).pk,
        actor=chair,
    )
    services.release_assignments(small.conference, actor=chair)
    mail.outbox.clear()
    assignment.refresh_from_db()
    return assignment


def page(name, small, **kwargs):
    return reverse(f"reviews:{name}", kwargs={"conference": small.conference.slug, **kwargs})
