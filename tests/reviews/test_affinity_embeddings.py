"""The embedding backend (all-MiniLM-L6-v2) on real texts, through the service and the command.

Needs the ``embeddings`` extra; without it these tests skip, and fail under
MLSYS_REQUIRE_EMBEDDINGS=1 (CI). The model is loaded with HF_HUB_OFFLINE=1, and one test loads
it in a fresh process with an empty Hugging Face cache and no reachable network.
"""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

# Set before anything imports huggingface_hub, which reads it once.
os.environ["HF_HUB_OFFLINE"] = "1"

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

from reviews.affinity import backends, embeddings  # noqa: E402
from reviews.affinity.backends import PaperText, ReviewerText  # noqa: E402
from reviews.enums import ProposalStatus  # noqa: E402
from reviews.models import Affinity, AffinityRun  # noqa: E402
from tests.reviews.affinity_fixtures import (  # noqa: E402
    COMPILER_EXPERTISE,
    COMPILER_PAPER,
    RL_EXPERTISE,
    RL_PAPER,
    expertise,
    paper,
    require_embeddings,
)

ROOT = Path(__file__).resolve().parents[2]

require_embeddings(module=True)

COMPILER_DOCS = [f"{t}\n{a}" for t, a in COMPILER_EXPERTISE]
RL_DOCS = [f"{t}\n{a}" for t, a in RL_EXPERTISE]
PAPERS = [PaperText(1, *COMPILER_PAPER), PaperText(2, *RL_PAPER)]


class CountingModel:
    """The real model, counting the texts it is asked to encode."""

    def __init__(self, model):
        self.model, self.texts, self.batches = model, [], []

    def encode(self, texts, **kwargs):
        self.texts.extend(texts)
        self.batches.append(texts)
        return self.model.encode(texts, **kwargs)


@pytest.fixture
def counting(monkeypatch):
    embeddings.cache.clear()
    model = CountingModel(embeddings.load_model())
    monkeypatch.setattr(embeddings, "load_model", lambda: model)
    return model


def test_is_available_and_labelled_with_its_model():
    assert "minilm" in backends.available()
    assert ("minilm", "Embeddings (all-MiniLM-L6-v2)") in backends.choices()


def test_compiler_expert_ranks_compiler_paper_first_and_rl_expert_rl_paper():
    reviewers = [ReviewerText(10, COMPILER_DOCS), ReviewerText(11, RL_DOCS), ReviewerText(12, [])]

    matrix = backends.get_backend("minilm").score(PAPERS, reviewers)

    assert matrix.shape == (2, 3)
    assert matrix[0, 0] > matrix[0, 1]  # compiler paper: compiler expert above the RL expert
    assert matrix[1, 1] > matrix[1, 0]  # RL paper: RL expert above the compiler expert
    assert matrix[0, 0] > matrix[1, 0]
    assert matrix[:, 2].tolist() == [0, 0]  # no expertise, no score
    assert ((matrix >= 0) & (matrix <= 1)).all()


def test_score_is_the_best_document_not_the_average():
    mixed = ReviewerText(20, [*RL_DOCS, COMPILER_DOCS[0]])
    compiler_only = ReviewerText(21, [COMPILER_DOCS[0]])

    matrix = embeddings.MiniLMBackend(profile="max").score(PAPERS[:1], [mixed, compiler_only])
    soft = embeddings.MiniLMBackend().score(PAPERS[:1], [mixed, compiler_only])

    vectors = embeddings.encode([embeddings.paper_text(PAPERS[0]), *RL_DOCS, COMPILER_DOCS[0]])
    cosines = vectors[1:] @ vectors[0]
    assert matrix[0, 0] == pytest.approx(cosines.max(), abs=1e-5)
    assert matrix[0, 0] == pytest.approx(matrix[0, 1], abs=1e-5)
    assert matrix[0, 0] > cosines.mean() + 0.05
    # The default soft maximum lies between the mean and the best document.
    assert cosines.mean() < soft[0, 0] < cosines.max()
    assert soft[0, 1] == pytest.approx(cosines.max(), abs=1e-5)


def test_empty_inputs_give_an_all_zero_matrix_of_the_right_shape():
    backend = embeddings.MiniLMBackend()
    assert backend.score(PAPERS, []).shape == (2, 0)
    assert backend.score([], [ReviewerText(1, COMPILER_DOCS)]).shape == (0, 1)
    no_docs = backend.score(PAPERS, [ReviewerText(1, []), ReviewerText(2, ["  "])])
    assert no_docs.tolist() == [[0, 0], [0, 0]]
    blank_paper = backend.score([PaperText(3, "", ""), PAPERS[0]], [ReviewerText(1, COMPILER_DOCS)])
    assert blank_paper[0, 0] == 0 and blank_paper[1, 0] > 0


