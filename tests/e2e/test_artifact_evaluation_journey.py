"""Artifact evaluation in a real browser: an evaluator writes in the evaluators-only thread
(htmx: the page is not reloaded), fills the kick-the-tires checklist and sends the combined
message; the author reads it under "The evaluators", never a name, and answers; the AE chair
sees names beside the aliases. Screenshots of each role's page go to the shots folder."""

import pytest
from django.urls import reverse

from artifacts.enums import ArtifactStatus as S
from artifacts.models import Artifact
from tests.artifacts.evaluation.conftest import _world, leaks
from tests.e2e.helpers import login, logout, mark_page, same_page, shot

pytestmark = pytest.mark.e2e


def test_kick_the_tires_round_in_the_browser(page, transactional_db):
    world = _world()
    path = reverse(
        "artifacts:detail",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )

    login(page, world.evaluator_a.email)
    page.goto(path)
    mark_page(page)
    thread = page.locator("#thread-evaluators")
    thread.get_by_label("Message").fill("I could not pull the image; anyone else?")
    thread.get_by_role("button", name="Post").click()
    page.locator("#thread-evaluators").get_by_text("I could not pull the image").wait_for()
    assert same_page(page)
    page.get_by_label("I understand the paper's claims the artifact supports").check()
    page.get_by_label("Notes for the combined message").fill("The image tag is missing.")
    page.get_by_role("button", name="Save checklist").click()
    page.get_by_text("Checklist saved.").wait_for()
    combined = page.locator("#kick-the-tires").get_by_label("Message", exact=True)
    assert "Evaluator A: The image tag is missing." in combined.input_value()
    shot(page, "artifact-evaluator")
    page.get_by_role("button", name="Send to the authors").click()
    page.get_by_text("The combined message was sent to the authors.").wait_for()
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.AWAITING_AUTHOR
    logout(page)

    login(page, world.author.email)
    page.goto(path)
    page.get_by_text("The evaluators are waiting for your answer").wait_for()
    html = page.content()
    assert "The image tag is missing." in html
    assert "I could not pull the image" not in html
    assert leaks(html) == []
    shot(page, "artifact-author")
    page.locator("#kick-answer").get_by_label("Message").fill("Tag v1.2 is pushed now.")
    page.get_by_role("button", name="We fixed it, please look again").click()
    page.get_by_text("Your answer was sent").wait_for()
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.KICK_THE_TIRES
    logout(page)

    login(page, world.ae_chair.email)
    page.goto(path)
    page.get_by_text("Evaluator A · Zebulon Quixote").first.wait_for()
    shot(page, "artifact-chair")


def test_evaluation_and_overview_in_the_browser(page, transactional_db):
    world = _world(status=S.EVALUATING)
    path = reverse(
        "artifacts:detail",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )
    login(page, world.evaluator_a.email)
    page.goto(path)
    available = page.locator("fieldset", has_text="Artifacts Available")
    available.get_by_label("Verdict").select_option("award")
    available.get_by_label("Justification").fill("Zenodo DOI resolves.")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("missing: Artifacts Evaluated – Functional").wait_for()
    assert available.get_by_label("Justification").input_value() == "Zenodo DOI resolves."
    functional = page.locator("fieldset", has_text="Functional")
    functional.get_by_label("Verdict").select_option("do_not_award")
    functional.get_by_label("Justification").fill("No run scripts.")
    page.get_by_label("Comments to the authors").fill("Add a script per figure.")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Evaluation submitted.").wait_for()
    shot(page, "artifact-evaluator-evaluation")
    logout(page)

    login(page, world.ae_chair.email)
    page.goto(reverse("artifacts:overview", kwargs={"conference": world.conference.slug}))
    row = page.locator("tbody tr").first
    assert "Being evaluated" in row.inner_text()
    shot(page, "artifact-overview")
