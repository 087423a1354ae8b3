"""The clock's moves (beat task "artifacts.advance_evaluations", as the system) at fixed
times: kick-the-tires opens and closes, evaluations fall due; idempotent; archived
conferences untouched; evaluating ends early once every evaluator has submitted."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from artifacts.enums import ArtifactStatus as S
from artifacts.evaluation import decide
from artifacts.evaluation.tasks import advance_evaluations as task
from artifacts.models import Artifact, Evaluation
from mlsys.conferences.enums import DeadlineKind as K
from mlsys.core.models import AuditEvent
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def conference(db):
    conference = af.ae_conference()
    for kind, days in ((K.AE_KICK_START, 0), (K.AE_KICK_END, 7), (K.AE_EVALUATION, 21)):
        f.DeadlineFactory(conference=conference, kind=kind, at=T0 + timedelta(days=days))
    return conference


def artifact(conference, status, evaluators=1):
    a = af.ArtifactFactory(conference=conference, status=status, badges=["available"])
    for _ in range(evaluators):
        af.EvaluatorAssignmentFactory(artifact=a)
    return a


def status_of(a):
    return Artifact.objects.get(pk=a.pk).status


def test_nothing_moves_before_kick_the_tires_opens(conference):
    a = artifact(conference, S.SUBMITTED)
    assert decide.advance_evaluations(conference, now=T0 - timedelta(minutes=1)) == 0
    assert status_of(a) == S.SUBMITTED


def test_kick_the_tires_opens_for_artifacts_with_evaluators(conference):
    ready = artifact(conference, S.SUBMITTED)
    alone = artifact(conference, S.SUBMITTED, evaluators=0)
    assert decide.advance_evaluations(conference, now=T0) == 1
    assert status_of(ready) == S.KICK_THE_TIRES
    assert status_of(alone) == S.SUBMITTED
    event = AuditEvent.objects.get(action="artifacts.status")
    assert event.actor is None and event.note == "Kick-the-tires opens: the date passed"
    # Idempotent: a second run moves nothing.
    assert decide.advance_evaluations(conference, now=T0 + timedelta(hours=1)) == 0


def test_kick_the_tires_closes(conference):
    kick = artifact(conference, S.KICK_THE_TIRES)
    waiting = artifact(conference, S.AWAITING_AUTHOR)
    assert decide.advance_evaluations(conference, now=T0 + timedelta(days=6)) == 0
    assert decide.advance_evaluations(conference, now=T0 + timedelta(days=7)) == 2
    assert status_of(kick) == status_of(waiting) == S.EVALUATING


def test_evaluations_fall_due(conference):
    a = artifact(conference, S.EVALUATING)
    assert decide.advance_evaluations(conference, now=T0 + timedelta(days=20)) == 0
    assert decide.advance_evaluations(conference, now=T0 + timedelta(days=21)) == 1
    assert status_of(a) == S.DISCUSSION
    assert decide.advance_evaluations(conference, now=T0 + timedelta(days=22)) == 0


def test_evaluating_ends_early_when_everyone_submitted(conference):
    a = artifact(conference, S.EVALUATING, evaluators=2)
    first, second = a.assignments.all()
    Evaluation.objects.create(assignment=first, submitted_at=timezone.now())
    assert decide.advance_evaluations(conference, now=T0 + timedelta(days=10)) == 0
    Evaluation.objects.create(assignment=second, submitted_at=timezone.now())
    assert decide.advance_evaluations(conference, now=T0 + timedelta(days=10)) == 1
    assert status_of(a) == S.DISCUSSION


def test_a_run_covers_every_stage_that_is_due(conference):
    late = T0 + timedelta(days=30)
    s, k, e = (artifact(conference, x) for x in (S.SUBMITTED, S.KICK_THE_TIRES, S.EVALUATING))
    # The stages run in order, so one late run catches up on every date that passed.
    assert decide.advance_evaluations(conference, now=late) == 6  # 3 + 2 + 1 moves
    assert status_of(s) == status_of(k) == status_of(e) == S.DISCUSSION
    assert decide.advance_evaluations(conference, now=late) == 0


def test_without_deadlines_nothing_moves(db):
    conference = af.ae_conference()
    a = artifact(conference, S.SUBMITTED)
    assert decide.advance_evaluations(conference, now=T0) == 0
    assert status_of(a) == S.SUBMITTED


def test_task_uses_the_clock_and_skips_archived_conferences(conference):
    a = artifact(conference, S.SUBMITTED)
    archived = af.ae_conference()
    f.DeadlineFactory(conference=archived, kind=K.AE_KICK_START, at=T0)
    b = artifact(archived, S.SUBMITTED)
    archived.archived_at = T0
    archived.save(update_fields=["archived_at"])
    with mock.patch("django.utils.timezone.now", return_value=T0 + timedelta(minutes=5)):
        assert task() == 1
    assert status_of(a) == S.KICK_THE_TIRES
    assert status_of(b) == S.SUBMITTED


def test_task_is_on_the_beat_schedule():
    entries = {v["task"]: v["schedule"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["artifacts.advance_evaluations"] == 3600.0
