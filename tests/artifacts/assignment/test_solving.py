"""Assignment through the solver: hardware misfits and conflicts are never assigned, loads and
evaluators per artifact are respected, a partial assignment says why, a stale preview is
refused, and the commit gives aliases A, B, C."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from artifacts.assignment import solving
from artifacts.models import AESettings, ArtifactBid, EvaluatorAssignment, HardwareProfile
from mlsys.core.models import AuditEvent
from submissions.conflicts import recompute_conflicts
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def gpu_profile(user, model="A100 80GB", count=4, **kw):
    return HardwareProfile.objects.create(user=user, gpus=[{"model": model, "count": count}], **kw)


@pytest.fixture
def conf():
    return af.ae_conference()


@pytest.fixture
def chair(conf):
    return af.ae_chair(conf)


def artifact(conf, **kw):
    return af.ArtifactFactory(conference=conf, status=kw.pop("status", "submitted"), **kw)


def pairs_of(proposal):
    return {(p.artifact.pk, p.evaluator.user.pk) for p in proposal.pairs}


def test_a_hardware_misfit_is_never_assigned_even_if_eager(conf, chair):
    AESettings.objects.filter(conference=conf).update(evaluators_per_artifact=1)
    gpu_art = artifact(conf, gpu_model="A100", gpu_count=2)
    eager_no_gpu = af.evaluator(conf)
    HardwareProfile.objects.create(user=eager_no_gpu, cpu_cores=64)
    ArtifactBid.objects.create(artifact=gpu_art, user=eager_no_gpu, preference="eager")
    reluctant_gpu = af.evaluator(conf)
    gpu_profile(reluctant_gpu)
    ArtifactBid.objects.create(artifact=gpu_art, user=reluctant_gpu, preference="reluctant")
    proposal = solving.propose(conf, actor=chair)
    assert pairs_of(proposal) == {(gpu_art.pk, reluctant_gpu.pk)}
    assert proposal.complete


def test_no_fitting_evaluator_is_explained_and_the_rest_assigned(conf, chair):
    AESettings.objects.filter(conference=conf).update(evaluators_per_artifact=2)
    easy = artifact(conf)
    hard = artifact(conf, special_hardware=["TPU v4"])
    people = [af.evaluator(conf) for _ in range(2)]
    proposal = solving.propose(conf, actor=chair)
    assert pairs_of(proposal) == {(easy.pk, people[0].pk), (easy.pk, people[1].pk)}
    [short] = proposal.shortfalls
    assert short.artifact == hard and short.open == 2
    assert "No evaluator whose hardware fits" in short.reason
    assert "2 lack the hardware" in short.reason


def test_loads_are_respected_and_shortfall_says_loads(conf, chair):
    AESettings.objects.filter(conference=conf).update(
        evaluators_per_artifact=2, evaluations_per_evaluator=1
    )
    arts = [artifact(conf) for _ in range(2)]
    people = [af.evaluator(conf) for _ in range(3)]
    proposal = solving.propose(conf, actor=chair)
    per_person = {}
    for _a, u in pairs_of(proposal):
        per_person[u] = per_person.get(u, 0) + 1
    assert set(per_person.values()) == {1} and len(per_person) == 3
    [short] = proposal.shortfalls
    assert short.open == 1
    assert short.artifact in arts
    assert "Loads too small" in short.reason
    assert {p.pk for p in people} == set(per_person)


def test_membership_max_load_and_live_assignments_count(conf, chair):
    AESettings.objects.filter(conference=conf).update(evaluators_per_artifact=1)
    busy = af.evaluator(conf)
    busy.memberships.filter(conference=conf).update(max_load=1)
    af.EvaluatorAssignmentFactory(artifact=artifact(conf, status="kick_the_tires"), evaluator=busy)
    free = af.evaluator(conf)
    new = artifact(conf)
    proposal = solving.propose(conf, actor=chair)
    assert pairs_of(proposal) == {(new.pk, free.pk)}


def test_existing_evaluators_reduce_k_and_are_not_reassigned(conf, chair):
    AESettings.objects.filter(conference=conf).update(evaluators_per_artifact=2)
    art = artifact(conf)
    first = af.EvaluatorAssignmentFactory(artifact=art).evaluator
    other = af.evaluator(conf)
    proposal = solving.propose(conf, actor=chair)
    assert pairs_of(proposal) == {(art.pk, other.pk)}
    assert first.pk not in {u for _a, u in pairs_of(proposal)}


def test_conflicts_are_never_assigned(conf, chair):
    AESettings.objects.filter(conference=conf).update(evaluators_per_artifact=1)
    author = af.evaluator(conf)
    art = af.ArtifactFactory(conference=conf, status="submitted", authors=[author])
    declared = af.evaluator(conf)
    f.ConflictFactory(submission=art.submission, user=declared)
    bidder = af.evaluator(conf)
    ArtifactBid.objects.create(artifact=art, user=bidder, preference="conflict")
    proposal = solving.propose(conf, actor=chair)
    assert pairs_of(proposal) == set()
    assert "No evaluator whose hardware fits is free of conflicts" in proposal.shortfalls[0].reason


def test_a_detected_coauthorship_conflict_keeps_the_evaluator_away(conf, chair):
    """An evaluator who co-wrote another paper with this artifact's author is detected by
    conflict detection (now run for AE roles too) and never assigned."""
    AESettings.objects.filter(conference=conf).update(evaluators_per_artifact=1)
    coauthor = af.evaluator(conf, email="eve@lab-one.org")
    writer = f.UserFactory(email="wendy@lab-two.org")
    art = af.ArtifactFactory(conference=conf, status="submitted", authors=[writer])
    other_paper = f.SubmissionFactory(conference=conf)
    f.AuthorFactory(submission=other_paper, user=writer, email=writer.email, name=writer.name)
    f.AuthorFactory(submission=other_paper, user=coauthor, email=coauthor.email, name=coauthor.name)
    recompute_conflicts(conf)
    assert art.submission.conflicts.filter(user=coauthor, source="coauthorship").exists()
    proposal = solving.propose(conf, actor=chair)
    assert pairs_of(proposal) == set()
    free = af.evaluator(conf)
    assert pairs_of(solving.propose(conf, actor=chair)) == {(art.pk, free.pk)}


def test_commit_creates_aliases_audits_and_emails(conf, chair, django_capture_on_commit_callbacks):
    art = artifact(conf)
    people = [af.evaluator(conf) for _ in range(3)]
    proposal = solving.propose(conf, actor=chair)
    with django_capture_on_commit_callbacks(execute=True):
        made = solving.commit(conf, actor=chair, pairs=proposal.pair_keys(), digest=proposal.digest)
    assert made == 3
    rows = EvaluatorAssignment.objects.filter(artifact=art).order_by("alias")
    assert [r.alias for r in rows] == ["A", "B", "C"]
    assert {r.evaluator_id for r in rows} == {p.pk for p in people}
    assert AuditEvent.objects.filter(action="artifacts.evaluator_assigned").count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email.lower() for p in people)


def test_a_stale_preview_is_refused(conf, chair):
    art = artifact(conf)
    [af.evaluator(conf) for _ in range(3)]
    proposal = solving.propose(conf, actor=chair)
    # Meanwhile an evaluator declares a conflict.
    ArtifactBid.objects.create(
        artifact=art, user=proposal.pairs[0].evaluator.user, preference="conflict"
    )
    with pytest.raises(solving.StaleProposal):
        solving.commit(conf, actor=chair, pairs=proposal.pair_keys(), digest=proposal.digest)
    assert not EvaluatorAssignment.objects.exists()


def test_tampered_pairs_are_refused(conf, chair):
    art = artifact(conf)
    [af.evaluator(conf) for _ in range(3)]
    proposal = solving.propose(conf, actor=chair)
    tampered = proposal.pair_keys()[:1]
    with pytest.raises(solving.StaleProposal):
        solving.commit(conf, actor=chair, pairs=tampered, digest=proposal.digest)
    with pytest.raises(solving.StaleProposal):
        solving.commit(conf, actor=chair, pairs=proposal.pair_keys(), digest="")
    assert not EvaluatorAssignment.objects.filter(artifact=art).exists()


def test_a_conflicted_chair_leaves_the_artifact_out(conf):
    conflicted = af.ae_chair(conf)
    mine = artifact(conf)
    theirs = artifact(conf)
    f.ConflictFactory(submission=theirs.submission, user=conflicted)
    [af.evaluator(conf) for _ in range(3)]
    proposal = solving.propose(conf, actor=conflicted)
    assert {a for a, _u in pairs_of(proposal)} == {mine.pk}
    assert proposal.hidden == 1


@pytest.mark.parametrize("who", ["evaluator", "author", "outsider"])
def test_only_ae_chairs_run_and_commit(conf, who):
    author = f.UserFactory()
    af.ArtifactFactory(conference=conf, status="submitted", authors=[author])
    user = {
        "evaluator": lambda: af.evaluator(conf),
        "author": lambda: author,
        "outsider": f.UserFactory,
    }[who]()
    with pytest.raises(PermissionDenied):
        solving.propose(conf, actor=user)
    with pytest.raises(PermissionDenied):
        solving.commit(conf, actor=user, pairs=[], digest="x")


def test_the_quality_matrix_is_the_per_pair_definition(conf, chair):
    """``quality_of`` (hardware once per distinct needs, sparse bids/conflicts/rows) gives the
    same matrix as asking ``Pool.eligible`` and the bid for every artifact × evaluator."""
    import numpy as np

    from artifacts.assignment import pool as pools
    from mlsys.conferences.viewer import acting

    people = [af.evaluator(conf) for _ in range(5)]
    gpu_profile(people[0])
    gpu_profile(people[1], model="RTX 4090", count=1)
    HardwareProfile.objects.create(user=people[2], cloud_gpus=True, testbeds=["TPU v4"])
    arts = [
        artifact(conf, gpu_count=1, gpu_model="A100"),
        artifact(conf, gpu_count=1, gpu_model="A100"),
        artifact(conf, special_hardware=["tpu-v4"]),
        artifact(conf),
        artifact(conf, ram_gb=64),
    ]
    f.AuthorFactory(submission=arts[3].submission, user=people[3])
    ArtifactBid.objects.create(artifact=arts[0], user=people[0], preference="eager")
    ArtifactBid.objects.create(artifact=arts[1], user=people[1], preference="eager")
    ArtifactBid.objects.create(artifact=arts[3], user=people[4], preference="reluctant")
    ArtifactBid.objects.create(artifact=arts[4], user=people[2], preference="conflict")
    af.EvaluatorAssignmentFactory(artifact=arts[2], evaluator=people[2], alias="A")
    data = solving.inputs(conf, acting(chair)[0])
    pool = data.pool
    expected = np.full(data.quality.shape, -np.inf)
    for p, a in enumerate(data.artifacts):
        for r, uid in enumerate(data.evaluator_ids):
            if pool.eligible(a, uid):
                expected[p, r] = pools.BID_QUALITY.get(pool.bid(a, uid), 2.0)
    assert data.quality.shape == (5, 5)
    assert np.array_equal(data.quality, expected)
    assert {4.0, 1.0, 2.0, -np.inf} <= set(data.quality.ravel().tolist())
