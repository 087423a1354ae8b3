"""Camera-ready journey in a real browser: the author of an accepted paper follows the home
page to the camera-ready page, uploads a real PDF (one page over the paper limit, named
authors: both fine for a camera-ready) and watches its report arrive, confirms the author list,
accepts the licence and sees "Complete"; the chair's overview agrees; then the shepherd the chair
assigns asks for changes and the checklist says so."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from decisions.camera_ready import services
from decisions.models import CameraReady, LicenceText
from mlsys.conferences import enums
from submissions import pipeline
from submissions.tasks import process_file
from tests import factories
from tests.e2e.helpers import DeferredWorker, login, logout, mark_page, same_page, shot
from tests.submissions import pdfs

pytestmark = pytest.mark.e2e

ADA = ("Ada Author", "Uni of Examples", "ada@uni.example.edu")
BOB = ("Bob Builder", "Systems Lab", "bob@lab.example.org")
TERMS = "The authors grant MLSys a non-exclusive licence to publish the paper."


def _conference():
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    now = timezone.now()
    conference.deadlines.filter(kind=enums.DeadlineKind.DECISION).update(at=now - timedelta(days=1))
    factories.DeadlineFactory(
        conference=conference, kind=enums.DeadlineKind.CAMERA_READY, at=now + timedelta(days=10)
    )
    conference.decisions_released_at = now - timedelta(days=1)
    conference.save(update_fields=["decisions_released_at"])
    return conference


def test_author_completes_the_camera_ready(page, live_server, monkeypatch, tmp_path):
    conference = _conference()
    track = conference.tracks.get(slug="research")
    track.page_limit = 4
    track.save(update_fields=["page_limit"])
    author = factories.UserFactory(name=ADA[0], email=ADA[2], affiliation=ADA[1])
    chair = factories.UserFactory(name="Chair Person", email="chair@example.org")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    shepherd = factories.UserFactory(name="Sheila Shepherd", email="sheila@example.org")
    factories.MembershipFactory(
        conference=conference, user=shepherd, role=enums.Role.PC_MEMBER, side=enums.Side.ML
    )
    paper = factories.SubmissionFactory(
        conference=conference,
        track=track,
        number=1,
        status="accepted",
        title="Overlapping Communication",
    )
    factories.AuthorFactory(
        submission=paper, order=0, name=ADA[0], email=ADA[2], affiliation=ADA[1], user=author
    )
    factories.AuthorFactory(
        submission=paper, order=1, name=BOB[0], email=BOB[2], affiliation=BOB[1]
    )
    LicenceText.objects.create(conference=conference, version=1, text=TERMS, created_by=chair)
    final = tmp_path / "final.pdf"
    final.write_bytes(pdfs.paper(pages=5, authors=(ADA, BOB)))
    too_long = tmp_path / "too-long.pdf"
    too_long.write_bytes(pdfs.paper(pages=6, authors=(ADA, BOB)))

    # --- From the home page to the camera-ready page ----------------------------------------
    login(page, author.email)
    page.goto("/")
    page.get_by_text("Upload the camera-ready version.").wait_for()
    page.get_by_role("link", name=re.compile(r"^Camera-ready")).first.click()
    page.get_by_role("heading", name="Camera-ready of #1 Overlapping Communication").wait_for()
    assert "Incomplete" in page.locator("#cr-status").inner_text()
    shot(page, "camera-ready-01-start")

    # --- Upload: the report arrives without a reload ------------------------------------------
    worker = DeferredWorker(process_file)
    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "_enqueue", lambda file_id: worker.enqueue(file_id=file_id))
        page.get_by_label("Camera-ready PDF").set_input_files(str(final))
        page.get_by_role("button", name="Upload").click()
        report = page.locator("#cr-report")
        report.get_by_text("is being checked").wait_for()
        mark_page(page)
        assert worker.run() == 1
    report.get_by_text("this is the final version").wait_for()
    page.locator("#cr-versions").get_by_role("cell", name="Passed").wait_for()
    assert same_page(page), "the report must arrive without reloading the page"
    assert "(5 before the references)" in report.inner_text()
    shot(page, "camera-ready-02-uploaded")

    # --- A version over the camera-ready limit never replaces the final one ------------------
    page.get_by_label("Camera-ready PDF").set_input_files(str(too_long))
    page.get_by_role("button", name="Upload").click()
    report.get_by_text("final.pdf stays the final version").wait_for()
    assert "the limit is 5" in report.locator(".report-errors").inner_text()
    assert page.locator("#cr-versions tbody tr").count() == 2
    shot(page, "camera-ready-02b-too-long")

    # --- Confirm the authors, accept the licence --------------------------------------------
    page.get_by_label("This is the final author list, as it will be published.").check()
    page.get_by_role("button", name="Save author list").click()
    page.get_by_text("The final author list is confirmed.").wait_for()
    page.get_by_label("On behalf of all authors, I accept these terms.").check()
    page.get_by_role("button", name="Accept the licence").click()
    page.get_by_text("You accepted the licence terms.").wait_for()
    status = page.locator("#cr-status").inner_text()
    assert "Complete" in status and "Incomplete" not in status
    shot(page, "camera-ready-03-complete")
    row = CameraReady.objects.get(submission=paper)
    assert row.authors_confirmed_by == author and row.licence.version == 1
    logout(page)

    # --- The chair's overview agrees; the chair assigns a shepherd ---------------------------
    login(page, chair.email)
    page.goto(f"/c/{conference.slug}/decisions/camera-ready/")
    page.get_by_role("heading", name="Camera-ready").wait_for()
    assert "Complete: 1" in page.locator(".chair-counts").inner_text()
    shot(page, "camera-ready-04-overview")
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("heading", name="Camera-ready settings").wait_for()
    assert page.get_by_label("Copyright / licence terms").input_value() == TERMS
    shot(page, "camera-ready-04b-settings")
    page.go_back()
    page.get_by_role("link", name="#1 Overlapping Communication").click()
    page.get_by_role("combobox", name="Shepherd").select_option(label="Sheila Shepherd")
    page.get_by_role("button", name="Save shepherd").click()
    page.get_by_text("The shepherd was saved.").wait_for()
    shot(page, "camera-ready-05-chair-paper")
    logout(page)

    # --- The shepherd asks for changes -----------------------------------------------------
    login(page, shepherd.email)
    page.goto(f"/c/{conference.slug}/decisions/camera-ready/shepherding/")
    page.get_by_role("link", name="#1 Overlapping Communication").click()
    page.get_by_label("Request changes").check()
    page.get_by_label("Comment").fill("Please add the new baseline to Table 2.")
    shot(page, "camera-ready-06-shepherd")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("The authors were asked for changes.").wait_for()
    assert "Incomplete" in page.locator("#cr-status").inner_text()
    assert services.queries.paper_checklist(paper).missing == ["the shepherd's approval"]
