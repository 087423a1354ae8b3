"""Services enforce their permission themselves, whoever calls them (a page, the API, a task):
the chairs' assignment and review-form services refuse PC members, and a chair conflicted with
a paper cannot change its reviewers even by calling the service directly."""

import pytest
from django.core.exceptions import PermissionDenied

from reviews.assignment import services as assignment
from reviews.models import Assignment, ReviewField
from reviews.review_forms import ensure_default_form
from reviews.review_forms import services as forms
from tests import factories
from tests.reviews.reviewing_helpers import assign, make_paper


def test_a_pc_member_cannot_release_or_commit(conference, ml_reviewer, author):
    proposal = factories.AssignmentProposalFactory(conference=conference, status="ready")
    assign(make_paper(conference, author), ml_reviewer, released=False)
    with pytest.raises(PermissionDenied):
        assignment.release_assignments(conference, actor=ml_reviewer)
    with pytest.raises(PermissionDenied):
        assignment.commit_proposal(proposal, actor=ml_reviewer)
    assert not Assignment.objects.filter(released=True).exists()


def test_a_conflicted_chair_cannot_take_a_reviewer_off_the_paper(
    conference, chair, ml_reviewer, author
):
    paper = make_paper(conference, author)
    factories.ConflictFactory(submission=paper, user=chair, state="confirmed")
    on_paper = assign(paper, ml_reviewer)
    with pytest.raises(PermissionDenied):
        assignment.remove_assignment(on_paper, actor=chair)
    assert Assignment.objects.filter(pk=on_paper.pk).exists()


def test_a_pc_member_cannot_change_the_review_form(conference, ml_reviewer):
    form = ensure_default_form(conference)
    before = ReviewField.objects.count()
    with pytest.raises(PermissionDenied):
        forms.add_field(form, {"key": "x", "label": "X", "kind": "text"}, actor=ml_reviewer)
    assert ReviewField.objects.count() == before
