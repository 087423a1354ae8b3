"""Issue 11's "Done when", in a real browser on the demo (seeded in its decisions phase):

the chair opens the decisions dashboard from the home page, finds the controversial
ML-vs-Systems papers (filter on the gap), runs the PC meeting in its discussion order — seeing
who must leave the room — and decides every paper there, releases the decisions, reviews one
letter and sends them all; an author of an accepted paper reads the decision and the reviews,
uploads the camera-ready (after the chair opened the camera-ready phase and published the
licence terms), confirms the authors and accepts the licence; the chair exports the
proceedings booklet, a real PDF with the paper in it."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from decisions.dashboard.stats import dashboard
from decisions.models import Decision, DecisionMeeting
from demo.plan import PASSWORD
from mlsys.accounts.models import User
from mlsys.conferences.models import Conference
from mlsys.conferences.viewer import Viewer
from submissions.models import Author
from tests.e2e.helpers import login, logout, shot
from tests.submissions import pdfs

pytestmark = pytest.mark.e2e

DEMO = ["--papers", "8", "--reviewers", "12", "--seed", "3", "--phase", "decisions"]
CHAIR = "chair@mlsys2027.example.org"


def test_a_chair_ends_the_conference_and_an_author_sends_the_final_version(
    page, live_server, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    call_command("seed_demo", *DEMO, stdout=io.StringIO())
    conference = Conference.objects.get(slug="mlsys2027")
    chair = User.objects.get(email=CHAIR)
    slug = conference.slug
    page.set_viewport_size({"width": 1400, "height": 900})

    # --- 1. From the home page to the dashboard; the controversial papers -----------------
    login(page, CHAIR, PASSWORD)
    page.get_by_role("link", name="Decisions dashboard").click()
    table = page.locator("table.dashboard")
    table.wait_for()
    board = dashboard(conference, Viewer(chair))
    gaps = sorted(abs(row.gap) for row in board.visible if row.gap is not None)
    assert gaps, "the demo has papers reviewed from both sides"
    cut = max(gap for gap in gaps if gap <= 2) if any(g <= 2 for g in gaps) else gaps[0]
    split = {row.number for row in board.visible if row.gap is not None and abs(row.gap) >= cut}
    page.get_by_label("|ML − Systems gap| ≥").fill(f"{cut:g}")
    page.get_by_role("button", name="Apply", exact=True).click()
    page.get_by_text(re.compile(rf"^{len(split)} papers? match")).wait_for()
    shown = {
        int(row.get_attribute("id").removeprefix("paper-"))
        for row in table.locator("tbody tr").all()
    }
    assert shown == split
    shot(page, "issue11-01-controversial")

    # --- 2. The PC meeting: discussion order, who must leave, a decision per paper ---------
    page.get_by_role("link", name="PC meeting").first.click()
    scored = sorted(row.calibrated for row in board.visible if row.calibrated is not None)
    cutoff = scored[len(scored) // 2]
    page.get_by_label("Cut-off (calibrated score)").fill(f"{cutoff:.2f}")
    page.get_by_label("Window (± score points)").fill("10")
    page.get_by_role("button", name="Start the meeting").click()
    page.get_by_text("Meeting started").wait_for()
    order = DecisionMeeting.objects.get(conference=conference).order
    calibrated = {row.id: row.calibrated for row in board.visible}
    numbers = dict(conference.submissions.values_list("pk", "number"))
    for position, paper_id in enumerate(order, start=1):
        page.get_by_text(f"Paper {position} of {len(order)}").wait_for()
        page.get_by_role("heading", name=re.compile(rf"^#{numbers[paper_id]} ")).wait_for()
        assert page.locator(".must-leave").count() == 1  # who leaves the room (maybe nobody)
        if position == 1:
            shot(page, "issue11-02-meeting")
        outcome = "Accept (poster)" if calibrated[paper_id] >= cutoff else "Reject"
        page.get_by_label("Decision", exact=True).select_option(label=outcome)
        page.get_by_role("button", name=f"Record decision for #{numbers[paper_id]}").click()
        page.get_by_text(f"#{numbers[paper_id]}: {outcome} (pending).").wait_for()
        if position < len(order):
            page.get_by_role("button", name="Next paper →").click()
    listed = conference.submissions.filter(status="submitted")
    assert Decision.objects.filter(submission__in=listed, status="pending").count() == len(order)
    assert not conference.submissions.filter(status__in=["accepted", "rejected"]).exists()

    # --- 3. Release, then review one letter and send them all ------------------------------
    page.goto(reverse("decisions:release", kwargs={"conference": slug}))
    shot(page, "issue11-03-release")
    page.get_by_role("button", name="Release all pending decisions").click()
    page.locator("#release-report").wait_for()
    assert "Released" in page.locator("#release-report").inner_text()
    accepted = list(conference.submissions.filter(status="accepted").order_by("number"))
    assert accepted and conference.submissions.filter(status="rejected").exists()

    page.get_by_role("link", name="Decision letters").first.click()
    page.get_by_role("button", name="Prepare letters").click()
    page.locator("#held-letters").wait_for()
    page.get_by_role("link", name="Preview").first.click()
    body = page.locator("#letter-body").inner_text()
    assert "Decision:" in body and "Reviewer A" in body
    reviewer_names = conference.memberships.filter(role="pc_member").values_list(
        "user__name", flat=True
    )
    assert not [name for name in reviewer_names if name in body]
    shot(page, "issue11-04-letter-preview")
    page.get_by_role("link", name="← Decision letters").click()
    mail.outbox.clear()
    page.get_by_role("button", name=re.compile(r"^Send \d+ held letters?$")).click()
    page.get_by_text(re.compile(r"^Sending \d+ letters?\.")).wait_for()
    assert mail.outbox and all("MLSys" in m.subject or "#" in m.subject for m in mail.outbox)

    # --- 4. The chair opens the camera-ready phase and publishes the licence terms ---------
    page.goto(reverse("conferences:phases", kwargs={"conference": slug}))
    page.locator('input[name="camera_ready"][value="open"]').check()
    page.get_by_role("button", name="Save switches").click()
    page.goto(reverse("decisions:camera_ready_settings", kwargs={"conference": slug}))
    page.get_by_label("Copyright / licence terms").fill(
        "The authors grant MLSys a non-exclusive licence to publish the paper."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("The camera-ready settings were saved.").wait_for()
    logout(page)

    # --- 5. An author reads the decision and the reviews, and sends the final version ------
    paper = accepted[0]
    author = Author.objects.filter(submission=paper, user__isnull=False).first().user
    login(page, author.email, PASSWORD)
    page.goto(reverse("submissions:detail", kwargs={"conference": slug, "number": paper.number}))
    card = page.locator("#decision")
    assert "Decision: Accept (poster)" in card.inner_text()
    shot(page, "issue11-05-author-decision")
    page.goto(reverse("reviews:response", kwargs={"conference": slug, "number": paper.number}))
    page.get_by_text("Reviewer A").first.wait_for()

    page.goto(
        reverse("decisions:camera_ready", kwargs={"conference": slug, "number": paper.number})
    )
    final = tmp_path / "final.pdf"
    final.write_bytes(pdfs.paper(pages=4))
    page.get_by_label("Camera-ready PDF").set_input_files(str(final))
    page.get_by_role("button", name="Upload").click()
    page.locator("#cr-report").get_by_text("this is the final version").wait_for()
    page.get_by_label("This is the final author list, as it will be published.").check()
    page.get_by_role("button", name="Save author list").click()
    page.get_by_text("The final author list is confirmed.").wait_for()
    page.get_by_label("On behalf of all authors, I accept these terms.").check()
    page.get_by_role("button", name="Accept the licence").click()
    page.get_by_text("You accepted the licence terms.").wait_for()
    assert "Complete" in page.locator("#cr-status").inner_text()
    shot(page, "issue11-06-camera-ready-complete")
    logout(page)

    # --- 6. The chair exports the proceedings booklet ---------------------------------------
    login(page, CHAIR, PASSWORD)
    page.goto(reverse("decisions:proceedings", kwargs={"conference": slug}))
    page.get_by_role("heading", name="Proceedings", exact=True).wait_for()
    booklet_row = page.get_by_role("row", name="Program booklet (PDF)")
    booklet_row.get_by_role("button", name="Build").click()
    page.get_by_role("row", name="Program booklet (PDF)").get_by_text("Ready").wait_for()
    shot(page, "issue11-07-proceedings")
    with page.expect_download() as download:
        page.get_by_role("link", name="mlsys2027-proceedings-booklet.pdf").click()
    saved = tmp_path / "booklet.pdf"
    download.value.save_as(saved)
    text = "\n".join(p.extract_text() for p in PdfReader(saved).pages)
    assert paper.title.split(":")[0] in text
    assert all(p.title.split(":")[0] in text for p in accepted)
