"""Issue 8 in a real browser: a chair removes a reviewer who submitted a review via "Assign by
hand" (the confirmation names the review; the review survives, marked as from a removed
reviewer; the chair restores them), then undoes the commit after reviews exist and sees the
kept pair listed with a choice of its fate."""

import pytest
from django.core import mail
from django.urls import reverse

from mlsys.conferences import enums
from reviews.assignment import services
from reviews.enums import ReviewState
from reviews.models import Assignment, Review
from reviews.review_forms import ensure_default_form
from tests import factories
from tests.e2e.helpers import login, shot
from tests.reviews.assignment_fixtures import build_small, solved

pytestmark = pytest.mark.e2e


def _committed_with_a_review():
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(name="Chair Person", email="chair@chairs.test")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    small = build_small(conference, n_papers=2)
    proposal = solved(small, chair)
    services.commit_proposal(proposal, actor=chair)
    services.release_assignments(conference, actor=chair)
    assignment = (
        Assignment.objects.filter(submission=small.papers[0])
        .select_related("reviewer", "submission")
        .order_by("reviewer__name")
        .first()
    )
    review = factories.ReviewFactory(
        assignment=assignment,
        form=ensure_default_form(conference),
        state=ReviewState.SUBMITTED,
        answers={"summary": "Convincing evaluation.", "overall_merit": 4},
    )
    factories.ReviewRevisionFactory(review=review, number=1, answers=review.answers)
    mail.outbox.clear()
    return conference, chair, proposal, assignment, review


def test_chair_removes_a_reviewer_with_a_review_restores_them_and_undoes_the_commit(page):
    conference, chair, proposal, assignment, review = _committed_with_a_review()
    reviewer = assignment.reviewer
    paper = assignment.submission
    login(page, chair.email)

    # --- Assign by hand: the review is shown, removing asks first and names it --------------
    page.goto(reverse("reviews:assignment", kwargs={"conference": conference.slug}))
    page.get_by_role("link", name=f"Assign by hand #{paper.number}").click()
    current = page.get_by_role("region", name="Current reviewers")
    row = current.get_by_role("listitem").filter(has_text=reviewer.name)
    assert "submitted review" in row.inner_text()
    row.get_by_role("button", name=f"Remove {reviewer.name}").click()
    page.get_by_role("heading", name=f"Remove {reviewer.name} from #{paper.number}?").wait_for()
    assert "a submitted review (1 revision, 0 ratings)" in page.inner_text("main")
    shot(page, "issue8-remove-confirm")
    page.get_by_role("button", name="Remove the reviewer and keep their review").click()

    removed = page.get_by_role("region", name="Removed reviewers (work kept)")
    removed.wait_for()
    assert reviewer.name in removed.inner_text()
    assert "not counted in the scores" in removed.inner_text()
    assert Review.objects.filter(pk=review.pk, state=ReviewState.SUBMITTED).exists()
    assert Assignment.objects.get(pk=assignment.pk).removed_at is not None
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    shot(page, "issue8-removed-reviewer")

    # The paper's reviews page marks the review for the chair.
    page.goto(
        reverse("reviews:paper", kwargs={"conference": conference.slug, "number": paper.number})
    )
    assert "Removed reviewer, not in the scores" in page.inner_text("main")

    page.go_back()
    page.get_by_role("region", name="Removed reviewers (work kept)").get_by_role(
        "button", name=f"Restore {reviewer.name}"
    ).click()
    page.get_by_text(f"is a reviewer of #{paper.number} again").wait_for()
    assert Assignment.objects.get(pk=assignment.pk).removed_at is None

    # --- Undo the commit after reviews exist: the kept pair is listed with its fate ---------
    page.goto(
        reverse("reviews:proposal", kwargs={"conference": conference.slug, "pk": proposal.pk})
    )
    page.get_by_role("link", name="Undo this commit…").click()
    kept = page.get_by_role("region", name="Kept: 1 assignment with reviewers' work")
    kept.wait_for()
    assert reviewer.name in kept.inner_text() and "a submitted review" in kept.inner_text()
    total = Assignment.objects.count()
    assert f"Deleted: {total - 1} assignments without any work" in page.inner_text("main")
    shot(page, "issue8-undo-confirm")
    kept.get_by_label("Keep the reviewer on the paper").check()
    page.get_by_role("button", name="Undo the commit").click()
    page.get_by_text("1 kept with their reviewer").wait_for()
    assert list(Assignment.objects.values_list("pk", flat=True)) == [assignment.pk]
    assert Review.objects.filter(pk=review.pk).exists()


def test_a_conflicted_chair_sees_the_paper_as_conflicted_and_cannot_assign_it(page):
    conference, chair, proposal, assignment, _review = _committed_with_a_review()
    other = factories.UserFactory(name="Carl Conflicted", email="carl@chairs.test")
    factories.MembershipFactory(conference=conference, user=other, role=enums.Role.PROGRAM_CHAIR)
    paper = assignment.submission
    factories.ConflictFactory(submission=paper, user=other, state="confirmed")
    login(page, other.email)

    page.goto(reverse("reviews:assignment", kwargs={"conference": conference.slug}))
    header = page.get_by_role("rowheader", name=str(paper.number), exact=True)
    row = page.get_by_role("row").filter(has=header)
    assert "You are conflicted with this paper" in row.inner_text()
    assert assignment.reviewer.name not in row.inner_text()
    assert row.get_by_role("link", name=f"Assign by hand #{paper.number}").count() == 0
    shot(page, "issue8-conflicted-chair-overview")

    page.goto(
        reverse("reviews:proposal", kwargs={"conference": conference.slug, "pk": proposal.pk})
    )
    assert "1 paper you are conflicted with is not shown" in page.inner_text("main")
    assert f"#{paper.number} {paper.title}" not in page.inner_text("main")

    response = page.goto(
        reverse(
            "reviews:assignment_paper",
            kwargs={"conference": conference.slug, "number": paper.number},
        )
    )
    assert response.status == 404
