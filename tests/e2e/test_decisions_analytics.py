"""Decision analysis in a real browser: a chair opens the plots, moves the threshold slider and
watches the preview update in place (htmx), gives the one-line reason a disagreeing decision
lacks, then runs the PC meeting: starts it, sees who must leave the room, goes to the next paper
and records its decision there. Screenshots of each page land in the e2e shots folder."""

import pytest
from django.urls import reverse

from decisions.models import Decision, DecisionMeeting
from decisions.outcomes import outcomes_of
from mlsys.conferences import enums
from tests import factories
from tests.e2e.helpers import login, mark_page, same_page, shot

pytestmark = pytest.mark.e2e


def _scored_conference():
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(name="Chair Person", email="chair@example.org")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    form = factories.ReviewFormFactory(conference=conference)
    for key, top in (("overall_merit", 6), ("confidence", 4)):
        factories.ReviewFieldFactory(
            form=form,
            key=key,
            label=key.replace("_", " ").capitalize(),
            scale=[{"value": v, "label": str(v)} for v in range(1, top + 1)],
        )
    reviewers = []
    for i in range(6):
        user = factories.UserFactory(name=f"Reviewer {i + 1}")
        factories.MembershipFactory(
            conference=conference,
            user=user,
            role=enums.Role.PC_MEMBER,
            side=enums.Side.ML if i % 2 else enums.Side.SYSTEMS,
        )
        reviewers.append(user)
    topics = list(conference.topics.all())
    papers = []
    merits = [(6, 5), (5, 5), (4, 4), (4, 3), (3, 4), (2, 2), (1, 2)]
    for n, (ml, systems) in enumerate(merits, start=1):
        paper = factories.SubmissionFactory(
            conference=conference, number=n, title=f"Paper {n}: tensor compilers at scale"
        )
        paper.topics.set(topics[n % len(topics) : n % len(topics) + 1])
        # An ML-side and a Systems-side reviewer, three pairs in turn.
        for reviewer, score in (
            (reviewers[1 + 2 * (n % 3)], ml),
            (reviewers[2 * (n % 3)], systems),
        ):
            assignment = factories.AssignmentFactory(submission=paper, reviewer=reviewer)
            factories.ReviewFactory(
                assignment=assignment,
                form=form,
                state="submitted",
                answers={"overall_merit": score, "confidence": 3},
            )
        papers.append(paper)
    return conference, chair, reviewers, papers


def test_chair_plots_threshold_consistency_and_meeting(page, live_server):
    conference, chair, reviewers, papers = _scored_conference()
    outcomes = {o.label: o for o in outcomes_of(conference)}
    # A decision that disagrees with the ranking (the weakest paper accepted), no reason yet.
    factories.DecisionFactory(submission=papers[-1], outcome=outcomes["Accept (poster)"])
    # Reviewer 4 has a conflict with paper 3 and must leave the room for it.
    factories.ConflictFactory(submission=papers[2], user=reviewers[3], state="confirmed")
    slug = conference.slug

    login(page, chair.email)
    page.goto(reverse("decisions:plots", kwargs={"conference": slug}))
    page.get_by_role("heading", name="Decision plots").wait_for()
    assert page.locator("svg.plot").count() == 4
    assert page.get_by_role("img", name="Reviewer calibration").is_visible()
    shot(page, "decisions-plots")

    page.get_by_role("link", name="Threshold helper").first.click()
    page.get_by_role("heading", name="Threshold helper").wait_for()
    mark_page(page)
    page.locator("#cutoff-slider").fill("4.5")
    heading = page.locator("#threshold-now")
    heading.filter(has_text="Cut-off 4.50").wait_for()
    assert "2 of 7 papers accepted" in heading.inner_text()
    assert same_page(page)  # updated in place, not reloaded
    page.locator("#cutoff-slider").fill("3")
    heading.filter(has_text="Cut-off 3.00").wait_for()
    shot(page, "decisions-threshold")

    page.get_by_role("link", name="1 decision disagrees with this cut-off").click()
    page.get_by_role("heading", name="Consistency check").wait_for()
    row = page.locator(f"#paper-{papers[-1].number}")
    assert "No reason yet" in row.inner_text()
    row.get_by_label(f"Reason for #{papers[-1].number}").fill("Best artifact of the year")
    row.get_by_role("button", name="Keep reason").click()
    page.get_by_text(f"Reason kept with the decision of #{papers[-1].number}.").wait_for()
    assert Decision.objects.get(submission=papers[-1]).reason == "Best artifact of the year"
    shot(page, "decisions-consistency")

    page.get_by_role("link", name="PC meeting").first.click()
    page.get_by_label("Cut-off (calibrated score)").fill("4")
    page.get_by_label("Window (± score points)").fill("1")
    page.get_by_role("button", name="Start the meeting").click()
    page.get_by_text("Meeting started").wait_for()
    order = DecisionMeeting.objects.get().order
    first = next(p for p in papers if p.pk == order[0])
    page.get_by_role("heading", name=f"#{first.number} {first.title}").wait_for()
    # Walk to paper 3 and see who must leave for it.
    for position in range(1, order.index(papers[2].pk) + 1):
        page.get_by_role("button", name="Next paper →").click()
        page.get_by_text(f"Paper {position + 1} of {len(order)}").wait_for()
    page.get_by_role("heading", name=f"#3 {papers[2].title}").wait_for()
    assert "Reviewer 4" in page.locator(".must-leave").inner_text()
    page.get_by_label("Decision", exact=True).select_option(label="Accept (poster)")
    page.get_by_role("button", name="Record decision for #3").click()
    page.get_by_text("#3: Accept (poster) (pending).").wait_for()
    decision = Decision.objects.get(submission=papers[2])
    assert (decision.outcome.label, decision.status) == ("Accept (poster)", "pending")
    shot(page, "decisions-meeting")
