"""Affinity computation: the TF-IDF backend, the service that stores scores, the task, the
backend registry."""

import numpy as np
import pytest
from scipy import sparse

from mlsys.core.models import AuditEvent
from reviews.affinity import backends, services
from reviews.affinity.backends import AffinityBackend, PaperText, ReviewerText
from reviews.affinity.tasks import compute_affinities
from reviews.affinity.tfidf import TfidfBackend
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


def _scores(conference, source="tfidf"):
    return {
        (a.submission.number, a.user.email): a.score
        for a in Affinity.objects.filter(conference=conference, source=source).select_related(
            "submission", "user"
        )
    }


@pytest.fixture
def papers(conference):
    return paper(conference, 1, COMPILER_PAPER), paper(conference, 2, RL_PAPER)


@pytest.fixture
def run(conference, chair):
    return factories.AffinityRunFactory(conference=conference, backend="tfidf", started_by=chair)


# --- The TF-IDF backend on its own ---------------------------------------------------------


def test_tfidf_compiler_expert_scores_compiler_paper_above_rl_paper():
    papers = [PaperText(1, *COMPILER_PAPER), PaperText(2, *RL_PAPER)]
    reviewers = [
        ReviewerText(10, [f"{t}\n{a}" for t, a in COMPILER_EXPERTISE]),
        ReviewerText(11, [f"{t}\n{a}" for t, a in RL_EXPERTISE]),
        ReviewerText(12, []),
    ]
    matrix = TfidfBackend().score(papers, reviewers).toarray()
    assert matrix.shape == (2, 3)
    assert matrix[0, 0] > matrix[1, 0]  # compiler expert: compiler paper first
    assert matrix[1, 1] > matrix[0, 1]  # RL expert: RL paper first
    assert matrix[:, 2].tolist() == [0, 0]  # no expertise, no score
    assert ((matrix >= 0) & (matrix <= 1)).all()


def test_tfidf_max_profile_is_the_best_matching_document_not_the_average():
    papers = [PaperText(1, *COMPILER_PAPER), PaperText(2, *RL_PAPER)]
    compiler_doc = "\n".join(COMPILER_EXPERTISE[0])
    focused = ReviewerText(1, [compiler_doc])
    broad = ReviewerText(2, [compiler_doc, *["\n".join(d) for d in RL_EXPERTISE * 3]])
    matrix = TfidfBackend(profile="max").score(papers, [focused, broad]).toarray()
    assert matrix[0, 0] == pytest.approx(matrix[0, 1])
    # The default soft maximum credits the broad reviewer's compiler paper less than the
    # focused reviewer's, but far more than an average of their papers would.
    soft = TfidfBackend().score(papers, [focused, broad]).toarray()
    mean = TfidfBackend(profile="softmax", temperature=1e3).score(papers, [focused, broad])
    assert mean.toarray()[0, 1] < soft[0, 1] < soft[0, 0]


def test_tfidf_without_any_expertise_returns_an_empty_matrix():
    matrix = TfidfBackend().score([PaperText(1, *COMPILER_PAPER)], [ReviewerText(1, [])])
    assert matrix.shape == (1, 1) and matrix.nnz == 0


def test_tfidf_body_text_counts(conference):
    body = "quantum chromodynamics lattice gauge " * 20
    papers = [PaperText(1, "A paper", "Short abstract.", body), PaperText(2, "B paper", "Other.")]
    reviewers = [ReviewerText(1, ["Lattice gauge theory\nquantum chromodynamics on GPUs"])]
    matrix = TfidfBackend().score(papers, reviewers).toarray()
    assert matrix[0, 0] > 0 and matrix[1, 0] == 0


# --- The service ----------------------------------------------------------------------------


def test_compute_stores_scores_and_marks_run_ready(
    conference, papers, run, ml_reviewer, systems_reviewer
):
    expertise(systems_reviewer, COMPILER_EXPERTISE)
    expertise(ml_reviewer, RL_EXPERTISE)

    run = services.compute_affinities(run)

    assert run.status == ProposalStatus.READY
    assert run.progress == 1.0
    assert run.finished_at is not None
    scores = _scores(conference)
    sam, mia = systems_reviewer.email, ml_reviewer.email
    assert scores[(1, sam)] > scores.get((2, sam), 0)
    assert scores[(2, mia)] > scores.get((1, mia), 0)
    assert all(0 < s <= 1 for s in scores.values())
    assert run.stats["pairs"] == len(scores) == Affinity.objects.count()
    assert run.stats["papers"] == 2 and run.stats["reviewers"] == 2
    assert run.stats["reviewers_without_expertise"] == []
    assert run.stats["papers_without_text"] == [1, 2]
    assert sum(b["count"] for b in run.stats["histogram"]) == len(scores)
    assert AuditEvent.objects.filter(action="affinity.run_finished").count() == 1


