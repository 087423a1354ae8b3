"""The decisions dashboard in a real browser, 1400 px wide: a chair filters by the ML−Systems
gap, sorts by the calibrated score, sets one decision on its row (htmx), bulk-sets two after
the preview, and saves the view. Screenshots of each step are left in the shots directory."""

import pytest
from django.urls import reverse

from decisions.models import Decision, SavedView
from decisions.outcomes import outcomes_of
from mlsys.conferences import enums
from tests import factories
from tests.e2e.helpers import login, shot

pytestmark = pytest.mark.e2e

TITLES = [
    "Pipelined sparse attention kernels for long-context inference",
    "A compiler for mixed-precision training on heterogeneous accelerators",
    "Scaling laws for retrieval-augmented recommendation models",
    "Fault-tolerant collective communication without a parameter server",
    "Learned cost models for tensor program autotuning",
    "Memory-efficient fine-tuning with activation recomputation schedules",
    "Serving mixtures of experts at scale with speculative routing",
    "Federated optimisation under stragglers and partial participation",
]
#: (ML-side scores, Systems-side scores) per paper: some agree, some are split.
SCORES = [
    ([6, 5], [2]),
    ([4], [4, 5]),
    ([5, 6], [5]),
    ([2], [6, 5]),
    ([3, 4], [3]),
    ([6], [1, 2]),
    ([4, 4], [4]),
    ([1, 2], [5]),
]


def _conference():
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(name="Chair Person", email="chair@chairs.test")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    form = factories.ReviewFormFactory(conference=conference)
    for key, label, top in (("overall_merit", "Overall merit", 6), ("confidence", "Confidence", 4)):
        factories.ReviewFieldFactory(
            form=form,
            key=key,
            label=label,
            scale=[{"value": v, "label": str(v)} for v in range(1, top + 1)],
        )
    reviewers = {
        side: [factories.UserFactory(name=f"{side.title()} reviewer {i}") for i in range(3)]
        for side in (enums.Side.ML, enums.Side.SYSTEMS)
    }
    for side, people in reviewers.items():
        for person in people:
            factories.MembershipFactory(
                conference=conference, user=person, role=enums.Role.PC_MEMBER, side=side
            )
    tracks = list(conference.tracks.order_by("order"))
    topics = list(conference.topics.all())
    tag = factories.TagFactory(conference=conference, name="best-paper?")
    for i, (title, (ml, systems)) in enumerate(zip(TITLES, SCORES, strict=True)):
        paper = factories.SubmissionFactory(
            conference=conference, title=title, track=tracks[i % 2], number=i + 1
        )
        paper.topics.add(topics[i % len(topics)], topics[(i + 3) % len(topics)])
        if i % 3 == 0:
            paper.tags.add(tag)
        for side, values in ((enums.Side.ML, ml), (enums.Side.SYSTEMS, systems)):
            for j, value in enumerate(values):
                assignment = factories.AssignmentFactory(
                    submission=paper, reviewer=reviewers[side][(i + j) % 3]
                )
                factories.ReviewFactory(
                    assignment=assignment,
                    form=form,
                    state="submitted",
                    answers={"overall_merit": value, "confidence": 2 + (i + j) % 3},
                )
        for _ in range(i % 4):
            factories.CommentFactory(submission=paper, author=reviewers[enums.Side.ML][0])
    return conference, chair


def test_chair_filters_sorts_decides_bulk_sets_and_saves_a_view(page):
    conference, chair = _conference()
    oral, poster, reject = outcomes_of(conference)
    page.set_viewport_size({"width": 1400, "height": 900})
    login(page, chair.email)
    page.goto(reverse("decisions:dashboard", kwargs={"conference": conference.slug}))
    table = page.locator("table.dashboard")
    assert table.locator("tbody tr").count() == 8
    shot(page, "decisions-dashboard-all")

    page.get_by_label("|ML − Systems gap| ≥").fill("2.5")
    page.get_by_role("button", name="Apply", exact=True).click()
    page.get_by_text("4 papers match").wait_for()
    assert table.locator("tbody tr").count() == 4

    table.get_by_role("link", name="Calib.").click()
    page.locator('th[aria-sort="ascending"]', has_text="Calib.").wait_for()
    table.get_by_role("link", name="Calib.").click()
    page.locator('th[aria-sort="descending"]', has_text="Calib.").wait_for()
    first = table.locator("tbody tr").first
    top_number = int(first.get_attribute("id").removeprefix("paper-"))
    shot(page, "decisions-dashboard-gap-sorted")

    first.get_by_label(f"Decision for #{top_number}").select_option(label="Accept (oral)")
    page.locator(f"#paper-{top_number}").get_by_text("saved").wait_for()
    # The counters follow without a reload (sent out of band with the row).
    page.locator("#dash-counts").get_by_text("(1 pending, 0 released)").wait_for()
    decision = Decision.objects.get(submission__number=top_number)
    assert decision.outcome == oral and decision.status == "pending"

    rows = table.locator("tbody tr")
    others = [int(rows.nth(i).get_attribute("id").removeprefix("paper-")) for i in (1, 2)]
    for number in others:
        page.get_by_label(f"Select #{number}").check()
    page.locator("#bulk-outcome").select_option(label="Reject")
    page.get_by_role("button", name="Apply…").click()
    page.get_by_role("heading", name="Set “Reject” on 2 papers?").wait_for()
    shot(page, "decisions-dashboard-bulk-preview")
    page.get_by_role("button", name="Set Reject on 2 papers").click()
    page.get_by_text("Reject set on 2 papers").wait_for()
    assert set(
        Decision.objects.filter(outcome=reject).values_list("submission__number", flat=True)
    ) == set(others)
    # Back on the same filtered, sorted page.
    assert "gap=2.5" in page.url and "sort=-calibrated" in page.url

    page.get_by_label("Save this view as").fill("Split papers")
    page.get_by_role("button", name="Save view").click()
    page.get_by_text("Saved the view “Split papers”.").wait_for()
    saved = SavedView.objects.get(owner=chair)
    assert "gap=2.5" in saved.query and "sort=-calibrated" in saved.query
    assert page.get_by_role("link", name="Split papers").count() == 1
    shot(page, "decisions-dashboard-saved")
    page.set_viewport_size({"width": 1400, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400


def test_a_conflicted_chair_sees_their_paper_greyed_out_without_a_control(page):
    conference, _chair = _conference()
    other_chair = factories.UserFactory(name="Carl Conflicted", email="carl@chairs.test")
    factories.MembershipFactory(
        conference=conference, user=other_chair, role=enums.Role.PROGRAM_CHAIR
    )
    factories.ConflictFactory(
        submission=conference.submissions.get(number=3), user=other_chair, state="confirmed"
    )
    page.set_viewport_size({"width": 1400, "height": 900})
    login(page, other_chair.email)
    page.goto(reverse("decisions:dashboard", kwargs={"conference": conference.slug}))
    row = page.locator("#paper-3")
    assert "conflicted" in row.get_attribute("class")
    assert row.get_by_role("link").count() == 0 and row.locator("select").count() == 0
    assert "5.33" not in row.inner_text()
    page.get_by_text("1 paper you are conflicted with is not counted").wait_for()
    shot(page, "decisions-dashboard-conflicted-chair")
    page.get_by_role("link", name="Outcomes", exact=True).click()
    page.get_by_role("heading", name="Decision outcomes").wait_for()
    shot(page, "decisions-outcomes")
