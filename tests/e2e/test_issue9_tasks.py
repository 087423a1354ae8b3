"""Issue 9 (tasks, state machines, outbox) in a real browser: the chair computes affinities and
solves an assignment — both tasks enqueued by name after commit and found by autodiscovery —
then commits and releases; each reviewer's email leaves the outbox exactly once, and the
affinity run's status changes are audited through the shared transition helper."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from mlsys.conferences import enums
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from reviews.enums import ProposalStatus
from reviews.models import AffinityRun, Assignment, AssignmentProposal
from tests import factories
from tests.e2e.helpers import login, shot
from tests.reviews.assignment_fixtures import build_small

pytestmark = pytest.mark.e2e


def test_chair_computes_affinities_solves_and_releases_with_each_email_sent_once(page):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(name="Chair Person", email="chair@chairs.test")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    build_small(conference, n_papers=2)
    slug = {"conference": conference.slug}
    login(page, chair.email)

    # --- Affinities: the run goes queued → running → ready, each move audited ---------------
    page.goto(reverse("reviews:affinities", kwargs=slug))
    page.get_by_role("button", name="Compute affinities").click()
    page.locator("#affinity-runs").locator(".badge.ok", has_text="Ready").wait_for()
    run = AffinityRun.objects.get(conference=conference)
    assert (run.status, run.progress) == (ProposalStatus.READY, 1.0)
    assert list(
        AuditEvent.objects.filter(object_id=str(run.pk), action__startswith="affinity.run")
        .order_by("pk")
        .values_list("action", "changes")
    ) == [
        ("affinity.run_started", {}),
        ("affinity.run_status", {"status": ["queued", "running"]}),
        ("affinity.run_finished", {"status": ["running", "ready"]}),
    ]
    shot(page, "issue9-affinities-ready")

    # --- Solve, commit, release ---------------------------------------------------------------
    page.goto(reverse("reviews:assignment", kwargs=slug))
    page.get_by_role("button", name="Solve", exact=True).click()
    page.get_by_role("button", name="Commit this proposal").click()
    page.get_by_text(re.compile(r"Committed: \d+ assignments? added")).wait_for()
    proposal = AssignmentProposal.objects.get(conference=conference)
    assert proposal.status == ProposalStatus.COMMITTED
    assert list(
        AuditEvent.objects.filter(action="assignment.proposal_status", object_id=str(proposal.pk))
        .order_by("pk")
        .values_list("changes", flat=True)
    ) == [
        {"status": ["queued", "running"]},
        {"status": ["running", "ready"]},
        {"status": ["ready", "committed"]},
    ]

    mail.outbox.clear()
    OutboundEmail.objects.all().delete()
    page.goto(reverse("reviews:assignment", kwargs=slug))
    page.get_by_role("button", name=re.compile(r"^Release \d+ assignments")).click()
    page.get_by_text("Assignments released;").wait_for()
    shot(page, "issue9-released")

    reviewers = sorted(
        set(
            Assignment.objects.filter(conference=conference, released=True).values_list(
                "reviewer__email", flat=True
            )
        )
    )
    assert reviewers
    assert sorted(m.to[0] for m in mail.outbox) == reviewers
    assert sorted(OutboundEmail.objects.values_list("to", "status", "attempts", "claimed_at")) == [
        ([email], OutboundEmail.Status.SENT, 1, None) for email in reviewers
    ]