def test_rerunning_replaces_scores_instead_of_duplicating(conference, papers, chair, ml_reviewer):
    expertise(ml_reviewer, RL_EXPERTISE)
    services.compute_affinities(factories.AffinityRunFactory(conference=conference))
    first = _scores(conference)
    factories.AffinityFactory(
        conference=conference, submission=papers[0], user=chair, source="uploaded", score=0.5
    )

    second_run = services.compute_affinities(factories.AffinityRunFactory(conference=conference))

    assert second_run.status == ProposalStatus.READY
    assert _scores(conference) == first
    assert Affinity.objects.filter(source="tfidf").count() == len(first)
    # Other sources are left alone; no temporary rows remain.
    assert Affinity.objects.filter(source="uploaded").count() == 1
    assert not Affinity.objects.filter(source__startswith="~").exists()


def test_finished_run_is_not_recomputed(conference, papers, run, ml_reviewer):
    expertise(ml_reviewer, RL_EXPERTISE)
    services.compute_affinities(run)
    Affinity.objects.all().delete()

    again = services.compute_affinities(run)

    assert again.status == ProposalStatus.READY
    assert Affinity.objects.count() == 0


def test_reviewers_without_expertise_are_reported(
    conference, papers, run, ml_reviewer, systems_reviewer
):
    expertise(ml_reviewer, RL_EXPERTISE)

    run = services.compute_affinities(run)

    assert run.stats["reviewers_without_expertise"] == [
        {"id": systems_reviewer.pk, "name": "Sam Kernel", "email": systems_reviewer.email}
    ]
    assert not Affinity.objects.filter(user=systems_reviewer).exists()


def test_no_score_for_a_reviewer_on_their_own_paper(conference, run, ml_reviewer):
    own = paper(conference, 1, RL_PAPER, authors=[ml_reviewer])
    other = paper(conference, 2, RL_PAPER)
    factories.AuthorFactory(submission=other, email=ml_reviewer.email.upper(), user=None)
    third = paper(conference, 3, RL_PAPER)
    expertise(ml_reviewer, RL_EXPERTISE)

    run = services.compute_affinities(run)

    assert list(Affinity.objects.values_list("submission_id", flat=True)) == [third.pk]
    assert run.stats["own_pairs_skipped"] == 2
    assert own.pk != third.pk


def test_only_active_submissions_and_accepted_pc_are_scored(conference, run, ml_reviewer):
    paper(conference, 1, RL_PAPER)
    paper(conference, 2, RL_PAPER, status="draft")
    paper(conference, 3, RL_PAPER, status="withdrawn")
    invited = factories.UserFactory()
    factories.MembershipFactory(conference=conference, user=invited, status="invited")
    external = factories.UserFactory()
    factories.MembershipFactory(conference=conference, user=external, role="external_reviewer")
    for user in (ml_reviewer, invited, external):
        expertise(user, RL_EXPERTISE)

    services.compute_affinities(run)

    assert list(Affinity.objects.values_list("submission__number", "user_id")) == [
        (1, ml_reviewer.pk)
    ]


def test_pdf_text_is_used_and_papers_without_it_reported(conference, run, ml_reviewer):
    with_text = paper(conference, 1, ("A study", "Nothing specific here."))
    stored = factories.SubmissionFileFactory(
        submission=with_text, text="actor critic reinforcement learning policy value " * 30
    )
    with_text.current_paper = stored
    with_text.save(update_fields=["current_paper"])
    paper(conference, 2, ("Another study", "Nothing specific either."))
    expertise(ml_reviewer, RL_EXPERTISE)

    run = services.compute_affinities(run)

    assert run.stats["papers_without_text"] == [2]
    assert _scores(conference)[(1, ml_reviewer.email)] > _scores(conference).get(
        (2, ml_reviewer.email), 0
    )


