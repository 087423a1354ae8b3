"""``manage.py seed_demo --phase artifacts`` (the default): decisions released, camera-readies,
the AE committee, and artifacts at every stage of the evaluation, through the services."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from artifacts.enums import ArtifactStatus as S
from artifacts.models import (
    Artifact,
    ArtifactMessage,
    Evaluation,
    EvaluatorAssignment,
    HardwareProfile,
    KickTheTiresCheck,
    SmokeCheck,
    StampedPaper,
)
from artifacts.registration import smoke
from decisions.proceedings.finals import final_pdf
from demo import build, manifest, schedule
from demo.plan import CHAIR_EMAIL
from mlsys.accounts.models import User
from mlsys.conferences.enums import DeadlineKind, InvitationStatus, Role
from mlsys.conferences.models import CommitteeMembership
from mlsys.conferences.viewer import Viewer
from mlsys.core.models import AuditEvent

ARTIFACTS = ["--papers", "24", "--reviewers", "12", "--seed", "1"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.core.files.storage import storages
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo-artifacts-media")
    path = media / "manifest.json"
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES={**storages.backends, "default": {**storage, "OPTIONS": {"location": media}}}
        ),
    ):
        out = io.StringIO()
        call_command("seed_demo", *ARTIFACTS, "--manifest", str(path), stdout=out)
        yield {"manifest": json.loads(path.read_text()), "output": out.getvalue()}
        done = build.reset()
        assert done.conference and not Artifact.objects.exists()


def test_artifacts_is_the_default_phase():
    assert schedule.DEFAULT_PHASE == schedule.ARTIFACTS == schedule.PHASES[-1]


@pytest.mark.django_db
def test_every_stage_of_the_evaluation_has_an_artifact(seeded):
    statuses = set(Artifact.objects.values_list("status", flat=True))
    assert statuses >= {
        S.REGISTERED,
        S.SUBMITTED,
        S.KICK_THE_TIRES,
        S.AWAITING_AUTHOR,
        S.EVALUATING,
        S.DISCUSSION,
        S.DECIDED,
        S.PUBLISHED,
    }


@pytest.mark.django_db
def test_accepted_papers_without_an_artifact_have_a_camera_ready_and_registration_is_open(seeded):
    conference = build.demo_conference()
    accepted = conference.submissions.filter(status="accepted")
    without = accepted.exclude(pk__in=Artifact.objects.values("submission_id"))
    assert without.count() >= 2
    assert all(final_pdf(paper) is not None for paper in without)
    # Authors can still register: the AE registration and submission deadlines are ahead.
    deadlines = conference.deadline_map()
    now = timezone.now()
    assert deadlines[DeadlineKind.AE_REGISTRATION].at > now
    assert deadlines[DeadlineKind.AE_SUBMISSION].at > now
    assert deadlines[DeadlineKind.DECISION].at < now
    # Every paper is decided, but one the (only) program chair is conflicted with.
    chair = Viewer(User.objects.get(email=CHAIR_EMAIL))
    for paper in conference.submissions.filter(status="submitted"):
        assert not chair.has_perm("decisions.decide", paper)


@pytest.mark.django_db
def test_the_ae_committee_accepted_and_filled_hardware_profiles(seeded):
    conference = build.demo_conference()
    evaluators = CommitteeMembership.objects.filter(conference=conference, role=Role.AE_EVALUATOR)
    assert evaluators.count() == 8
    assert set(evaluators.values_list("status", flat=True)) == {InvitationStatus.ACCEPTED}
    profiles = HardwareProfile.objects.filter(user__in=evaluators.values("user"))
    assert profiles.count() == 8
    assert profiles.filter(cloud_gpus=True).exists()
    models = {gpu["model"] for p in profiles for gpu in p.gpus}
    assert len(models) >= 5
    assert profiles.exclude(testbeds=[]).exists()


@pytest.mark.django_db
def test_artifacts_went_through_the_services(seeded):
    conference = build.demo_conference()
    published = Artifact.objects.filter(conference=conference, status=S.PUBLISHED)
    assert published.count() >= 2
    for artifact in published:
        assert artifact.requested_badges.filter(outcome="awarded").exists()
    # Every move is audited (artifacts.status.move), none written directly.
    moved = AuditEvent.objects.filter(conference=conference, action="artifacts.status")
    assert moved.count() >= Artifact.objects.exclude(status=S.REGISTERED).count()
    # Submitted artifacts wait for evaluators; later ones have them (the solver's).
    assert not EvaluatorAssignment.objects.filter(artifact__status=S.SUBMITTED).exists()
    assert not Artifact.objects.filter(
        status__in=[S.KICK_THE_TIRES, S.EVALUATING, S.DISCUSSION], assignments__isnull=True
    ).exists()
    assert KickTheTiresCheck.objects.exists()
    assert ArtifactMessage.objects.filter(kind="kick_the_tires").exists()
    assert ArtifactMessage.objects.filter(thread="authors", kind="message").exists()
    assert ArtifactMessage.objects.filter(thread="evaluators").exists()
    assert Evaluation.objects.filter(submitted_at__isnull=False).exists()
    discussion = Artifact.objects.filter(status=S.DISCUSSION).first()
    assert discussion.lead is not None
    assert discussion.requested_badges.exclude(proposal="").exists()
    # The smoke checks did not touch the network: they say they did not run.
    checks = SmokeCheck.objects.filter(artifact__conference=conference)
    assert checks.exists()
    assert all(c.results[0]["message"] == smoke.NOT_RUN for c in checks)


@pytest.mark.django_db
def test_the_manifest_names_the_ae_chair_an_evaluator_and_an_author_without_an_artifact(seeded):
    doc = seeded["manifest"]
    assert doc["phase"] == "camera_ready"
    keys = {label.split(",")[0]: who for label, who, _ in manifest.key_accounts(doc)}
    assert "ae-chair@" in keys["AE chair"]
    assert "AE evaluator" in keys
    author = keys["Author of an accepted paper without an artifact"]
    email = author.split("<")[1].rstrip(">")
    papers = [s for s in doc["submissions"] if email in [a["email"] for a in s["authors"]]]
    assert any(s["status"] == "accepted" and s["artifact"] is None for s in papers)
    assert "Author of an accepted paper without an artifact" in seeded["output"]


@pytest.mark.django_db
def test_published_badges_are_stamped_on_the_camera_ready(seeded):
    conference = build.demo_conference()
    published = Artifact.objects.filter(conference=conference, status=S.PUBLISHED)
    for artifact in published:
        stamp = StampedPaper.objects.filter(submission=artifact.submission).latest("pk")
        assert stamp.status == "ready", stamp.message
