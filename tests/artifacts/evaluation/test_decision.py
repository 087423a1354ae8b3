"""Lead, proposal, the AE chair's decision, reopening and publication (with the signal and the
authors' email), the chair's hand moves; every refusal."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from artifacts import enums, signals
from artifacts.enums import ArtifactStatus as S
from artifacts.evaluation import decide, services
from artifacts.evaluation.services import VerdictInput
from artifacts.models import Artifact, ArtifactMessage, RequestedBadge
from tests.artifacts.evaluation.conftest import leaks, page_url, url

pytestmark = pytest.mark.django_db
AW, NA = enums.BadgeOutcome.AWARDED, enums.BadgeOutcome.NOT_AWARDED


def ids(world):
    return {
        rb.badge.key: rb.badge_id for rb in world.artifact.requested_badges.select_related("badge")
    }


def status_of(world):
    return Artifact.objects.get(pk=world.artifact.pk).status


@pytest.fixture
def discussion(make_world):
    world = make_world(status=S.DISCUSSION)
    for user, text in ((world.evaluator_a, "A: solid"), (world.evaluator_b, "B: runs")):
        Artifact.objects.filter(pk=world.artifact.pk).update(status=S.EVALUATING)
        world.artifact.refresh_from_db()
        services.save_evaluation(
            actor=user,
            artifact=world.artifact,
            to_authors=text,
            to_evaluators="secret note",
            verdicts={pk: VerdictInput("award", "ok") for pk in ids(world).values()},
            submit=True,
        )
    world.artifact.refresh_from_db()
    assert world.artifact.status == S.DISCUSSION
    return world


def test_lead_set_by_chair_and_proposes(discussion):
    decide.set_lead(
        actor=discussion.ae_chair, artifact=discussion.artifact, evaluator=discussion.evaluator_b
    )
    discussion.artifact.refresh_from_db()
    badge = ids(discussion)
    decide.propose(
        actor=discussion.evaluator_b,
        artifact=discussion.artifact,
        proposals={badge["available"]: "award", badge["functional"]: "do_not_award"},
        note="Functional lacks scripts",
    )
    rows = dict(RequestedBadge.objects.values_list("badge__key", "proposal"))
    assert rows == {"available": "award", "functional": "do_not_award"}
    assert Artifact.objects.get(pk=discussion.artifact.pk).lead_note == "Functional lacks scripts"


def test_lead_must_be_a_live_evaluator(discussion):
    with pytest.raises(ValidationError, match="one of the artifact's evaluators"):
        decide.set_lead(
            actor=discussion.ae_chair,
            artifact=discussion.artifact,
            evaluator=discussion.other_evaluator,
        )


@pytest.mark.parametrize("who", ["evaluator_a", "author", "conflicted_ae_chair", "outsider"])
def test_only_unconflicted_chair_sets_the_lead(discussion, who):
    with pytest.raises(PermissionDenied):
        decide.set_lead(
            actor=getattr(discussion, who),
            artifact=discussion.artifact,
            evaluator=discussion.evaluator_a,
        )


@pytest.mark.parametrize("who", ["evaluator_a", "author", "ae_chair"])
def test_only_the_lead_proposes(discussion, who):
    decide.set_lead(
        actor=discussion.ae_chair, artifact=discussion.artifact, evaluator=discussion.evaluator_b
    )
    discussion.artifact.refresh_from_db()
    with pytest.raises(PermissionDenied, match="discussion lead"):
        decide.propose(
            actor=getattr(discussion, who), artifact=discussion.artifact, proposals={}, note=""
        )


def test_proposal_only_in_discussion(make_world):
    world = make_world(status=S.EVALUATING)
    decide.set_lead(actor=world.ae_chair, artifact=world.artifact, evaluator=world.evaluator_a)
    world.artifact.refresh_from_db()
    with pytest.raises(PermissionDenied, match="during the discussion"):
        decide.propose(actor=world.evaluator_a, artifact=world.artifact, proposals={}, note="")


def test_pick_leads_takes_the_first_alias_and_skips_with_reasons(discussion):
    arts = [discussion.artifact]
    result = decide.pick_leads(
        actor=discussion.ae_chair, conference=discussion.conference, artifacts=arts
    )
    assert [a.pk for a in result.done] == [discussion.artifact.pk]
    assert Artifact.objects.get(pk=discussion.artifact.pk).lead == discussion.evaluator_a
    discussion.artifact.refresh_from_db()
    again = decide.pick_leads(
        actor=discussion.ae_chair, conference=discussion.conference, artifacts=arts
    )
    assert again.skipped == [(discussion.artifact, "it has a lead")]
    conflicted = decide.pick_leads(
        actor=discussion.conflicted_ae_chair, conference=discussion.conference, artifacts=arts
    )
    assert conflicted.skipped[0][1] == "you are conflicted with this paper"


def test_decide_publish_round_trip(discussion, django_capture_on_commit_callbacks):
    badge = ids(discussion)
    report = decide.report_draft(discussion.artifact)
    assert "**Evaluator A**" in report and "A: solid" in report and "secret note" not in report
    assert leaks(report) == []
    decide.decide(
        actor=discussion.ae_chair,
        artifact=discussion.artifact,
        outcomes={badge["available"]: AW, badge["functional"]: NA},
        public_report=report,
    )
    artifact = Artifact.objects.get(pk=discussion.artifact.pk)
    assert artifact.status == S.DECIDED and artifact.decided_by == discussion.ae_chair
    assert artifact.public_report == report
    rows = {rb.badge.key: (rb.outcome, rb.decided_by_id) for rb in artifact.requested_badges.all()}
    assert rows == {
        "available": (AW, discussion.ae_chair.pk),
        "functional": (NA, discussion.ae_chair.pk),
    }
    # Reopen and decide again.
    decide.reopen(actor=discussion.ae_chair, artifact=artifact)
    assert status_of(discussion) == S.DISCUSSION
    decide.decide(
        actor=discussion.ae_chair,
        artifact=artifact,
        outcomes={badge["available"]: AW, badge["functional"]: AW},
        public_report=report,
    )
    received = []

    def listener(sender, artifact, actor, **kwargs):
        received.append((artifact.pk, actor))

    signals.badges_published.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            decide.publish(actor=discussion.ae_chair, artifact=artifact)
    finally:
        signals.badges_published.disconnect(listener)
    assert received == [(artifact.pk, discussion.ae_chair)]
    assert status_of(discussion) == S.PUBLISHED
    authors_mail = [m for m in mail.outbox if m.to == [discussion.author.email.lower()]]
    assert len(authors_mail) == 1
    body = authors_mail[0].body
    assert "Artifacts Available" in body and "A: solid" in body
    assert leaks(str(authors_mail[0].message())) == []
    assert (
        ArtifactMessage.objects.filter(kind=enums.MessageKind.REPORT, alias="The AE chairs").count()
        == 1
    )


def test_decide_needs_every_badge(discussion):
    badge = ids(discussion)
    with pytest.raises(ValidationError, match="Decide every requested badge"):
        decide.decide(
            actor=discussion.ae_chair,
            artifact=discussion.artifact,
            outcomes={badge["available"]: AW},
            public_report="",
        )
    assert status_of(discussion) == S.DISCUSSION
    assert not RequestedBadge.objects.exclude(outcome="pending").exists()


@pytest.mark.parametrize(
    "who", ["evaluator_a", "author", "conflicted_ae_chair", "outsider", "other_evaluator"]
)
def test_only_unconflicted_chair_decides(discussion, who):
    badge = ids(discussion)
    with pytest.raises(PermissionDenied):
        decide.decide(
            actor=getattr(discussion, who),
            artifact=discussion.artifact,
            outcomes=dict.fromkeys(badge.values(), AW),
            public_report="",
        )
    assert status_of(discussion) == S.DISCUSSION


@pytest.mark.parametrize("state", [S.EVALUATING, S.DECIDED, S.PUBLISHED])
def test_decide_only_in_discussion(make_world, state):
    world = make_world(status=state)
    with pytest.raises(PermissionDenied, match="decided after the discussion"):
        decide.decide(actor=world.ae_chair, artifact=world.artifact, outcomes={}, public_report="")


@pytest.mark.parametrize("state", [S.DISCUSSION, S.PUBLISHED, S.EVALUATING])
def test_publish_and_reopen_only_when_decided(make_world, state):
    world = make_world(status=state)
    with pytest.raises(PermissionDenied, match="only decided badges"):
        decide.publish(actor=world.ae_chair, artifact=world.artifact)
    with pytest.raises(PermissionDenied, match="only decided badges"):
        decide.reopen(actor=world.ae_chair, artifact=world.artifact)
    assert status_of(world) == state


def test_publish_refused_to_conflicted_chair(make_world):
    world = make_world(status=S.DECIDED)
    with pytest.raises(PermissionDenied, match="not conflicted"):
        decide.publish(actor=world.conflicted_ae_chair, artifact=world.artifact)


def test_chair_moves_on_by_hand(make_world):
    world = make_world(status=S.SUBMITTED)
    steps = [S.KICK_THE_TIRES, S.EVALUATING, S.DISCUSSION]
    for expected in steps:
        world.artifact.refresh_from_db()
        assert decide.advance(actor=world.ae_chair, artifact=world.artifact) == expected
        assert status_of(world) == expected
    world.artifact.refresh_from_db()
    assert (
        decide.advance(actor=world.ae_chair, artifact=world.artifact, to=S.EVALUATING)
        == S.EVALUATING
    )


def test_kick_the_tires_needs_an_evaluator(make_world):
    from django.utils import timezone

    world = make_world(status=S.SUBMITTED)
    world.artifact.assignments.update(removed_at=timezone.now())
    with pytest.raises(PermissionDenied, match="Assign at least one evaluator"):
        decide.advance(actor=world.ae_chair, artifact=world.artifact)


@pytest.mark.parametrize("state", [S.REGISTERED, S.DECIDED, S.PUBLISHED, S.WITHDRAWN])
def test_no_next_stage(make_world, state):
    world = make_world(status=state)
    with pytest.raises(PermissionDenied, match="no next stage"):
        decide.advance(actor=world.ae_chair, artifact=world.artifact)


def test_forbidden_hand_move_is_refused_by_the_table(make_world):
    world = make_world(status=S.KICK_THE_TIRES)
    with pytest.raises(PermissionDenied, match="cannot be published"):
        decide.advance(actor=world.ae_chair, artifact=world.artifact, to=S.PUBLISHED)


def test_page_decision_flow(discussion, client):
    client.force_login(discussion.ae_chair)
    html = client.get(page_url(discussion)).content.decode()
    assert "A: solid" in html and "Decide the badges" in html
    badge = ids(discussion)
    assert (
        client.post(url(discussion, "set_lead"), {"lead": discussion.evaluator_a.pk}).status_code
        == 302
    )
    data = {f"outcome_{badge['available']}": AW, "public_report": "Well done"}
    response = client.post(url(discussion, "decide_badges"), data)
    assert response.status_code == 400
    assert "Decide every requested badge" in response.content.decode()
    assert "Well done" in response.content.decode()
    data[f"outcome_{badge['functional']}"] = NA
    assert client.post(url(discussion, "decide_badges"), data).status_code == 302
    assert status_of(discussion) == S.DECIDED
    assert client.post(url(discussion, "publish_badges")).status_code == 302
    assert status_of(discussion) == S.PUBLISHED
    client.force_login(discussion.author)
    html = client.get(page_url(discussion)).content.decode()
    assert "Well done" in html and "Awarded" in html
    assert leaks(html) == []


def test_page_lead_proposes(discussion, client):
    decide.set_lead(
        actor=discussion.ae_chair, artifact=discussion.artifact, evaluator=discussion.evaluator_a
    )
    client.force_login(discussion.evaluator_a)
    assert "Your proposal as lead" in client.get(page_url(discussion)).content.decode()
    badge = ids(discussion)
    response = client.post(
        url(discussion, "propose_badges"), {f"proposal_{badge['available']}": "award", "note": "ok"}
    )
    assert response.status_code == 302
    client.force_login(discussion.evaluator_b)
    response = client.post(url(discussion, "propose_badges"), {"note": "me too"})
    assert response.status_code == 403
    assert "discussion lead" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["decide_badges", "publish_badges", "reopen_decision", "advance_artifact", "set_lead"]
)
def test_chair_actions_404_for_conflicted_chair(discussion, client, name):
    client.force_login(discussion.conflicted_ae_chair)
    assert client.post(url(discussion, name), {}).status_code == 404


@pytest.mark.parametrize(
    "name", ["decide_badges", "publish_badges", "reopen_decision", "advance_artifact"]
)
def test_chair_actions_refused_to_evaluator(discussion, client, name):
    client.force_login(discussion.evaluator_a)
    response = client.post(url(discussion, name), {})
    assert response.status_code in (400, 403)
    assert status_of(discussion) == S.DISCUSSION
