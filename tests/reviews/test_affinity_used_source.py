"""Which stored scores bidding and the assignment solver read: the newest computed or uploaded
source, or the chairs' choice; before any is recorded, the built-in preference."""

import pytest
from django.urls import reverse

from mlsys.conferences import archive
from mlsys.core.models import AuditEvent
from reviews.affinity import queries, services
from reviews.affinity.csv_import import import_scores
from reviews.assignment import problem_builder
from reviews.bidding.queries import for_bidding
from reviews.enums import ProposalStatus
from reviews.models import Affinity, AffinityRun
from tests import factories
from tests.reviews.affinity_fixtures import (
    COMPILER_EXPERTISE,
    COMPILER_PAPER,
    RL_PAPER,
    expertise,
    paper,
)


@pytest.fixture
def scored(conference, ml_reviewer):
    """Paper 1 with a score for ml_reviewer under three sources."""
    submission = factories.SubmissionFactory(conference=conference, number=1)
    for source, score in (("tfidf", 0.2), ("minilm", 0.6), ("specter2", 0.9)):
        factories.AffinityFactory(
            conference=conference, submission=submission, user=ml_reviewer, source=source,
            score=score,
        )  # fmt: skip
    return submission


def _solver_affinity(conference):
    papers = list(problem_builder.active_submissions(conference))
    pool = problem_builder.reviewer_pool(conference)
    scores = problem_builder.score_pairs(conference, papers, pool, problem_builder.Weights())
    return scores.affinity.max()


def _bidding_affinity(conference, user):
    return for_bidding(user, conference).get(number=1).affinity


def test_without_a_recorded_source_the_preference_decides(conference, scored, ml_reviewer):
    assert conference.affinity_source == ""
    assert queries.used_source(conference) == "minilm"
    assert _solver_affinity(conference) == pytest.approx(0.6)
    assert _bidding_affinity(conference, ml_reviewer) == pytest.approx(0.6)


def test_without_a_recorded_source_bidding_reads_only_the_preferred_sources(
    conference, chair, ml_reviewer
):
    """Each pair's first source of the preference (docs/affinity.md), and nothing else: not a
    running computation's temporary rows nor another upload's name."""
    first = factories.SubmissionFactory(conference=conference, number=1)
    second = factories.SubmissionFactory(conference=conference, number=2)
    third = factories.SubmissionFactory(conference=conference, number=3)
    run = services.start_run(conference, actor=chair, backend="tfidf", enqueue=False)
    for submission, source, score in (
        (first, "minilm", 0.6), (second, "tfidf", 0.3), (third, f"~{run.pk}", 0.8),
        (third, "specter2", 0.7),
    ):  # fmt: skip
        factories.AffinityFactory(
            conference=conference, submission=submission, user=ml_reviewer, source=source,
            score=score,
        )  # fmt: skip
    rows = for_bidding(ml_reviewer, conference)

    assert {s.number: s.affinity for s in rows} == {1: 0.6, 2: 0.3, 3: None}


def test_a_recorded_source_is_what_bidding_and_the_solver_read(conference, scored, ml_reviewer):
    services.record_used_source(conference, "specter2")
    conference.refresh_from_db()

    assert queries.used_source(conference) == "specter2"
    assert _solver_affinity(conference) == pytest.approx(0.9)
    assert _bidding_affinity(conference, ml_reviewer) == pytest.approx(0.9)


def test_a_finished_run_and_an_upload_each_become_the_source_in_use(conference, chair, ml_reviewer):
    paper(conference, 1, COMPILER_PAPER)
    paper(conference, 2, RL_PAPER)
    expertise(ml_reviewer, COMPILER_EXPERTISE)

    run = services.start_run(conference, actor=chair, backend="tfidf", enqueue=False)
    services.compute_affinities(run)
    conference.refresh_from_db()
    assert AffinityRun.objects.get().status == ProposalStatus.READY
    assert conference.affinity_source == "tfidf"

    import_scores(conference, f"2,{ml_reviewer.email},0.7\n".encode(), source="specter2")
    conference.refresh_from_db()
    assert conference.affinity_source == "specter2"
    assert _bidding_affinity(conference, ml_reviewer) is None  # paper 1 has no specter2 score


