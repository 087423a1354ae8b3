"""Issue-8 journeys in a real browser: a PC member's home lists the reviews to finish with due
dates (one late), and as discussion lead she reaches the meta-review form from "Papers you
lead"; a chair opens a paper's reviews and discussion from the submissions list."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from mlsys.conferences import enums
from mlsys.conferences.models import Deadline
from tests import factories
from tests.e2e.helpers import login, logout, shot

pytestmark = pytest.mark.e2e


def _member(conference, user, role=enums.Role.PC_MEMBER, side=enums.Side.ML):
    factories.MembershipFactory(conference=conference, user=user, role=role, side=side)
    return user


def test_pc_home_late_review_lead_meta_review_and_chair_link(page):
    late_conf = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    open_conf = factories.conference_in_submission_phase(slug="mlsys2028", name="MLSys 2028")
    Deadline.objects.filter(conference=late_conf, kind=enums.DeadlineKind.REVIEW).update(
        at=timezone.now() - timedelta(days=2, hours=1)
    )
    author = factories.UserFactory(name="Ada Author", email="ada@uni.example.edu")
    mia = factories.UserFactory(name="Mia Learner", email="mia@learning.test")
    sam = factories.UserFactory(name="Sam Kernel", email="sam@kernels.test")
    chair = factories.UserFactory(name="Chair Person", email="chair@chairs.test")
    for conference in (late_conf, open_conf):
        _member(conference, mia)
    _member(late_conf, sam, side=enums.Side.SYSTEMS)
    _member(late_conf, chair, enums.Role.PROGRAM_CHAIR, "")
    late_paper = factories.SubmissionFactory(
        conference=late_conf, number=1, title="Sparse attention compilers", authors=[author]
    )
    open_paper = factories.SubmissionFactory(
        conference=open_conf, number=1, title="Elastic training schedules", authors=[author]
    )
    for paper in (late_paper, open_paper):
        factories.AssignmentFactory(submission=paper, reviewer=mia, released=True)
    factories.AssignmentFactory(submission=late_paper, reviewer=sam, released=True)
    factories.MetaReviewFactory(submission=late_paper, lead=mia)

    # --- Mia's home: a review to finish in each conference's block, with due dates; the
    # overdue one is marked (issue 10: tasks are grouped by conference) -------------------
    login(page, mia.email)
    page.goto("/")
    late_block = page.locator('[data-conference="mlsys2027"]')
    open_block = page.locator('[data-conference="mlsys2028"]')
    late_block.get_by_role("heading", name="Reviews to finish (1)").wait_for()
    late = late_block.get_by_role("list", name="Reviews to finish (1)").get_by_role("listitem")
    on_time = open_block.get_by_role("list", name="Reviews to finish (1)").get_by_role("listitem")
    assert "Sparse attention compilers" in late.inner_text()
    assert "Elastic training schedules" in on_time.inner_text()
    assert "due" in late.inner_text() and "due" in on_time.inner_text()
    assert "Late by 2 days" in late.inner_text()
    assert "Late by" not in on_time.inner_text()
    late_block.get_by_role("heading", name="Papers to lead (1)").wait_for()
    shot(page, "issue8-01-pc-home")

    # --- From "Papers you lead" to the meta-review form ---------------------------------------
    page.get_by_role("link", name="MLSys 2027").first.click()
    page.get_by_role("navigation", name="MLSYS2027").get_by_role(
        "link", name="Papers you lead"
    ).click()
    page.get_by_role("heading", name="Papers you lead").wait_for()
    shot(page, "issue8-02-papers-you-lead")
    page.get_by_role("link", name="Write meta-review of #1").click()
    page.get_by_role("heading", name=re.compile(r"^Meta-review")).wait_for()
    page.get_by_label(re.compile(r"^Summary for the authors")).wait_for()
    page.get_by_role("button", name="Submit meta-review").wait_for()
    logout(page)

    # --- The chair opens the paper's reviews from the submissions list ----------------------
    login(page, chair.email)
    page.goto("/")
    page.get_by_role("heading", name="Chairing").wait_for()
    page.get_by_text("2 reviews missing, late by 2 days").wait_for()
    shot(page, "issue8-00-chair-home")
    page.goto(late_conf.get_absolute_url())
    page.get_by_role("navigation", name="MLSYS2027").get_by_role(
        "link", name="Submissions", exact=True
    ).click()
    page.get_by_role("heading", name="Submissions", exact=True).wait_for()
    shot(page, "issue8-03-chair-list")
    page.get_by_role("link", name="Reviews and discussion of #1").click()
    page.get_by_text("Sparse attention compilers").first.wait_for()
    assert page.url.endswith(f"/c/{late_conf.slug}/reviews/1/") or "/reviews/1/" in page.url
    shot(page, "issue8-04-chair-paper-reviews")
