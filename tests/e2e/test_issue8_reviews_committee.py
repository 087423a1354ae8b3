"""Issue 8 (reviews/committee side) in a real browser: a chair on a paper without a discussion
lead is sent to the Leads page (no dead Meta-review link), reads sides as "Systems" there, and
after "Auto-assign leads" sees the same "Not started" the lead sees; then the chair reloads a
remove confirmation and undoes a released commit with one choice for every kept pair."""

import pytest
from django.core import mail
from django.urls import reverse

from mlsys.conferences import enums
from reviews.assignment import services
from reviews.models import Assignment, MetaReview, Review
from tests import factories
from tests.e2e.helpers import login, logout, shot
from tests.reviews.assignment_fixtures import build_small, solved, write_review

pytestmark = pytest.mark.e2e


def _released_commit():
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(name="Chair Person", email="chair@chairs.test")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    small = build_small(conference, n_papers=2)
    proposal = solved(small, chair)
    services.commit_proposal(proposal, actor=chair)
    services.release_assignments(conference, actor=chair)
    mail.outbox.clear()
    return conference, chair, small, proposal


def test_chair_goes_from_a_paper_without_lead_to_the_leads_page_and_auto_assigns(page):
    conference, chair, small, _proposal = _released_commit()
    paper = small.papers[0]
    login(page, chair.email)

    page.goto(
        reverse("reviews:paper", kwargs={"conference": conference.slug, "number": paper.number})
    )
    main = page.locator("main")
    assert "No discussion lead yet" in main.inner_text()
    assert main.get_by_role("link", name="Meta-review").count() == 0
    main.get_by_role("link", name="choose one on the Leads page").click()

    page.get_by_role("heading", name="Discussion leads").wait_for()
    table = page.get_by_role("table")
    assert "Systems" in table.inner_text() and "SYSTEMS" not in table.inner_text()
    page.get_by_role("button", name="Auto-assign leads").click()
    page.get_by_text("Assigned a lead to 2 papers.").wait_for()
    assert page.get_by_role("table").inner_text().count("Not started") == 2
    assert "Draft" not in page.get_by_role("table").inner_text()
    shot(page, "issue8-leads-not-started")

    page.goto(
        reverse("reviews:paper", kwargs={"conference": conference.slug, "number": paper.number})
    )
    page.locator("main").get_by_role("link", name="Meta-review").click()
    page.get_by_text("Not started").first.wait_for()

    lead = MetaReview.objects.get(submission=paper).lead
    logout(page)
    login(page, lead.email)
    page.goto(reverse("reviews:leading", kwargs={"conference": conference.slug}))
    row = page.get_by_role("row").filter(has_text=paper.title[:40])
    assert "Not started" in row.inner_text()


def test_chair_reloads_a_remove_confirmation_then_undoes_with_one_choice_for_all(page):
    conference, chair, small, proposal = _released_commit()
    kept = list(
        Assignment.objects.filter(proposal=proposal)
        .select_related("reviewer", "submission")
        .order_by("pk")[:3]
    )
    reviews = [write_review(a) for a in kept]
    first = kept[0]
    login(page, chair.email)

    remove = reverse(
        "reviews:assignment_remove",
        kwargs={
            "conference": conference.slug,
            "number": first.submission.number,
            "pk": first.pk,
        },
    )
    response = page.goto(remove)
    assert response.status == 200
    page.get_by_role(
        "heading", name=f"Remove {first.reviewer.name} from #{first.submission.number}?"
    ).wait_for()
    page.reload()
    assert "This reviewer has already worked on the paper" in page.inner_text("main")
    assert Assignment.objects.get(pk=first.pk).removed_at is None

    page.goto(
        reverse("reviews:proposal_undo", kwargs={"conference": conference.slug, "pk": proposal.pk})
    )
    choice = page.get_by_role("group", name="For every kept pair")
    choice.wait_for()
    assert choice.get_by_label("Choose for each pair below").is_checked()
    choice.get_by_label("Remove every reviewer, keeping their reviews").check()
    shot(page, "issue8-undo-for-every-kept-pair")
    page.get_by_role("button", name="Undo the commit").click()
    page.get_by_text("0 kept with their reviewer, 3 removed with the review kept").wait_for()
    assert sorted(Assignment.objects.values_list("pk", flat=True)) == [a.pk for a in kept]
    assert all(a.removed_at is not None for a in Assignment.objects.all())
    assert Review.objects.filter(pk__in=[r.pk for r in reviews]).count() == 3
