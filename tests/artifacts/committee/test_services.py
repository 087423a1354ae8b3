"""The AE committee services: inviting AE evaluators and chairs (one or a CSV) through the
conference's invitations, only AE roles, only with artifacts.manage_ae; resend; load limits;
the evaluator's hardware profile."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from artifacts.committee import services
from artifacts.models import HardwareProfile
from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.invitation_csv import Invitee
from mlsys.conferences.models import CommitteeMembership
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return af.artifact_world()


def test_invite_an_evaluator_sends_the_invitation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.invite(
            conference=world.conference,
            invitee=Invitee(name="Eve Valuator", email="eve@example.org", role=Role.AE_EVALUATOR),
            actor=world.ae_chair,
        )
    assert membership.role == Role.AE_EVALUATOR
    assert membership.status == InvitationStatus.INVITED
    assert membership.invited_by == world.ae_chair
    assert OutboundEmail.objects.filter(to__icontains="eve@example.org").exists()
    assert len(mail.outbox) == 1 and "AE evaluator" in mail.outbox[0].body


@pytest.mark.parametrize("role", [Role.PC_MEMBER, Role.PROGRAM_CHAIR, Role.AREA_CHAIR])
def test_only_ae_roles_may_be_invited(world, role):
    with pytest.raises(ValidationError) as exc:
        services.invite(
            conference=world.conference,
            invitee=Invitee(name="P", email="p@example.org", role=role),
            actor=world.ae_chair,
        )
    assert exc.value.message_dict["role"] == [services.ROLE_REFUSED]
    assert not CommitteeMembership.objects.filter(user__email="p@example.org").exists()


@pytest.mark.parametrize("who", ["evaluator_a", "author", "outsider"])
def test_invite_refused_without_manage_ae(world, who):
    with pytest.raises(PermissionDenied):
        services.invite(
            conference=world.conference,
            invitee=Invitee(name="E", email="e@example.org", role=Role.AE_EVALUATOR),
            actor=getattr(world, who),
        )
    with pytest.raises(PermissionDenied):
        services.import_csv(
            conference=world.conference,
            text="name,email\nE,e@example.org\n",
            actor=getattr(world, who),
        )
    assert not CommitteeMembership.objects.filter(user__email="e@example.org").exists()


def test_csv_empty_role_means_evaluator(world, django_capture_on_commit_callbacks):
    text = (
        "name,email,affiliation,max_load\n"
        "Ann One,ann@example.org,Uni,3\n"
        "\n"
        "Bob Two,bob@example.org,,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        created = services.import_csv(conference=world.conference, text=text, actor=world.ae_chair)
    assert [(m.user.email, m.role, m.max_load) for m in created] == [
        ("ann@example.org", Role.AE_EVALUATOR, 3),
        ("bob@example.org", Role.AE_EVALUATOR, None),
    ]
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="committee.imported").count() == 1


def test_csv_with_bad_rows_imports_nothing_and_names_every_row(world):
    text = (
        "name,email,role,side\n"
        "Ann One,ann@example.org,ae_chair,\n"
        "Pat PC,pat@example.org,pc_member,ML\n"
        ",nobody@example.org,,\n"
        "Bad Mail,not-an-email,,\n"
        f"Dup,{world.evaluator_a.email},ae_evaluator,\n"
        "Side,side@example.org,ae_evaluator,ML\n"
    )
    report = services.check_csv(text, conference=world.conference)
    assert report.errors == [
        "row 3: role must be ae_evaluator or ae_chair (got 'pc_member')",
        "row 4: name is empty",
        "row 5: email must be an email address (got 'not-an-email')",
        f"row 6: {world.evaluator_a.email} is already on the committee as AE evaluator",
        "row 7: side must be empty for ae_evaluator (got 'ML')",
    ]
    with pytest.raises(ValidationError):
        services.import_csv(conference=world.conference, text=text, actor=world.ae_chair)
    assert not CommitteeMembership.objects.filter(user__email="ann@example.org").exists()
    assert not OutboundEmail.objects.exists()


def test_csv_with_a_bad_header_is_reported():
    conference = af.ae_conference()
    report = services.check_csv("foo,bar\n1,2\n", conference=conference)
    assert "must include the columns name and email" in report.errors[0]


def test_resend_and_refusals(world):
    membership = services.invite(
        conference=world.conference,
        invitee=Invitee(name="Eve", email="eve@example.org", role=Role.AE_EVALUATOR),
        actor=world.ae_chair,
    )
    services.resend(membership=membership, actor=world.ae_chair)
    sent = OutboundEmail.objects.filter(to__icontains="eve@example.org")
    assert sent.count() == 2
    with pytest.raises(PermissionDenied):
        services.resend(membership=membership, actor=world.evaluator_a)
    pc = f.MembershipFactory(conference=world.conference, role=Role.PC_MEMBER, status="invited")
    with pytest.raises(ValidationError):
        services.resend(membership=pc, actor=world.ae_chair)
    assert OutboundEmail.objects.count() == 2


def test_set_load_limit(world):
    membership = CommitteeMembership.objects.get(
        conference=world.conference, user=world.evaluator_a
    )
    services.set_load_limit(membership=membership, max_load=4, actor=world.ae_chair)
    membership.refresh_from_db()
    assert membership.max_load == 4
    assert AuditEvent.objects.get(action="artifacts.evaluator_load").changes == {
        "max_load": [None, 4]
    }
    with pytest.raises(ValidationError):
        services.set_load_limit(membership=membership, max_load=101, actor=world.ae_chair)
    with pytest.raises(PermissionDenied):
        services.set_load_limit(membership=membership, max_load=1, actor=world.evaluator_a)
    membership.refresh_from_db()
    assert membership.max_load == 4


def test_default_load_is_the_conference_setting(world):
    assert services.default_load(world.conference) == 2


# --- Hardware ---------------------------------------------------------------------------------


def test_parse_gpu_lines():
    assert services.parse_gpu_lines("4 x A100 80GB\n\n2× H100\nRTX 4090") == [
        {"model": "A100 80GB", "count": 4},
        {"model": "H100", "count": 2},
        {"model": "RTX 4090", "count": 1},
    ]
    with pytest.raises(ValidationError) as exc:
        services.parse_gpu_lines("0 x A100\n2000 x H100\n3 x " + "A" * 120)
    assert exc.value.messages == [
        "Line 1: the number of GPUs must be from 1 to 1024 (got 0).",
        "Line 2: the number of GPUs must be from 1 to 1024 (got 2000).",
        "Line 3: the GPU model is longer than 100 characters.",
    ]


def test_save_hardware_creates_and_audits(world):
    profile = services.save_hardware(
        conference=world.conference,
        data={
            "gpus": [{"model": "A100", "count": 4}],
            "cpu_cores": 64,
            "ram_gb": 512,
            "disk_gb": 4000,
            "cloud_gpus": True,
            "testbeds": ["CloudLab", " "],
            "notes": "Weekends only",
        },
        actor=world.evaluator_a,
    )
    assert profile.user == world.evaluator_a and profile.testbeds == ["CloudLab"]
    event = AuditEvent.objects.get(action="artifacts.hardware_updated")
    assert event.changes["cpu_cores"] == [None, 64]
    assert "4 × A100; 64 cores; 512 GB RAM" in services.hardware_summary(profile)


def test_save_hardware_rejects_insane_numbers_and_keeps_the_old_profile(world):
    HardwareProfile.objects.create(user=world.evaluator_a, cpu_cores=8)
    with pytest.raises(ValidationError) as exc:
        services.save_hardware(
            conference=world.conference,
            data={"cpu_cores": -1, "ram_gb": 10**9, "gpus": [{"model": "", "count": 0}]},
            actor=world.evaluator_a,
        )
    assert set(exc.value.message_dict) == {"cpu_cores", "ram_gb", "gpus"}
    assert HardwareProfile.objects.get(user=world.evaluator_a).cpu_cores == 8


@pytest.mark.parametrize("who", ["ae_chair", "author", "outsider"])
def test_hardware_is_the_evaluators(world, who):
    with pytest.raises(PermissionDenied):
        services.save_hardware(
            conference=world.conference, data={"cpu_cores": 4}, actor=getattr(world, who)
        )
    assert not HardwareProfile.objects.exists()
