"""Kick-the-tires: each evaluator's checklist, the one combined message (the artifact waits for
its authors), the authors' answer (back to kick-the-tires), repeated; every refusal."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from artifacts import enums
from artifacts.enums import ArtifactStatus as S
from artifacts.evaluation import services
from artifacts.models import Artifact, ArtifactMessage, KickTheTiresCheck
from mlsys.core.models import AuditEvent
from tests.artifacts.evaluation.conftest import leaks, page_url, url

pytestmark = pytest.mark.django_db
ALL = {k: True for k, _ in enums.KICK_THE_TIRES_ITEMS}


def status_of(world):
    return Artifact.objects.get(pk=world.artifact.pk).status


def test_evaluator_saves_then_completes_the_checklist(world):
    check = services.save_kick_check(
        actor=world.evaluator_a, artifact=world.artifact, answers={"claims": True}, notes="No GPU"
    )
    assert check.answers["claims"] is True and check.answers["installs"] is False
    assert check.submitted_at is None
    services.save_kick_check(
        actor=world.evaluator_a, artifact=world.artifact, answers=ALL, notes="", done=True
    )
    check.refresh_from_db()
    assert check.submitted_at is not None and all(check.answers.values())
    assert AuditEvent.objects.filter(action="artifacts.kick_check_saved").count() == 2


def test_checklist_refuses_unknown_items(world):
    with pytest.raises(ValidationError, match="Unknown checklist items: bogus"):
        services.save_kick_check(
            actor=world.evaluator_a, artifact=world.artifact, answers={"bogus": True}, notes=""
        )


@pytest.mark.parametrize(
    "who", ["author", "other_evaluator", "ae_chair", "conflicted_ae_chair", "outsider"]
)
def test_only_assigned_evaluators_fill_checklists(world, who):
    with pytest.raises(PermissionDenied):
        services.save_kick_check(
            actor=getattr(world, who), artifact=world.artifact, answers={}, notes=""
        )
    assert not KickTheTiresCheck.objects.exists()


@pytest.mark.parametrize("state", [S.SUBMITTED, S.EVALUATING, S.DISCUSSION])
def test_checklist_only_during_kick_the_tires(make_world, state):
    world = make_world(status=state)
    with pytest.raises(PermissionDenied, match="kick-the-tires"):
        services.save_kick_check(
            actor=world.evaluator_a, artifact=world.artifact, answers={}, notes=""
        )


def test_a_removed_evaluator_can_no_longer_fill_it(world):
    from django.utils import timezone

    world.artifact.assignments.filter(evaluator=world.evaluator_a).update(removed_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.save_kick_check(
            actor=world.evaluator_a, artifact=world.artifact, answers={}, notes=""
        )


def test_combined_message_round_trip(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.post_kick_message(
            actor=world.evaluator_b, artifact=world.artifact, body="The image does not start."
        )
    assert message.kind == enums.MessageKind.KICK_THE_TIRES
    assert message.alias == "The evaluators"
    assert message.thread == enums.Thread.AUTHORS
    assert status_of(world) == S.AWAITING_AUTHOR
    assert [m.to for m in mail.outbox] == [[world.author.email.lower()]]
    assert leaks(str(mail.outbox[0].message())) == []
    mail.outbox.clear()
    # The authors answer: back to kick-the-tires, each evaluator told.
    world.artifact.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_kick_message(
            actor=world.author, artifact=world.artifact, body="Fixed in v2."
        )
    assert status_of(world) == S.KICK_THE_TIRES
    assert len(mail.outbox) == 2 and all(len(m.to) == 1 for m in mail.outbox)
    # ... and it repeats.
    world.artifact.refresh_from_db()
    services.post_kick_message(actor=world.ae_chair, artifact=world.artifact, body="Still broken.")
    assert status_of(world) == S.AWAITING_AUTHOR
    assert ArtifactMessage.objects.filter(kind="kick_the_tires").count() == 2
    event = AuditEvent.objects.filter(action="artifacts.status").latest("pk")
    assert event.changes == {"status": [S.KICK_THE_TIRES, S.AWAITING_AUTHOR]}


def test_combined_message_refused_while_waiting_for_authors(make_world):
    world = make_world(status=S.AWAITING_AUTHOR)
    with pytest.raises(PermissionDenied, match="waiting for the authors"):
        services.post_kick_message(actor=world.evaluator_a, artifact=world.artifact, body="again")
    assert not ArtifactMessage.objects.exists()


@pytest.mark.parametrize("who", ["author", "other_evaluator", "conflicted_ae_chair", "outsider"])
def test_combined_message_refused_to(world, who):
    with pytest.raises(PermissionDenied):
        services.post_kick_message(actor=getattr(world, who), artifact=world.artifact, body="x")
    assert status_of(world) == S.KICK_THE_TIRES


def test_answer_refused_when_nothing_waits(world):
    with pytest.raises(PermissionDenied, match="no kick-the-tires message waiting"):
        services.answer_kick_message(actor=world.author, artifact=world.artifact, body="done")


@pytest.mark.parametrize("who", ["evaluator_a", "ae_chair", "outsider"])
def test_only_authors_answer(make_world, who):
    world = make_world(status=S.AWAITING_AUTHOR)
    with pytest.raises(PermissionDenied, match="authors"):
        services.answer_kick_message(actor=getattr(world, who), artifact=world.artifact, body="x")
    assert status_of(world) == S.AWAITING_AUTHOR


def test_page_flow(world, client):
    client.force_login(world.evaluator_a)
    html = client.get(page_url(world)).content.decode()
    assert "Your checklist" in html and "One combined message" in html
    data = {"item_claims": "on", "notes": "Needs 80 GB of RAM", "done": "on"}
    assert client.post(url(world, "kick_check"), data).status_code == 302
    html = client.get(page_url(world)).content.decode()
    assert "Evaluator A: Needs 80 GB of RAM" in html  # pre-filled combined message
    response = client.post(url(world, "kick_message"), {"body": "Please document RAM."})
    assert response.status_code == 302
    assert status_of(world) == S.AWAITING_AUTHOR
    client.force_login(world.author)
    html = client.get(page_url(world)).content.decode()
    assert "Please document RAM." in html and "The evaluators" in html
    assert "We fixed it, please look again" in html
    assert leaks(html) == []
    assert client.post(url(world, "kick_answer"), {"body": "Done."}).status_code == 302
    assert status_of(world) == S.KICK_THE_TIRES


def test_page_refusal_is_explained(make_world, client):
    world = make_world(status=S.EVALUATING)
    client.force_login(world.evaluator_a)
    response = client.post(url(world, "kick_message"), {"body": "late"})
    assert response.status_code == 403
    assert "kick-the-tires message is sent during kick-the-tires" in response.content.decode()


def test_author_cannot_post_checklist(world, client):
    client.force_login(world.author)
    response = client.post(url(world, "kick_check"), {"notes": "x"})
    assert response.status_code == 403
    assert not KickTheTiresCheck.objects.exists()


def test_evaluator_cannot_answer_for_the_authors_on_the_page(make_world, client):
    world = make_world(status=S.AWAITING_AUTHOR)
    client.force_login(world.evaluator_a)
    response = client.post(url(world, "kick_answer"), {"body": "Fixed (not really)"})
    assert response.status_code == 403
    assert "authors answer the evaluators" in response.content.decode()
    assert status_of(world) == S.AWAITING_AUTHOR
    assert not ArtifactMessage.objects.exists()


def test_empty_answer_keeps_the_form(make_world, client):
    world = make_world(status=S.AWAITING_AUTHOR)
    client.force_login(world.author)
    response = client.post(url(world, "kick_answer"), {"body": ""})
    assert response.status_code == 400
    assert "the message is empty" in response.content.decode()
    assert status_of(world) == S.AWAITING_AUTHOR
