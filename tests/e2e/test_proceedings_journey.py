"""Proceedings in a real browser: a chair opens the page from the menu, reads the counts and the
missing final PDF, builds the booklet (the test thread plays the Celery worker) and watches the
status turn Ready without reloading, then downloads it; a PC member finds no such page."""

import pytest
from django.urls import reverse

from decisions.models import ProceedingsBuild
from decisions.proceedings import services
from decisions.proceedings.tasks import build_proceedings
from tests import factories
from tests.decisions.proceedings.conftest import accept, final_pdf
from tests.e2e.helpers import DeferredWorker, login, mark_page, same_page, shot

pytestmark = pytest.mark.e2e


def test_chair_builds_and_downloads_the_booklet(page, monkeypatch):
    from decisions import services as decisions
    from decisions.outcomes import outcomes_of
    from mlsys.conferences import enums

    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(name="Chair Person", email="chair@chairs.test")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    member = factories.UserFactory(email="pc@pc.test")
    factories.MembershipFactory(conference=conference, user=member, role=enums.Role.PC_MEMBER)
    oral = outcomes_of(conference)[0]
    with_pdf = factories.SubmissionFactory(conference=conference, number=1, title="Fast kernels")
    without = factories.SubmissionFactory(conference=conference, number=2, title="Slow kernels")
    final_pdf(with_pdf)
    accept(chair, with_pdf, oral)
    accept(chair, without, oral)
    decisions.release_decisions(conference=conference, actor=chair)

    login(page, chair.email)
    page.goto(reverse("conferences:detail", kwargs={"conference": conference.slug}))
    page.get_by_role("link", name="Proceedings").first.click()
    page.get_by_role("heading", name="Proceedings", exact=True).wait_for()
    page.locator("p", has_text="2 accepted papers; 1 with a final PDF, 1 without").wait_for()
    page.get_by_text("#2 Slow kernels").wait_for()

    worker = DeferredWorker(build_proceedings)
    monkeypatch.setattr(services, "enqueue_on_commit", lambda name, **kw: worker.enqueue(**kw))
    booklet_row = page.get_by_role("row", name="Program booklet (PDF)")
    booklet_row.get_by_role("button", name="Build").click()
    booklet_row = page.get_by_role("row", name="Program booklet (PDF)")
    booklet_row.get_by_text("Queued…").wait_for()
    mark_page(page)
    assert worker.run() == 1
    page.get_by_role("row", name="Program booklet (PDF)").get_by_text("Ready").wait_for()
    assert same_page(page), "the status must arrive without reloading the page"
    shot(page, "proceedings-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="mlsys2027-proceedings-booklet.pdf").click()
    assert download.value.suggested_filename == "mlsys2027-proceedings-booklet.pdf"
    build = ProceedingsBuild.objects.get()
    assert (build.status, build.papers) == ("ready", 2)

    page.get_by_role("button", name="Log out").click()
    login(page, member.email)
    response = page.goto(reverse("decisions:proceedings", kwargs={"conference": conference.slug}))
    assert response.status == 404
