"""Accessibility of the key pages of each role, in a real browser on the demo conference.

Each page is checked twice (tests/e2e/axe.py): axe-core's WCAG 2.1 A/AA rules must find no
serious or critical violation, and pressing Tab from the top must reach every visible control,
with a visible focus ring, the "Skip to content" link first. The demo is seeded in the phase
where each page is live: submission (anonymous visitor, author, chair), bidding and reviewing
(PC member), artifacts (chair's decisions dashboard, AE chair, evaluator, author, public
results). Forms are submitted with Enter and the htmx controls (bids, review autosave) are used
from the keyboard alone. The pages covered and the results are listed in docs/accessibility.md.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from artifacts.models import EvaluatorAssignment
from decisions.models import Decision
from demo.plan import AE_CHAIR_EMAIL, CHAIR_EMAIL, PASSWORD
from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership, Conference
from reviews.models import Assignment, Bid
from tests.e2e.axe import (
    assert_no_problems,
    audit,
    axe_problems,
    axe_violations,
    keyboard_problems,
    require_axe,
)
from tests.e2e.helpers import login, logout, shot

pytestmark = pytest.mark.e2e

SMALL = ["--papers", "8", "--reviewers", "12", "--seed", "3"]


@pytest.fixture(autouse=True)
def _axe_installed():
    """Skip (or fail under MLSYS_REQUIRE_E2E=1) before seeding anything when npm ci has not
    installed axe-core."""
    require_axe()


def _demo(phase: str, live_server, settings, page) -> Conference:
    settings.SITE_URL = live_server.url
    call_command("seed_demo", *SMALL, "--phase", phase, stdout=io.StringIO())
    page.set_viewport_size({"width": 1300, "height": 900})
    return Conference.objects.get(slug="mlsys2027")


def _url(name: str, conference: Conference, **kwargs) -> str:
    return reverse(name, kwargs={"conference": conference.slug, **kwargs})


def _login_with_enter(page, email: str) -> None:
    """The login form, filled and submitted from the keyboard (Enter in the password field)."""
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password:?$")).press("Enter")
    page.get_by_role("button", name="Log out").wait_for()


def test_the_checks_catch_what_they_look_for(page, live_server):
    """The two checks fail on a page with a nameless button, unreadable text and a link Tab
    skips: they are not vacuous."""
    page.goto("/")
    assert axe_problems(page, "home") == []
    assert keyboard_problems(page, "home") == []
    page.evaluate(
        """() => {
            const main = document.getElementById("main");
            main.insertAdjacentHTML("beforeend",
                '<button type="button"></button>'
                + '<p class="bad-contrast">faint</p>'
                + '<a href="/elsewhere" tabindex="-1">Skipped by Tab</a>');
            main.querySelector(".bad-contrast").style.color = "#eeeeee";
        }"""
    )
    found = axe_problems(page, "broken home")
    assert len(found) == 1
    assert "button-name [critical]" in found[0] and "color-contrast [serious]" in found[0]
    assert {v["id"] for v in axe_violations(page)} >= {"button-name", "color-contrast"}
    keyboard = keyboard_problems(page, "broken home")
    assert any("Tab never reaches" in p and "Skipped by Tab" in p for p in keyboard)


def test_submission_phase_anonymous_author_and_chair(page, live_server, settings):
    conference = _demo("submission", live_server, settings, page)
    paper = conference.submissions.order_by("number").first()
    author = paper.authors.filter(user__isnull=False).order_by("order").first().user
    problems: list[str] = []

    # --- Anonymous visitor -----------------------------------------------------------------
    problems += audit(page, "/", "anonymous: home")
    problems += audit(page, conference.get_absolute_url(), "anonymous: conference page")
    problems += audit(page, reverse("account_login"), "anonymous: log in")
    # On a phone the deadlines table scrolls sideways: its wrapper must take keyboard focus.
    page.set_viewport_size({"width": 390, "height": 844})
    problems += audit(page, conference.get_absolute_url(), "anonymous: conference page, phone")
    problems += audit(page, "/", "anonymous: home, phone")
    page.set_viewport_size({"width": 1300, "height": 900})

    # --- Author: logs in with Enter, registers a paper from the keyboard -------------------
    _login_with_enter(page, author.email)
    problems += audit(page, "/", "author: home")
    problems += audit(page, _url("submissions:create", conference), "author: choose a track")
    page.locator("main form input[type=radio]").first.press("Enter")
    page.get_by_role("button", name="Register submission").wait_for()
    problems += axe_problems(page, "author: submission form")
    problems += keyboard_problems(page, "author: submission form")
    author_rows = page.locator('input[name^="authors-"][name$="-email"]')
    rows = author_rows.count()
    title = page.get_by_label(re.compile(r"^Title"))
    title.fill("Keyboard-only submission")
    title.press("Enter")  # implicit submission registers (it must not press "Add author")
    page.get_by_text("This field is required.").first.wait_for()
    assert author_rows.count() == rows
    shot(page, "a11y-01-submission-form-errors")
    problems += axe_problems(page, "author: submission form with errors")
    problems += audit(
        page, _url("submissions:detail", conference, number=paper.number), "author: paper page"
    )
    logout(page)

    # --- Chair ------------------------------------------------------------------------------
    login(page, CHAIR_EMAIL, PASSWORD)
    problems += audit(page, "/", "chair: home")
    problems += audit(page, _url("submissions:chair_list", conference), "chair: submissions list")
    shot(page, "a11y-02-chair-list")
    problems += audit(
        page,
        _url("submissions:chair_detail", conference, number=paper.number),
        "chair: paper page",
    )
    assert_no_problems(problems)


def test_bidding_from_the_keyboard(page, live_server, settings):
    conference = _demo("bidding", live_server, settings, page)
    member = (
        CommitteeMembership.objects.filter(conference=conference, role=enums.Role.PC_MEMBER)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    login(page, member.email, PASSWORD)
    problems = audit(page, "/", "PC member: home")
    problems += audit(page, _url("reviews:bidding", conference), "PC member: bidding")

    # A bid is a radio group: the arrow keys choose, htmx saves it, focus stays in the group.
    # The first row starts without a bid, so the second choice follows a swap at once: with
    # htmx's default settle delay the new form was not yet bound and that choice was never sent.
    number = int(page.locator("article.bid-row").first.get_attribute("id").removeprefix("paper-"))
    Bid.objects.filter(user=member, submission__number=number).delete()
    page.reload()
    page.locator(f"#paper-{number} input[type=radio]").first.focus()
    page.keyboard.press("Space")
    page.locator(f"#paper-{number} .bid-saved").wait_for()
    before = Bid.objects.get(user=member, submission__number=number).value
    page.evaluate(f"document.getElementById('paper-{number}').dataset.before = 'yes'")
    page.locator(f"#paper-{number} input[type=radio]:checked").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """(n) => {
            const row = document.getElementById(`paper-${n}`);
            return row && !row.dataset.before && row.querySelector(".bid-saved");
        }""",
        arg=number,
    )
    assert Bid.objects.get(user=member, submission__number=number).value != before
    focused = page.evaluate("document.activeElement.closest('article')?.id || ''")
    assert focused == f"paper-{number}", "focus left the bid row after htmx saved the bid"
    shot(page, "a11y-03-bidding-saved")
    problems += axe_problems(page, "PC member: bidding after a bid")
    assert_no_problems(problems)


def test_review_form_autosaves_from_the_keyboard(page, live_server, settings):
    conference = _demo("reviewing", live_server, settings, page)
    assignment = (
        Assignment.objects.live()
        .filter(conference=conference)
        .exclude(review__submitted_at__isnull=False)
        .select_related("submission", "reviewer")
        .order_by("pk")
        .first()
    )
    assert assignment is not None, "the demo leaves a review to write"
    login(page, assignment.reviewer.email, PASSWORD)
    number = assignment.submission.number
    problems = audit(page, _url("reviews:review", conference, number=number), "PC member: review")

    # Typing into a field (keyboard only) saves a draft through htmx after a second's pause.
    summary = page.get_by_label(re.compile(r"^Summary"))
    summary.focus()
    page.keyboard.type("Typed from the keyboard alone.")
    page.locator("#autosave-status").get_by_text(re.compile(r"^Draft saved")).wait_for()
    review = assignment.__class__.objects.get(pk=assignment.pk).review
    assert "Typed from the keyboard alone." in review.answers.get("summary", "")
    # The Markdown preview opens from the keyboard too (a <summary>, Enter toggles it).
    page.locator("details.md-preview > summary").first.press("Enter")
    page.locator("details.md-preview[open] .preview-body").first.wait_for()
    shot(page, "a11y-04-review-form")
    problems += axe_problems(page, "PC member: review form after autosave and preview")
    page.wait_for_load_state("networkidle")  # the autosave that leaving the field sent
    logout(page)

    # The chair decides a paper on the dashboard from the keyboard: the arrow key changes the
    # row's decision, htmx saves it and swaps the row, and focus stays on that decision.
    login(page, CHAIR_EMAIL, PASSWORD)
    problems += audit(page, _url("decisions:dashboard", conference), "chair: decisions dashboard")
    choice = page.locator("table.dashboard select[name=outcome]").first
    label = choice.get_attribute("aria-label")
    paper_number = int(label.rsplit("#", 1)[1])
    choice.focus()
    page.keyboard.press("ArrowDown")
    page.locator(f"#paper-{paper_number} .note-ok").wait_for()
    assert (
        Decision.objects.filter(submission__conference=conference)
        .filter(submission__number=paper_number)
        .exists()
    )
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == label, (
        "focus left the decision after htmx saved it"
    )
    problems += axe_problems(page, "chair: decisions dashboard after a decision")
    assert_no_problems(problems)


def test_decisions_and_artifact_pages(page, live_server, settings):
    conference = _demo("artifacts", live_server, settings, page)
    evaluation = (
        EvaluatorAssignment.objects.live()
        .select_related("artifact__submission", "evaluator")
        .order_by("pk")
        .first()
    )
    paper = evaluation.artifact.submission
    author = paper.authors.filter(user__isnull=False).order_by("order").first().user
    artifact_page = _url("artifacts:detail", conference, number=paper.number)

    login(page, CHAIR_EMAIL, PASSWORD)
    problems = audit(page, _url("decisions:dashboard", conference), "chair: decisions dashboard")
    shot(page, "a11y-05-dashboard")
    problems += audit(page, _url("decisions:threshold", conference), "chair: threshold helper")
    logout(page)

    login(page, AE_CHAIR_EMAIL, PASSWORD)
    problems += audit(page, _url("artifacts:assignment", conference), "AE chair: assignment")
    problems += audit(page, _url("artifacts:overview", conference), "AE chair: overview")
    problems += audit(page, artifact_page, "AE chair: artifact page")
    logout(page)

    login(page, evaluation.evaluator.email, PASSWORD)
    problems += audit(page, _url("artifacts:mine", conference), "evaluator: my artifacts")
    problems += audit(page, artifact_page, "evaluator: artifact page")
    logout(page)

    login(page, author.email, PASSWORD)
    problems += audit(page, artifact_page, "author: artifact page")
    logout(page)

    problems += audit(page, _url("artifacts:results", conference), "anonymous: badge results")
    assert_no_problems(problems)