def test_identical_texts_are_encoded_once_and_a_rerun_encodes_nothing(counting):
    reviewers = [ReviewerText(1, COMPILER_DOCS), ReviewerText(2, COMPILER_DOCS + RL_DOCS)]
    backend = embeddings.MiniLMBackend()

    first = backend.score(PAPERS, reviewers)
    encoded = list(counting.texts)
    second = backend.score(PAPERS, reviewers)

    assert sorted(encoded) == sorted(
        {embeddings.paper_text(p) for p in PAPERS} | set(COMPILER_DOCS) | set(RL_DOCS)
    )
    assert counting.texts == encoded  # nothing new the second time
    assert np.array_equal(first, second)


def test_progress_is_reported_up_to_one(counting, monkeypatch):
    monkeypatch.setattr(embeddings, "BATCH_SIZE", 2)
    seen: list[float] = []

    embeddings.MiniLMBackend().score(
        PAPERS, [ReviewerText(1, COMPILER_DOCS), ReviewerText(2, RL_DOCS)], progress=seen.append
    )

    assert len(seen) >= 3
    assert seen == sorted(seen)
    assert seen[-1] == 1.0


def test_a_small_conference_gets_a_bar_that_moves_a_batch_at_a_time(counting, monkeypatch):
    """169 texts (the demo's size) used to be one slice of 256: the bar jumped from 5% to 59%."""
    monkeypatch.setattr(embeddings, "ENCODE_SLICE", 256)
    seen: list[float] = []

    embeddings.encode(
        [f"Paper number {i} on loop tiling" for i in range(169)], progress=seen.append
    )

    assert len(seen) == 7  # six batches of at most 32 texts, then the final 1.0
    assert seen[:6] == sorted(seen[:6]) and seen[5] == 1.0
    assert [len(batch) for batch in counting.batches] == [32, 32, 32, 32, 32, 9]


def test_model_loads_without_any_hub_access(tmp_path):
    """A fresh process, an empty Hugging Face cache, offline mode and a proxy that refuses
    every connection: the bundled model still encodes, and nothing lands in the cache."""
    hf_home = tmp_path / "hf"
    hf_home.mkdir()
    env = {
        **os.environ,
        "HF_HOME": str(hf_home),
        "HF_HUB_OFFLINE": "1",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "DJANGO_SETTINGS_MODULE": "mlsys.settings_test",
    }
    code = (
        "import django; django.setup();"
        "from reviews.affinity.embeddings import encode;"
        "v = encode(['Loop tiling in a tensor compiler', 'Offline reinforcement learning']);"
        "print(v.shape, round(float((v * v).sum(axis=1).min()), 3))"
    )

    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "(2, 384) 1.0"
    assert list(hf_home.iterdir()) == []
    # Quietly: no library lines ("Loading SentenceTransformer model", a "Loading weights" bar)
    # in worker logs or between the command's progress lines.
    assert out.stderr == ""


@pytest.fixture
def two_reviewers(conference, ml_reviewer, systems_reviewer):
    paper(conference, 1, COMPILER_PAPER)
    paper(conference, 2, RL_PAPER)
    expertise(systems_reviewer, COMPILER_EXPERTISE)
    expertise(ml_reviewer, RL_EXPERTISE)


def _scores(conference):
    return {
        (a.submission.number, a.user.email): a.score
        for a in Affinity.objects.filter(conference=conference, source="minilm").select_related(
            "submission", "user"
        )
    }


def test_the_command_computes_minilm_scores_with_a_progress_bar(
    conference, two_reviewers, ml_reviewer, systems_reviewer
):
    out, err = StringIO(), StringIO()

    call_command(
        "compute_affinities", conference.slug, "--backend", "minilm", stdout=out, stderr=err
    )

    run = AffinityRun.objects.get()
    assert (run.backend, run.status, run.progress) == ("minilm", ProposalStatus.READY, 1.0)
    scores = _scores(conference)
    assert scores[(2, ml_reviewer.email)] > scores[(2, systems_reviewer.email)]
    assert scores[(1, systems_reviewer.email)] > scores[(1, ml_reviewer.email)]
    assert not Affinity.objects.exclude(source="minilm").exists()
    bars = err.getvalue().splitlines()
    assert bars[-1].endswith("100%") and f"{conference.slug} (minilm) [" in bars[-1]
    assert len(bars) >= 3
    assert f"{len(scores)} pairs stored under 'minilm'" in out.getvalue()
