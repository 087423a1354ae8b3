"""Issue 14 in a real browser, as a chair meets it: on the affinity page she picks the embedding
backend, starts a run and watches its progress bar until the worker finishes and the page shows
the new scores (the compiler expert first on the compiler paper). She then downloads the texts
as an OpenReview-format dataset, has an external model score them, and uploads that file as it
comes out: the page says which column order it read. The pages pass axe-core under the CSP the
shared ``page`` fixture enforces.
"""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from mlsys.conferences import enums
from reviews.affinity import services
from reviews.affinity.tasks import compute_affinities
from reviews.models import Affinity
from tests import factories
from tests.e2e.axe import assert_no_problems, axe_problems, require_axe
from tests.e2e.helpers import DeferredWorker, login, shot, write_file
from tests.reviews.affinity_fixtures import (
    COMPILER_EXPERTISE,
    COMPILER_PAPER,
    RL_EXPERTISE,
    RL_PAPER,
    expertise,
    paper,
    require_embeddings,
)

pytestmark = pytest.mark.e2e


def test_chair_computes_embedding_affinities_and_uploads_external_scores(
    page, live_server, monkeypatch, tmp_path
):
    require_axe()
    require_embeddings()
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(name="Chair Person", email="chair@example.org")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    kim = factories.UserFactory(name="Kim Compiler", email="kim@compilers.example.org")
    rae = factories.UserFactory(name="Rae Learner", email="rae@rl.example.org")
    for user, side, docs in ((kim, enums.Side.SYSTEMS, COMPILER_EXPERTISE),
                             (rae, enums.Side.ML, RL_EXPERTISE)):  # fmt: skip
        factories.MembershipFactory(conference=conference, user=user, side=side)
        expertise(user, docs)
    paper(conference, 1, COMPILER_PAPER)
    paper(conference, 2, RL_PAPER)
    slug = {"conference": conference.slug}

    # --- The chair picks the embedding backend; the run waits for a worker ------------------
    worker = DeferredWorker(compute_affinities)
    monkeypatch.setattr(services, "enqueue_on_commit", lambda _name, **kw: worker.enqueue(**kw))
    login(page, chair.email)
    page.goto(reverse("reviews:affinities", kwargs=slug))
    page.get_by_label("Backend").select_option(label="Embeddings (all-MiniLM-L6-v2)")
    page.get_by_role("button", name="Compute affinities").click()
    bar = page.get_by_role("progressbar")
    bar.wait_for()
    assert page.get_by_role("button", name="Compute affinities").is_disabled()
    shot(page, "issue14-01-run-queued")
    assert_no_problems(axe_problems(page, "affinity page, run queued"))

    # --- The worker computes; the page notices by itself and shows the new scores -----------
    assert worker.run() == 1
    page.locator("#affinity-runs .badge.ok", has_text="Ready").wait_for()
    assert bar.count() == 0
    scores = dict(
        Affinity.objects.filter(source="minilm", submission__number=1).values_list(
            "user__email", "score"
        )
    )
    assert scores[kim.email] > scores.get(rae.email, 0.0)
    # The top matches name the compiler expert first on the compiler paper.
    row = page.locator("tr", has_text=COMPILER_PAPER[0]).inner_text()
    assert "Kim Compiler" in row
    assert "Rae Learner" not in row or row.index("Kim Compiler") < row.index("Rae Learner")
    shot(page, "issue14-02-run-ready")

    # --- The texts go out as an OpenReview dataset; the model's scores come back as they are --
    with page.expect_download() as download_info:
        page.get_by_role("link", name="download the texts as a dataset").click()
    dataset = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    submissions = [json.loads(line) for line in dataset.read("submissions.jsonl").splitlines()]
    assert [s["id"] for s in submissions] == ["1", "2"]
    reviewers = sorted(n[len("archives/") : -len(".jsonl")] for n in dataset.namelist()
                       if n.startswith("archives/"))  # fmt: skip
    assert reviewers == [kim.email, rae.email]
    # What openreview-expertise writes: "<submission id>,<reviewer id>,<score>", no header.
    external = "".join(
        f"{s['id']},{r},{0.9 if (s['id'] == '1') == (r == kim.email) else 0.1}\n"
        for s in submissions
        for r in reviewers
    )
    page.get_by_label("Scores file (CSV)").set_input_files(
        str(write_file(tmp_path, "specter2.csv", external.encode()))
    )
    page.get_by_label("Store as source").fill("specter2")
    page.get_by_role("button", name="Upload scores").click()
    page.get_by_text("Imported 4 scores as “specter2”").wait_for()
    assert "Columns read as paper, reviewer, score" in page.locator("main").inner_text()
    assert Affinity.objects.get(source="specter2", submission__number=2, user=rae).score == 0.9
    shot(page, "issue14-03-external-scores")
    assert_no_problems(axe_problems(page, "affinity page, external scores uploaded"))
