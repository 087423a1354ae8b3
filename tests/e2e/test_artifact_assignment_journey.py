"""Artifact bidding and assignment in a real browser: an evaluator without GPUs sees which
artifacts fit their hardware and bids with htmx (no reload); the AE chair runs the
assignment, reads the preview (the GPU artifact stays open, with the reason) and confirms;
the evaluator finds the artifact under "My artifacts"."""

import pytest
from django.urls import reverse

from artifacts.models import ArtifactBid, EvaluatorAssignment, HardwareProfile
from tests.e2e.helpers import login, logout, mark_page, same_page, shot
from tests.factories import artifacts as af

pytestmark = pytest.mark.e2e


def test_bid_then_assign(page):
    conference = af.ae_conference(slug="mlsys2027", name="MLSys 2027")
    conference.ae_settings.evaluators_per_artifact = 1
    conference.ae_settings.save()
    cpu = af.ArtifactFactory(
        conference=conference,
        status="submitted",
        badges=["available", "functional"],
        summary="A compiler pass with its benchmarks.",
        cpu_cores=8,
        experiments=[{"name": "Figure 3", "human_minutes": 20, "compute_hours": 1.5}],
    )
    gpu = af.ArtifactFactory(
        conference=conference,
        status="submitted",
        badges=["available", "reproduced"],
        summary="Fine-tunes a model on 8 GPUs.",
        gpu_model="A100",
        gpu_count=8,
        datasets=[{"name": "ImageNet subset", "kind": "dataset", "size_gb": 12}],
    )
    evaluator = af.evaluator(conference, name="Eve Evaluator", email="eve@lab.example.org")
    HardwareProfile.objects.create(user=evaluator, cpu_cores=32, ram_gb=64)
    chair = af.ae_chair(conference, name="Chris Chair", email="chris@uni.example.edu")
    slug = conference.slug

    login(page, evaluator.email)
    page.goto(reverse("artifacts:bidding", kwargs={"conference": slug}))
    cpu_row = page.locator(f"#artifact-{cpu.submission.number}")
    gpu_row = page.locator(f"#artifact-{gpu.submission.number}")
    assert "Fits your hardware" in cpu_row.inner_text()
    assert "Does not fit your hardware" in gpu_row.inner_text()
    mark_page(page)
    cpu_row.get_by_label("Eager").check()
    page.locator(f"#artifact-{cpu.submission.number} .bid-saved").wait_for()
    assert same_page(page)
    assert ArtifactBid.objects.get(user=evaluator, artifact=cpu).preference == "eager"
    shot(page, "artifact-bidding")
    logout(page)

    login(page, chair.email)
    page.goto(reverse("artifacts:assignment", kwargs={"conference": slug}))
    shot(page, "artifact-assignment")
    page.get_by_role("button", name="Run the assignment").click()
    page.get_by_role("heading", name="Assignment preview").wait_for()
    body = page.locator("main").inner_text()
    assert "Eve Evaluator" in body
    assert f"#{gpu.submission.number}: 1 of 1 place open" in body
    shot(page, "artifact-assignment-preview")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("1 assignment made").wait_for()
    assert EvaluatorAssignment.objects.get(evaluator=evaluator).artifact == cpu
    shot(page, "artifact-assignment-after")
    page.get_by_role("link", name=f"Evaluators of #{gpu.submission.number}").click()
    page.get_by_role("heading", name=f"Evaluators of #{gpu.submission.number}").wait_for()
    assert "No unconflicted evaluator's hardware fits" in page.locator("main").inner_text()
    shot(page, "artifact-assignment-one")
    logout(page)

    login(page, evaluator.email)
    page.goto(reverse("artifacts:mine", kwargs={"conference": slug}))
    assert "Evaluator A" in page.locator("main").inner_text()
    shot(page, "artifact-mine")