def test_failing_backend_marks_run_failed_without_traceback(conference, papers, ml_reviewer):
    class Broken(AffinityBackend):
        name = "broken-test"

        def score(self, papers, reviewers, *, progress=None):
            raise RuntimeError("secret internal detail")

    backends.register(Broken)
    try:
        run = factories.AffinityRunFactory(conference=conference, backend="broken-test")
        run = services.compute_affinities(run)
    finally:
        backends.unregister("broken-test")

    assert run.status == ProposalStatus.FAILED
    assert "RuntimeError" in run.message and "secret" not in run.message
    assert "Traceback" not in run.message
    assert run.finished_at is not None
    assert not Affinity.objects.exists()


# --- The registry: a test backend through the same service ---------------------------------


def test_registered_backend_works_through_the_service(
    conference, papers, ml_reviewer, systems_reviewer, settings
):
    seen = {}

    class Constant(AffinityBackend):
        """Scores by paper position; returns a dense array to check those are accepted."""

        name = "constant-test"

        def score(self, papers, reviewers, *, progress=None):
            seen["papers"] = [p.title for p in papers]
            seen["reviewers"] = [r.id for r in reviewers]
            progress(0.5)
            matrix = np.zeros((len(papers), len(reviewers)))
            matrix[0, :] = 0.25
            return matrix

    backends.register(Constant)
    settings.AFFINITY_BACKEND = "constant-test"
    try:
        assert "constant-test" in backends.available()
        run = services.start_run(conference, actor=None)
        run = services.compute_affinities(run)
    finally:
        backends.unregister("constant-test")

    assert run.backend == "constant-test" and run.status == ProposalStatus.READY
    assert seen["papers"] == [COMPILER_PAPER[0], RL_PAPER[0]]
    assert sorted(seen["reviewers"]) == sorted([ml_reviewer.pk, systems_reviewer.pk])
    assert sorted(Affinity.objects.values_list("source", "submission__number", "score")) == [
        ("constant-test", 1, 0.25),
        ("constant-test", 1, 0.25),
    ]


def test_unknown_backend_is_refused(conference, chair):
    with pytest.raises(services.RunRefused, match="No affinity backend 'nope'"):
        services.start_run(conference, actor=chair, backend="nope")
    assert not AffinityRun.objects.exists()


def test_backend_returning_wrong_shape_fails_the_run(conference, papers, ml_reviewer):
    class Wrong(AffinityBackend):
        name = "wrong-test"

        def score(self, papers, reviewers, *, progress=None):
            return sparse.csr_matrix((1, 1))

    backends.register(Wrong)
    try:
        run = services.compute_affinities(
            factories.AffinityRunFactory(conference=conference, backend="wrong-test")
        )
    finally:
        backends.unregister("wrong-test")
    assert run.status == ProposalStatus.FAILED


# --- Starting runs and the task ------------------------------------------------------------


def test_start_run_enqueues_task_on_commit(
    conference, papers, chair, ml_reviewer, django_capture_on_commit_callbacks
):
    expertise(ml_reviewer, RL_EXPERTISE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.start_run(conference, actor=chair)
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == ProposalStatus.READY and run.started_by == chair
    assert Affinity.objects.filter(source="tfidf").count() == run.stats["pairs"] > 0
    assert AuditEvent.objects.filter(action="affinity.run_started", actor=chair).count() == 1


def test_second_run_is_refused_while_one_is_running(conference, chair):
    factories.AffinityRunFactory(conference=conference, status=ProposalStatus.RUNNING, progress=0.4)
    with pytest.raises(services.RunRefused, match="already being computed"):
        services.start_run(conference, actor=chair)
    assert AffinityRun.objects.count() == 1


def test_stale_run_does_not_block_a_new_one(conference, chair):
    from django.utils import timezone

    stale = factories.AffinityRunFactory(conference=conference, status=ProposalStatus.RUNNING)
    AffinityRun.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - services.STALE_AFTER * 2
    )
    run = services.start_run(conference, actor=chair)
    stale.refresh_from_db()
    assert stale.status == ProposalStatus.FAILED and "Abandoned" in stale.message
    assert run.status == ProposalStatus.QUEUED


def test_task_for_missing_run_returns_quietly(db):
    assert compute_affinities.run(run_id=987654) is None


