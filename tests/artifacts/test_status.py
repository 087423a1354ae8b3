"""The artifact's state machine: every move in the table works for its movers and is audited,
every other move (a forbidden transition, or an allowed one by the wrong mover) is refused and
changes nothing, and each move tells the right people."""

import itertools

import pytest
from django.core import mail

from artifacts import enums, status
from artifacts.enums import ArtifactStatus as S
from artifacts.models import Artifact
from mlsys.core.models import AuditEvent
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db

ALL_MOVES = [
    (src, dst, mover)
    for src, dst in itertools.product(S.values, S.values)
    for mover in enums.Mover.values
]


def test_tables_agree():
    """A mover entry exists exactly for every move in the transition table."""
    listed = {(src, dst) for src, dsts in enums.ARTIFACT_TRANSITIONS.items() for dst in dsts}
    assert listed == set(enums.ARTIFACT_MOVERS)
    assert set(enums.ARTIFACT_TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(
    ("src", "dst", "mover"),
    [m for m in ALL_MOVES if m[2] in enums.ARTIFACT_MOVERS.get((m[0], m[1]), ())],
)
def test_allowed_move(src, dst, mover):
    artifact = af.ArtifactFactory(status=src)
    status.move(artifact, dst, mover=mover, note="because")
    artifact.refresh_from_db()
    assert artifact.status == dst
    event = AuditEvent.objects.get(action="artifacts.status")
    assert event.changes == {"status": [src, dst]}


@pytest.mark.parametrize(
    ("src", "dst", "mover"),
    [m for m in ALL_MOVES if m[2] not in enums.ARTIFACT_MOVERS.get((m[0], m[1]), ())],
)
def test_forbidden_move(src, dst, mover):
    artifact = af.ArtifactFactory(status=src)
    with pytest.raises(status.MoveRefused):
        status.move(artifact, dst, mover=mover)
    assert Artifact.objects.get(pk=artifact.pk).status == src
    assert not AuditEvent.objects.filter(action="artifacts.status").exists()


def test_move_reads_the_status_in_the_database():
    """A stale in-memory artifact cannot take a move its row no longer allows."""
    artifact = af.ArtifactFactory(status=S.REGISTERED)
    stale = Artifact.objects.get(pk=artifact.pk)
    status.move(artifact, S.WITHDRAWN, mover=enums.Mover.AUTHOR)
    with pytest.raises(status.MoveRefused, match="withdrawn"):
        status.move(stale, S.SUBMITTED, mover=enums.Mover.AUTHOR)
    assert Artifact.objects.get(pk=artifact.pk).status == S.WITHDRAWN


def test_authors_hear_of_publication_and_evaluators_each_their_own_email(
    django_capture_on_commit_callbacks,
):
    world = af.artifact_world(status=S.KICK_THE_TIRES)
    with django_capture_on_commit_callbacks(execute=True):
        status.move(world.artifact, S.AWAITING_AUTHOR, mover=enums.Mover.EVALUATOR)
    assert [m.to for m in mail.outbox] == [[world.author.email.lower()]]
    assert "need your answer" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        status.move(world.artifact, S.KICK_THE_TIRES, mover=enums.Mover.AUTHOR)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.evaluator_a.email.lower(), world.evaluator_b.email.lower()]
    )
    assert all(len(m.to) == 1 and not m.cc for m in mail.outbox)