def test_a_run_that_stores_no_scores_does_not_become_the_source_in_use(
    conference, chair, ml_reviewer
):
    """No reviewer has expertise, so the run is ready with 0 pairs: bidding and the solver must
    keep reading the uploaded scores rather than nothing."""
    paper(conference, 1, COMPILER_PAPER)
    import_scores(conference, f"1,{ml_reviewer.email},0.7\n".encode())
    run = services.start_run(conference, actor=chair, backend="tfidf", enqueue=False)

    assert services.compute_affinities(run).status == ProposalStatus.READY
    conference.refresh_from_db()
    assert conference.affinity_source == "uploaded"
    assert _bidding_affinity(conference, ml_reviewer) == pytest.approx(0.7)


def test_a_failed_run_changes_nothing(conference, chair, monkeypatch):
    services.record_used_source(conference, "uploaded")
    monkeypatch.setattr(services, "load_inputs", lambda conference: 1 / 0)
    run = services.start_run(conference, actor=chair, backend="tfidf", enqueue=False)

    assert services.compute_affinities(run).status == ProposalStatus.FAILED
    conference.refresh_from_db()
    assert conference.affinity_source == "uploaded"


def test_a_run_queued_before_the_conference_was_archived_writes_nothing(
    conference, chair, ml_reviewer
):
    """Archived conferences are read-only and background work skips them: a run a worker takes
    up after the chairs archived the conference must not replace scores or the source in use."""
    paper(conference, 1, COMPILER_PAPER)
    expertise(ml_reviewer, COMPILER_EXPERTISE)
    services.record_used_source(conference, "uploaded")
    run = services.start_run(conference, actor=chair, backend="tfidf", enqueue=False)
    archive.archive(conference=conference, actor=chair)

    run = services.compute_affinities(run)

    assert run.status == ProposalStatus.FAILED and "archived" in run.message
    assert not Affinity.objects.exists()
    conference.refresh_from_db()
    assert conference.affinity_source == "uploaded"


def test_chair_chooses_the_scores_in_use(client, conference, scored, chair):
    url = reverse("reviews:affinity_use", kwargs={"conference": conference.slug})
    page = reverse("reviews:affinities", kwargs={"conference": conference.slug})
    client.force_login(chair)
    assert "In use" in client.get(page).content.decode()

    response = client.post(url, {"source": "tfidf"}, follow=True)

    conference.refresh_from_db()
    assert conference.affinity_source == "tfidf"
    assert "now read “tfidf”" in response.content.decode()
    event = AuditEvent.objects.get(action="affinity.source_used")
    assert event.changes == {"affinity_source": ["minilm", "tfidf"]}

    response = client.post(url, {"source": "nothing-stored"}, follow=True)
    conference.refresh_from_db()
    assert conference.affinity_source == "tfidf"
    assert "Choose one of the stored sources" in response.content.decode()


def test_the_page_shows_the_scores_in_use_and_keeps_the_last_backend_chosen(
    client, conference, scored, chair
):
    AffinityRun.objects.create(
        conference=conference, backend="tfidf", status=ProposalStatus.FAILED, started_by=chair
    )
    services.record_used_source(conference, "minilm")
    client.force_login(chair)

    body = client.get(reverse("reviews:affinities", kwargs={"conference": conference.slug}))

    assert body.context["top_source"] == "minilm"
    assert body.context["lookup_form"]["source"].value() == "minilm"
    assert body.context["compute_form"]["backend"].value() == "tfidf"


def test_a_running_computations_temporary_rows_cannot_be_chosen(
    client, conference, scored, chair, ml_reviewer
):
    """A run stores its rows under a temporary source until it finishes, then renames them:
    chosen meanwhile, that name would leave bidding and the solver reading nothing."""
    run = services.start_run(conference, actor=chair, backend="tfidf", enqueue=False)
    temp = f"~{run.pk}"
    factories.AffinityFactory(
        conference=conference, submission=scored, user=ml_reviewer, source=temp, score=0.5
    )
    client.force_login(chair)

    response = client.post(
        reverse("reviews:affinity_use", kwargs={"conference": conference.slug}),
        {"source": temp},
        follow=True,
    )

    conference.refresh_from_db()
    assert conference.affinity_source == ""
    assert "Choose one of the stored sources" in response.content.decode()
    assert temp not in [row["source"] for row in queries.source_summary(conference)]