def test_task_computes_the_run(conference, papers, run, ml_reviewer):
    expertise(ml_reviewer, RL_EXPERTISE)
    assert compute_affinities.run(run_id=run.pk) == ProposalStatus.READY
    run.refresh_from_db()
    assert run.progress == 1.0
    assert Affinity.objects.filter(user=ml_reviewer).count() == run.stats["pairs"] == 2


def test_only_each_papers_and_reviewers_best_pairs_are_kept(
    conference, run, ml_reviewer, systems_reviewer, settings
):
    settings.AFFINITY_KEEP_PER_PAPER = 1
    settings.AFFINITY_KEEP_PER_REVIEWER = 1
    paper(conference, 1, COMPILER_PAPER)
    paper(conference, 2, RL_PAPER)
    paper(conference, 3, (COMPILER_PAPER[0], RL_PAPER[1]))
    expertise(systems_reviewer, COMPILER_EXPERTISE)
    expertise(ml_reviewer, RL_EXPERTISE)
    settings.AFFINITY_KEEP_PER_PAPER = 0
    services.compute_affinities(run)
    everything = _scores(conference)
    settings.AFFINITY_KEEP_PER_PAPER = 1

    run = services.compute_affinities(factories.AffinityRunFactory(conference=conference))

    kept = _scores(conference)
    best_per_paper = {n: max(s for (m, _), s in everything.items() if m == n) for n in (1, 2, 3)}
    best_per_reviewer = {
        e: max(s for (_, f), s in everything.items() if f == e) for _, e in everything
    }
    expected = {
        key: s
        for key, s in everything.items()
        if s == best_per_paper[key[0]] or s == best_per_reviewer[key[1]]
    }
    assert kept == expected
    assert len(kept) < len(everything) == run.stats["pairs_positive"]
    assert run.stats["pairs"] == len(kept)


# --- The run's state machine ----------------------------------------------------------------


def test_run_abandoned_while_computing_stays_failed_and_its_scores_are_dropped(
    conference, papers, chair, ml_reviewer, settings
):
    """Race: while the worker computes, another chair's click finds the run stale and marks it
    failed. The worker's late result must neither bring the run back nor swap in its scores."""
    from django.utils import timezone

    factories.AffinityFactory(
        conference=conference, submission=papers[0], user=ml_reviewer, source="racing-test",
        score=0.9,
    )  # fmt: skip

    class Racing(AffinityBackend):
        name = "racing-test"

        def score(self, papers, reviewers, *, progress=None):
            AffinityRun.objects.filter(pk=run.pk).update(
                updated_at=timezone.now() - services.STALE_AFTER * 2
            )
            services.start_run(conference, actor=chair)  # abandons the stale run
            return np.full((len(papers), len(reviewers)), 0.5)

    backends.register(Racing)
    settings.AFFINITY_BACKEND = "racing-test"
    try:
        run = factories.AffinityRunFactory(conference=conference, backend="racing-test")
        returned = services.compute_affinities(run)
    finally:
        backends.unregister("racing-test")

    run.refresh_from_db()
    assert (returned.status, run.status) == (ProposalStatus.FAILED, ProposalStatus.FAILED)
    assert run.message == "Abandoned: no progress was reported for 30 minutes."
    assert run.stats == {}
    assert list(Affinity.objects.values_list("source", "score")) == [("racing-test", 0.9)]
    assert list(
        AuditEvent.objects.filter(object_id=str(run.pk), action__startswith="affinity.run")
        .order_by("pk")
        .values_list("action", "changes")
    ) == [
        ("affinity.run_status", {"status": ["queued", "running"]}),
        ("affinity.run_finished", {"status": ["running", "failed"]}),
    ]


def test_run_status_moves_follow_the_table(conference):
    from reviews.affinity.status import transition

    run = factories.AffinityRunFactory(conference=conference)
    assert not transition(run, ProposalStatus.READY)  # queued cannot jump to ready
    assert transition(run, ProposalStatus.RUNNING)
    assert transition(run, ProposalStatus.READY, action="affinity.run_finished", progress=1.0)
    assert not transition(run, ProposalStatus.FAILED)
    assert not transition(run, ProposalStatus.RUNNING)
    run.refresh_from_db()
    assert (run.status, run.progress) == (ProposalStatus.READY, 1.0)
