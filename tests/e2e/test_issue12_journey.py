"""Issue 12's "Done when", in a real browser on the demo (seeded in its artifacts phase):

an author of an accepted paper without an artifact registers one and submits it on the
registration page; the AE chair runs the assignment (preview, confirm) and starts
kick-the-tires; an evaluator fills the checklist and sends the combined message; the author
answers in the thread; the chair moves the artifact on to evaluation; each evaluator submits an
evaluation with a verdict per badge; the chair decides the badges and publishes them — and the
badges appear on the public results page, in the proceedings export (JSON and CSV) and on the
stamped camera-ready PDF, whose first page names them."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from artifacts.enums import ArtifactStatus as S
from artifacts.models import Artifact, EvaluatorAssignment
from decisions.proceedings.finals import final_pdf
from demo.plan import AE_CHAIR_EMAIL, CHAIR_EMAIL, PASSWORD
from mlsys.conferences.models import Conference
from tests.e2e.helpers import SHOTS, login, logout, shot

pytestmark = pytest.mark.e2e

DEMO = ["--papers", "12", "--reviewers", "12", "--seed", "3"]
BADGES = ["Artifacts Available", "Artifacts Evaluated – Functional"]


def _paper_without_artifact(conference):
    """An accepted paper with a final camera-ready and no artifact, and its contact author."""
    for paper in conference.submissions.filter(status="accepted").order_by("number"):
        if Artifact.objects.filter(submission=paper).exists() or final_pdf(paper) is None:
            continue
        author = paper.authors.filter(user__isnull=False).order_by("-is_contact", "order").first()
        return paper, author.user
    raise AssertionError("the demo leaves accepted papers without an artifact")


def test_an_artifact_from_registration_to_published_badges(page, live_server, settings):
    settings.SITE_URL = live_server.url
    # Submitting starts the smoke checks (eagerly here); the demo's repositories are fictional.
    settings.ARTIFACT_SMOKE_CHECKS = False
    call_command("seed_demo", *DEMO, stdout=io.StringIO())
    conference = Conference.objects.get(slug="mlsys2027")
    slug = conference.slug
    paper, author = _paper_without_artifact(conference)
    number = paper.number
    detail = reverse("artifacts:detail", kwargs={"conference": slug, "number": number})
    page.set_viewport_size({"width": 1300, "height": 900})

    # --- 1. The author registers the artifact and submits it ------------------------------
    def field(label):
        return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))

    login(page, author.email, PASSWORD)
    page.get_by_role("link", name=f"Register an artifact for #{number}").click()
    page.get_by_role(
        "heading", name=re.compile(rf"^Register the artifact of #{number} ")
    ).wait_for()
    for label in BADGES:
        page.get_by_label(label, exact=True).check()
    field("Repository URL").fill(f"https://github.com/mlsys-demo/paper-{number}")
    field("Version").fill("v1.0-ae")
    field("DOI").fill("10.5281/zenodo.7654321")
    field("Licence").fill("Apache-2.0")
    field("Packaging").select_option("container")
    field("Experiments and their time").fill("Figure 4 | 20 | 1.5\nTable 2 | 10 | 3")
    shot(page, "issue12-01-registration")
    page.get_by_role("button", name="Register the artifact").click()
    page.get_by_text("Your artifact is registered.").wait_for()
    page.get_by_role("button", name="Submit for evaluation").click()
    page.get_by_text("Your artifact is submitted").wait_for()
    artifact = Artifact.objects.get(submission=paper)
    assert artifact.status == S.SUBMITTED
    shot(page, "issue12-02-submitted")
    logout(page)

    # --- 2. The AE chair assigns evaluators and starts kick-the-tires ----------------------
    login(page, AE_CHAIR_EMAIL, PASSWORD)
    page.goto(reverse("artifacts:assignment", kwargs={"conference": slug}))
    page.get_by_role("button", name="Run the assignment").click()
    page.get_by_role("heading", name="Assignment preview").wait_for()
    shot(page, "issue12-03-assignment-preview")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text(re.compile(r"\d+ assignments? made")).wait_for()
    evaluators = [
        a.evaluator
        for a in EvaluatorAssignment.objects.live()
        .filter(artifact=artifact)
        .select_related("evaluator")
        .order_by("alias")
    ]
    assert len(evaluators) == conference.ae_settings.evaluators_per_artifact
    page.get_by_label(f"Start kick-the-tires for #{number}").check()
    page.get_by_role("button", name="Start kick-the-tires for the chosen artifacts").click()
    page.get_by_text(f"Kick-the-tires started for #{number}.").wait_for()
    shot(page, "issue12-04-kick-the-tires-started")
    logout(page)

    # --- 3. An evaluator fills the checklist and sends the combined message ---------------
    login(page, evaluators[0].email, PASSWORD)
    page.goto(detail)
    for question in (
        "I understand the paper's claims the artifact supports",
        "I have access to the hardware it needs",
        "It installs (or its image starts) as documented",
    ):
        page.get_by_label(question).check()
    page.get_by_label("Notes for the combined message").fill(
        "The minimal run stops: EXPECTED.md is missing."
    )
    page.get_by_label("My checklist is complete").check()
    page.get_by_role("button", name="Save checklist").click()
    page.get_by_text("Checklist saved.").wait_for()
    combined = page.locator("#kick-the-tires").get_by_label("Message", exact=True)
    assert "EXPECTED.md is missing" in combined.input_value()
    shot(page, "issue12-05-checklist")
    page.get_by_role("button", name="Send to the authors").click()
    page.get_by_text("The combined message was sent to the authors.").wait_for()
    assert Artifact.objects.get(pk=artifact.pk).status == S.AWAITING_AUTHOR
    logout(page)

    # --- 4. The author answers in the thread ----------------------------------------------
    login(page, author.email, PASSWORD)
    page.goto(detail)
    page.get_by_text("The evaluators are waiting for your answer").wait_for()
    assert evaluators[0].name not in page.content()
    page.locator("#kick-answer").get_by_label("Message").fill(
        "EXPECTED.md is in the repository now (tag v1.1-ae)."
    )
    page.get_by_role("button", name="We fixed it, please look again").click()
    page.get_by_text("Your answer was sent").wait_for()
    assert Artifact.objects.get(pk=artifact.pk).status == S.KICK_THE_TIRES
    shot(page, "issue12-06-author-answer")
    logout(page)

    # --- 5. The chair moves it on to evaluation --------------------------------------------
    login(page, AE_CHAIR_EMAIL, PASSWORD)
    page.goto(detail)
    page.get_by_role("button", name=re.compile(r"^Move on to")).click()
    page.get_by_text("The artifact is now: Being evaluated.").wait_for()
    logout(page)

    # --- 6. Each evaluator submits an evaluation with a verdict per badge ------------------
    for index, evaluator in enumerate(evaluators):
        login(page, evaluator.email, PASSWORD)
        page.goto(detail)
        for label in BADGES:
            fieldset = page.locator("#my-evaluation fieldset", has_text=label)
            fieldset.get_by_label("Verdict").select_option("award")
            fieldset.get_by_label("Justification").fill(f"{label}: every item of its checklist.")
        page.get_by_label("Comments to the authors").fill("Clean container; Figure 4 rebuilt.")
        page.get_by_role("button", name="Submit", exact=True).click()
        page.get_by_text("Evaluation submitted.").wait_for()
        if index == 0:
            shot(page, "issue12-07-evaluation")
        logout(page)
    assert Artifact.objects.get(pk=artifact.pk).status == S.DISCUSSION

    # --- 7. The chair decides the badges and publishes them ----------------------------------
    login(page, AE_CHAIR_EMAIL, PASSWORD)
    page.goto(detail)
    decision = page.locator("#decision")
    for label in BADGES:
        decision.get_by_label(label, exact=True).select_option("awarded")
    shot(page, "issue12-08-decision")
    page.get_by_role("button", name="Decide the badges").click()
    page.get_by_text("Badges decided.").wait_for()
    page.get_by_role("button", name="Publish the badges and tell the authors").click()
    page.get_by_text("Badges published; the authors were told.").wait_for()
    assert Artifact.objects.get(pk=artifact.pk).status == S.PUBLISHED
    shot(page, "issue12-09-published")
    logout(page)

    # --- 8. The public results page ---------------------------------------------------------
    page.goto(reverse("artifacts:results", kwargs={"conference": slug}))
    row = page.locator("main").get_by_text(paper.title.split(":")[0]).first
    row.wait_for()
    body = page.locator("main").inner_text()
    assert all(label in body for label in BADGES)
    shot(page, "issue12-10-results")

    # --- 9. The proceedings export (the program chair's) ------------------------------------
    login(page, CHAIR_EMAIL, PASSWORD)
    export = reverse("decisions:proceedings_export", kwargs={"conference": slug})
    answer = page.request.get(f"{export}?format=json")
    assert answer.ok
    doc = json.loads(answer.text())
    assert doc["badges_registered"] is True
    row = next(p for p in doc["papers"] if p["number"] == number)
    assert set(BADGES) <= set(row["badges"])
    answer = page.request.get(f"{export}?format=csv")
    rows = {int(r["number"]): r for r in csv.DictReader(io.StringIO(answer.text()))}
    assert all(label in rows[number]["badges"] for label in BADGES)
    logout(page)

    # --- 10. The stamped camera-ready ---------------------------------------------------------
    login(page, author.email, PASSWORD)
    page.goto(detail)
    page.locator("#stamp-status").get_by_text("Ready").wait_for()
    shot(page, "issue12-11-author-badges")
    link = page.get_by_role("link", name="Download the stamped PDF")
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "issue12-12-stamped-camera-ready.pdf").write_bytes(pdf.body())
    first = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    flat = " ".join(first.split())
    assert all(" ".join(label.split()) in flat for label in BADGES), flat[:500]
