"""Registering, editing, submitting, withdrawing and returning an artifact through the
services: who may, what is stored, audited and emailed (never the credentials)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from artifacts import secrets
from artifacts.enums import ArtifactStatus as S
from artifacts.models import Artifact, BadgeVerdict, Evaluation, RequestedBadge
from artifacts.registration import services
from mlsys.conferences.enums import DeadlineKind
from mlsys.core.errors import Conflict
from mlsys.core.models import AuditEvent
from tests import factories as f
from tests.artifacts.registration.conftest import GOOD, badge
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db
SECRET = GOOD["access_secret"]


def register(paper, user, data=None, badges=("available",)):
    return services.create_artifact(
        submission=paper,
        actor=user,
        data=dict(data if data is not None else GOOD),
        badges=[badge(paper.conference, k).pk for k in badges],
    )


def test_prefill_from_the_paper(paper, bob):
    assert services.prefill(paper) == {
        "summary": "We make tensor compilers fast.",
        "contact": bob.pk,
        "gpu_count": 0,
    }


def test_author_registers(paper, ada):
    artifact = register(paper, ada, badges=("available", "functional"))
    artifact.refresh_from_db()
    assert artifact.status == S.REGISTERED
    assert artifact.doi == "10.5281/zenodo.1234567"
    assert artifact.experiments[0] == {
        "name": "Figure 3",
        "human_minutes": 15,
        "compute_hours": 2.5,
    }
    assert sorted(rb.badge.key for rb in artifact.requested_badges.all()) == [
        "available",
        "functional",
    ]
    # Encrypted at rest, never in the audit.
    assert SECRET not in artifact.access_secret and artifact.access_secret
    assert secrets.decrypt(artifact.access_secret) == SECRET
    event = AuditEvent.objects.get(action="artifacts.registered")
    assert SECRET not in str(event.changes) and event.changes["access_secret"] == [None, "set"]


@pytest.mark.parametrize("who", ["outsider", "other_author", "chair"])
def test_only_the_papers_authors_register(paper, who, ae_conference):
    user = f.UserFactory()
    if who == "other_author":
        f.SubmissionFactory(conference=ae_conference, status="accepted", authors=[user])
    elif who == "chair":
        user = af.ae_chair(ae_conference)
    with pytest.raises(PermissionDenied):
        register(paper, user)
    assert not Artifact.objects.exists()


def test_registration_needs_acceptance_ae_and_an_open_deadline(paper, ada, ae_conference):
    paper.status = "rejected"
    paper.save()
    with pytest.raises(PermissionDenied):
        register(paper, ada)
    paper.status = "accepted"
    paper.save()
    ae_conference.ae_settings.enabled = False
    ae_conference.ae_settings.save()
    with pytest.raises(PermissionDenied):
        register(paper, ada)
    ae_conference.ae_settings.enabled = True
    ae_conference.ae_settings.save()
    f.DeadlineFactory(
        conference=ae_conference,
        kind=DeadlineKind.AE_REGISTRATION,
        at=timezone.now() - timedelta(hours=1),
    )
    paper.conference = type(ae_conference).objects.get(pk=ae_conference.pk)
    with pytest.raises(PermissionDenied):
        register(paper, ada)


def test_registering_twice_is_refused(paper, ada, bob):
    register(paper, ada)
    with pytest.raises(ValidationError, match="already registered"):
        register(paper, bob)


def test_badge_combinations_in_sentences(paper, ada):
    with pytest.raises(ValidationError) as caught:
        register(paper, ada, badges=("reusable",))
    assert caught.value.message_dict["badges"] == [
        "“Artifacts Evaluated – Reusable” can only be requested with "
        "“Artifacts Evaluated – Functional”."
    ]
    conference = paper.conference
    badge(conference, "available").excludes.add(badge(conference, "reproduced"))
    with pytest.raises(ValidationError) as caught:
        register(paper, ada, badges=("available", "functional", "reproduced"))
    assert caught.value.message_dict["badges"] == [
        "“Artifacts Available” and “Results Reproduced” cannot be requested together."
    ]
    with pytest.raises(ValidationError, match="at least one badge"):
        register(paper, ada, badges=())


def test_a_badge_of_another_conference_is_refused(paper, ada):
    other = af.ae_conference()
    with pytest.raises(ValidationError, match="badges this conference awards"):
        services.create_artifact(
            submission=paper, actor=ada, data={}, badges=[badge(other, "available").pk]
        )


def test_edit_with_optimistic_locking(world):
    artifact = world.artifact
    services.update_artifact(
        artifact=artifact, actor=world.author, data={"licence": "MIT OR Apache-2.0"}, revision=0
    )
    assert Artifact.objects.get(pk=artifact.pk).revision == 1
    with pytest.raises(Conflict) as caught:
        services.update_artifact(
            artifact=artifact, actor=world.author, data={"licence": "BSD-3-Clause"}, revision=0
        )
    assert caught.value.current["revision"] == 1
    assert caught.value.current["licence"] == "MIT OR Apache-2.0"
    assert Artifact.objects.get(pk=artifact.pk).licence == "MIT OR Apache-2.0"


def test_unchanged_save_writes_nothing(world):
    services.update_artifact(
        artifact=world.artifact, actor=world.author, data={"licence": "MIT"}, revision=0
    )
    assert Artifact.objects.get(pk=world.artifact.pk).revision == 0
    assert not AuditEvent.objects.filter(action="artifacts.registration_changed").exists()


def test_secret_change_audited_without_the_value(world):
    services.update_artifact(
        artifact=world.artifact,
        actor=world.author,
        data={"access_secret": "tok-123456"},
        revision=0,
    )
    event = AuditEvent.objects.get(action="artifacts.registration_changed")
    assert "tok-123456" not in str(event.changes) + event.note
    assert event.note == "access credentials changed"
    # Empty keeps it; the checkbox deletes it.
    services.update_artifact(
        artifact=world.artifact, actor=world.author, data={"access_secret": ""}, revision=1
    )
    assert secrets.decrypt(Artifact.objects.get(pk=world.artifact.pk).access_secret) == "tok-123456"
    services.update_artifact(
        artifact=world.artifact,
        actor=world.author,
        data={"access_secret": "", "clear_access_secret": True},
        revision=1,
    )
    assert Artifact.objects.get(pk=world.artifact.pk).access_secret == ""


@pytest.mark.parametrize(
    "who", ["evaluator_a", "other_evaluator", "ae_chair", "conflicted_ae_chair", "outsider"]
)
def test_only_authors_edit(world, who):
    with pytest.raises(PermissionDenied):
        services.update_artifact(
            artifact=world.artifact, actor=getattr(world, who), data={"licence": "X-1"}, revision=0
        )


def test_editing_closes_at_the_submission_deadline(world):
    f.DeadlineFactory(
        conference=world.conference,
        kind=DeadlineKind.AE_SUBMISSION,
        at=timezone.now() - timedelta(minutes=1),
    )
    artifact = Artifact.objects.get(pk=world.artifact.pk)
    with pytest.raises(PermissionDenied):
        services.update_artifact(artifact=artifact, actor=world.author, data={}, revision=0)
    # During kick-the-tires the authors still fix what the evaluators found.
    Artifact.objects.filter(pk=artifact.pk).update(status=S.KICK_THE_TIRES)
    artifact = Artifact.objects.get(pk=artifact.pk)
    services.update_artifact(
        artifact=artifact, actor=world.author, data={"version": "v2.0"}, revision=0
    )
    assert Artifact.objects.get(pk=artifact.pk).version == "v2.0"


def test_badges_change_only_before_submission_and_keep_verdicts(world):
    conference = world.conference
    artifact = world.artifact
    services.update_artifact(
        artifact=artifact,
        actor=world.author,
        data={},
        badges=[badge(conference, "available").pk, badge(conference, "functional").pk],
        revision=0,
    )
    assert artifact.requested_badges.count() == 2
    evaluation = Evaluation.objects.create(assignment=artifact.assignments.first())
    BadgeVerdict.objects.create(
        evaluation=evaluation,
        badge=badge(conference, "functional"),
        verdict="award",
        justification="ok",
    )
    with pytest.raises(ValidationError, match="already gave a verdict on Artifacts Evaluated"):
        services.update_artifact(
            artifact=artifact,
            actor=world.author,
            data={},
            badges=[badge(conference, "available").pk],
            revision=1,
        )
    assert artifact.requested_badges.count() == 2


def test_submit_needs_what_the_badges_require(world, django_capture_on_commit_callbacks):
    artifact = world.artifact
    Artifact.objects.filter(pk=artifact.pk).update(doi="")
    with pytest.raises(ValidationError) as caught:
        services.submit_artifact(artifact=artifact, actor=world.author)
    assert caught.value.messages == ["“Artifacts Available” needs a DOI."]
    Artifact.objects.filter(pk=artifact.pk).update(doi="10.5281/zenodo.1")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submit_artifact(artifact=artifact, actor=world.author)
    assert Artifact.objects.get(pk=artifact.pk).status == S.SUBMITTED
    assert artifact.smoke_checks.count() == 1
    assert len(callbacks) >= 2  # the email and the smoke check


def test_submit_refused_to_others_and_after_the_deadline(world):
    for who in ("evaluator_a", "ae_chair", "outsider"):
        with pytest.raises(PermissionDenied):
            services.submit_artifact(artifact=world.artifact, actor=getattr(world, who))
    f.DeadlineFactory(
        conference=world.conference,
        kind=DeadlineKind.AE_SUBMISSION,
        at=timezone.now() - timedelta(minutes=1),
    )
    artifact = Artifact.objects.get(pk=world.artifact.pk)
    with pytest.raises(PermissionDenied):
        services.submit_artifact(artifact=artifact, actor=world.author)


def test_return_needs_a_note_and_emails_it(django_capture_on_commit_callbacks):
    world = af.artifact_world(status=S.SUBMITTED, badges=("available",))
    with pytest.raises(ValidationError, match="what to change"):
        services.return_artifact(artifact=world.artifact, actor=world.ae_chair, note="  ")
    for who in ("conflicted_ae_chair", "author", "evaluator_a", "outsider"):
        with pytest.raises(PermissionDenied):
            services.return_artifact(
                artifact=world.artifact, actor=getattr(world, who), note="Fix it"
            )
    with django_capture_on_commit_callbacks(execute=True):
        services.return_artifact(
            artifact=world.artifact, actor=world.ae_chair, note="The DOI points nowhere."
        )
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.RETURNED
    assert "The DOI points nowhere." in mail.outbox[-1].body


def test_withdraw_by_author_or_chair_keeps_the_work(django_capture_on_commit_callbacks):
    world = af.artifact_world(status=S.KICK_THE_TIRES, badges=("available",))
    af.ArtifactMessageFactory(artifact=world.artifact)
    for who in ("conflicted_ae_chair", "evaluator_a", "outsider"):
        with pytest.raises(PermissionDenied):
            services.withdraw_artifact(artifact=world.artifact, actor=getattr(world, who))
    services.withdraw_artifact(artifact=world.artifact, actor=world.author)
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.WITHDRAWN
    assert world.artifact.messages.count() == 1
    assert RequestedBadge.objects.filter(artifact=world.artifact).count() == 1
    event = AuditEvent.objects.get(action="artifacts.status")
    assert event.note == "as authors"


def test_no_email_ever_carries_the_credentials(paper, ada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        artifact = register(paper, ada, {**GOOD, "contact": str(ada.pk)})
    af.EvaluatorAssignmentFactory(artifact=artifact, alias="A")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_artifact(artifact=artifact, actor=ada)
        services.withdraw_artifact(artifact=Artifact.objects.get(pk=artifact.pk), actor=ada)
    assert mail.outbox
    for message in mail.outbox:
        assert SECRET not in message.body and "hunter2" not in message.subject + message.body


def test_reveal_is_audited_and_refused_to_others(world):
    services.update_artifact(
        artifact=world.artifact, actor=world.author, data={"access_secret": "pw-abcdef"}, revision=0
    )
    artifact = Artifact.objects.get(pk=world.artifact.pk)
    assert services.reveal_secret(artifact=artifact, actor=world.evaluator_a) == "pw-abcdef"
    assert AuditEvent.objects.filter(action="artifacts.secret_revealed").count() == 1
    for who in ("other_evaluator", "conflicted_ae_chair", "outsider"):
        with pytest.raises(PermissionDenied):
            services.reveal_secret(artifact=artifact, actor=getattr(world, who))


def test_a_changed_key_makes_the_secret_unreadable_not_a_crash(world, settings):
    services.update_artifact(
        artifact=world.artifact, actor=world.author, data={"access_secret": "pw-abcdef"}, revision=0
    )
    token = Artifact.objects.get(pk=world.artifact.pk).access_secret
    settings.ARTIFACT_SECRET_KEY = secrets.Fernet.generate_key().decode()
    assert secrets.decrypt(token) is None


def test_a_malformed_key_says_how_to_make_one(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.ARTIFACT_SECRET_KEY = "not-a-key"
    with pytest.raises(ImproperlyConfigured, match="Fernet key"):
        secrets.encrypt("x")
    settings.ARTIFACT_SECRET_KEY = ""
    assert secrets.decrypt(secrets.encrypt("x")) == "x"
