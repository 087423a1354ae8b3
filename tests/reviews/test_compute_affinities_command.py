"""``manage.py compute_affinities``: the same run as the chairs' button, computed in-process with
a progress bar; clear errors for an unknown conference or backend and a busy conference."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reviews.affinity import embeddings
from reviews.enums import ProposalStatus
from reviews.models import Affinity, AffinityRun
from tests import factories
from tests.reviews.affinity_fixtures import (
    COMPILER_EXPERTISE,
    COMPILER_PAPER,
    RL_EXPERTISE,
    RL_PAPER,
    expertise,
    paper,
)


def _call(*args):
    out, err = StringIO(), StringIO()
    call_command("compute_affinities", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def scored(conference, ml_reviewer, systems_reviewer):
    paper(conference, 1, COMPILER_PAPER)
    paper(conference, 2, RL_PAPER)
    expertise(systems_reviewer, COMPILER_EXPERTISE)
    expertise(ml_reviewer, RL_EXPERTISE)


def test_computes_the_default_backend_now_with_a_progress_bar(
    conference, scored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        out, err = _call(conference.slug)

    assert callbacks == []  # nothing enqueued: this process did the work
    run = AffinityRun.objects.get()
    assert (run.backend, run.status, run.progress, run.started_by) == (
        "tfidf",
        ProposalStatus.READY,
        1.0,
        None,
    )
    assert Affinity.objects.filter(source="tfidf").count() == run.stats["pairs"] == 4
    bars = err.splitlines()
    assert bars[0].startswith(f"{conference.slug} (tfidf) [") and bars[-1].endswith("100%")
    assert [int(line[-4:-1]) for line in bars] == sorted({int(line[-4:-1]) for line in bars})
    assert "Run" in out and "4 pairs stored under 'tfidf'" in out
    assert "Bidding and the assignment solver now read these scores" in out


def test_unknown_conference_is_an_error(db):
    with pytest.raises(CommandError, match="No conference with the slug 'nope'") as caught:
        _call("nope")
    assert caught.value.returncode == 2
    assert not AffinityRun.objects.exists()


def test_unknown_backend_is_an_error_naming_the_available_ones(conference):
    with pytest.raises(CommandError, match="No affinity backend 'specter'.*tfidf") as caught:
        _call(conference.slug, "--backend", "specter")
    assert caught.value.returncode == 2
    assert not AffinityRun.objects.exists()


def test_backend_whose_extra_is_missing_says_how_to_install_it(conference, monkeypatch):
    monkeypatch.setattr(embeddings, "missing_packages", lambda: ["torch"])

    with pytest.raises(CommandError, match=r'pip install -e "\.\[embeddings\]"'):
        _call(conference.slug, "--backend", "minilm")
    assert not AffinityRun.objects.exists()


def test_refused_while_a_run_is_active(conference):
    factories.AffinityRunFactory(conference=conference, status=ProposalStatus.RUNNING, progress=0.4)

    with pytest.raises(CommandError, match="already being computed"):
        _call(conference.slug)
    assert AffinityRun.objects.count() == 1


def test_a_failed_run_is_reported_with_its_message(conference, scored, monkeypatch):
    from reviews.affinity.tfidf import TfidfBackend

    def broken(self, papers, reviewers, *, progress=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(TfidfBackend, "score", broken)

    with pytest.raises(CommandError, match="failed: The computation failed \\(RuntimeError\\)"):
        _call(conference.slug)
    assert AffinityRun.objects.get().status == ProposalStatus.FAILED
