"""The AE committee pages (AE chairs and program chairs), the evaluator's hardware page, and
the home page's artifact-evaluation parts. Every page is refused (404) to the wrong roles."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from artifacts.models import HardwareProfile
from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.models import CommitteeMembership
from mlsys.mail.models import OutboundEmail
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return af.artifact_world()


def url(world, name, **kwargs):
    return reverse(f"artifacts:{name}", kwargs={"conference": world.conference.slug, **kwargs})


def as_user(client, user):
    client.force_login(user)
    return client


def evaluator_membership(world, user):
    return CommitteeMembership.objects.get(
        conference=world.conference, user=user, role=Role.AE_EVALUATOR
    )


def test_committee_lists_evaluators_with_load_hardware_and_assignments(client, world):
    HardwareProfile.objects.create(
        user=world.evaluator_a, gpus=[{"model": "A100", "count": 4}], cpu_cores=32
    )
    membership = evaluator_membership(world, world.evaluator_b)
    membership.max_load = 5
    membership.save()
    response = as_user(client, world.ae_chair).get(url(world, "committee"))
    assert response.status_code == 200
    members = {m.user: m for m in response.context["members"]}
    assert members[world.evaluator_a].hardware == "4 × A100; 32 cores"
    assert members[world.evaluator_a].load_limit == 2  # the conference default
    assert members[world.evaluator_b].load_limit == 5
    assert members[world.evaluator_a].live_assignments == 1
    assert members[world.other_evaluator].live_assignments == 0
    assert world.ae_chair in members and world.program_chair not in members


@pytest.mark.parametrize("n", [1, 10])
def test_committee_query_count_is_constant(client, world, n, django_assert_num_queries):
    CommitteeMembership.objects.filter(conference=world.conference).exclude(
        user=world.ae_chair
    ).delete()
    for _ in range(n):
        user = af.evaluator(world.conference)
        HardwareProfile.objects.create(user=user, cpu_cores=8)
        af.EvaluatorAssignmentFactory(artifact=world.artifact, evaluator=user)
    client = as_user(client, world.ae_chair)
    client.get(url(world, "committee"))  # warm the session
    # 4 of them: the viewer's conflicts (the counts leave out their conflicted artifacts).
    with django_assert_num_queries(14):
        response = client.get(url(world, "committee"))
    assert len(response.context["members"]) == n + 1


def test_committee_pages_hold_100_rows(client, world):
    for _ in range(101):
        f.MembershipFactory(conference=world.conference, role=Role.AE_EVALUATOR)
    response = as_user(client, world.ae_chair).get(url(world, "committee"))
    assert len(response.context["members"]) == 100
    page2 = client.get(url(world, "committee") + "?page=2")
    assert len(page2.context["members"]) == 106 - 100


def test_invite_one_from_the_page(client, world):
    response = as_user(client, world.ae_chair).post(
        url(world, "committee_invite"),
        {"name": "Eve", "email": "eve@example.org", "role": Role.AE_EVALUATOR, "max_load": "3"},
    )
    assert response.status_code == 302
    membership = CommitteeMembership.objects.get(user__email="eve@example.org")
    assert (membership.role, membership.max_load) == (Role.AE_EVALUATOR, 3)


def test_invite_page_offers_only_ae_roles_and_refuses_others(client, world):
    client = as_user(client, world.ae_chair)
    html = client.get(url(world, "committee_invite")).content.decode()
    assert 'value="pc_member"' not in html and 'value="ae_chair"' in html
    response = client.post(
        url(world, "committee_invite"),
        {"name": "Pat", "email": "pat@example.org", "role": Role.PROGRAM_CHAIR},
    )
    assert response.status_code == 400
    assert not CommitteeMembership.objects.filter(user__email="pat@example.org").exists()


def test_csv_preview_then_confirm(client, world):
    client = as_user(client, world.ae_chair)
    text = "name,email\nAnn,ann@example.org\nBob,bob@example.org\n"
    upload = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    preview = client.post(url(world, "committee_import"), {"file": upload})
    assert preview.status_code == 200
    assert "Invite 2 people" in preview.content.decode()
    assert not CommitteeMembership.objects.filter(user__email="ann@example.org").exists()
    done = client.post(url(world, "committee_import"), {"csv_text": text})
    assert done.status_code == 302
    assert (
        CommitteeMembership.objects.filter(
            conference=world.conference, role=Role.AE_EVALUATOR, status=InvitationStatus.INVITED
        ).count()
        == 2
    )


def test_csv_with_bad_rows_shows_them_and_imports_nothing(client, world):
    client = as_user(client, world.ae_chair)
    text = "name,email,role\nAnn,ann@example.org,\nPat,pat@example.org,program_chair\n"
    response = client.post(url(world, "committee_import"), {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "row 3: role must be ae_evaluator or ae_chair (got &#x27;program_chair&#x27;)" in html
    # Posting the text straight to the confirm step is checked again.
    forced = client.post(url(world, "committee_import"), {"csv_text": text})
    assert forced.status_code == 409
    assert not CommitteeMembership.objects.filter(user__email__in=["ann@example.org"]).exists()


def test_resend_and_load(client, world):
    invited = f.MembershipFactory(
        conference=world.conference, role=Role.AE_EVALUATOR, status=InvitationStatus.DECLINED
    )
    client = as_user(client, world.ae_chair)
    assert client.post(url(world, "committee_resend", pk=invited.pk)).status_code == 302
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.INVITED
    assert OutboundEmail.objects.count() == 1
    membership = evaluator_membership(world, world.evaluator_a)
    assert client.get(url(world, "committee_load", pk=membership.pk)).status_code == 200
    bad = client.post(url(world, "committee_load", pk=membership.pk), {"max_load": "500"})
    assert bad.status_code == 400 and 'value="500"' in bad.content.decode()
    client.post(url(world, "committee_load", pk=membership.pk), {"max_load": "1"})
    membership.refresh_from_db()
    assert membership.max_load == 1


def test_a_pc_membership_is_not_reachable_from_the_ae_pages(client, world):
    pc = f.MembershipFactory(conference=world.conference, role=Role.PC_MEMBER, status="invited")
    client = as_user(client, world.ae_chair)
    assert client.post(url(world, "committee_resend", pk=pc.pk)).status_code == 404
    assert client.get(url(world, "committee_load", pk=pc.pk)).status_code == 404


def test_program_chairs_committee_pages_stay_chair_only(client, world):
    client = as_user(client, world.ae_chair)
    response = client.get(reverse("conferences:committee_import", args=[world.conference.slug]))
    assert response.status_code == 404


COMMITTEE_PAGES = ["committee", "committee_invite", "committee_import"]


@pytest.mark.parametrize("who", ["evaluator_a", "other_evaluator", "author", "outsider"])
@pytest.mark.parametrize("name", COMMITTEE_PAGES)
def test_committee_pages_are_404_without_manage_ae(client, world, who, name):
    assert as_user(client, getattr(world, who)).get(url(world, name)).status_code == 404


@pytest.mark.parametrize("who", ["evaluator_a", "author", "outsider"])
def test_committee_actions_are_404_without_manage_ae(client, world, who):
    membership = evaluator_membership(world, world.evaluator_b)
    client = as_user(client, getattr(world, who))
    assert client.post(url(world, "committee_resend", pk=membership.pk)).status_code == 404
    response = client.post(url(world, "committee_load", pk=membership.pk), {"max_load": "9"})
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.max_load is None


# --- Hardware ---------------------------------------------------------------------------------


def test_hardware_page_saves_the_profile(client, world):
    client = as_user(client, world.evaluator_a)
    assert client.get(url(world, "hardware")).status_code == 200
    response = client.post(
        url(world, "hardware"),
        {
            "gpus": "4 x A100 80GB\n1 x RTX 4090",
            "cpu_cores": "64",
            "ram_gb": "256",
            "disk_gb": "",
            "cloud_credits": "AWS $500",
            "cloud_gpus": "on",
            "testbeds": "CloudLab\nChameleon",
            "notes": "",
        },
    )
    assert response.status_code == 302
    profile = HardwareProfile.objects.get(user=world.evaluator_a)
    assert profile.gpus == [
        {"model": "A100 80GB", "count": 4},
        {"model": "RTX 4090", "count": 1},
    ]
    assert (profile.cpu_cores, profile.disk_gb, profile.cloud_gpus) == (64, None, True)
    page = client.get(url(world, "hardware")).content.decode()
    assert "4 x A100 80GB" in page


def test_hardware_errors_are_clear_and_keep_the_input(client, world):
    response = as_user(client, world.evaluator_a).post(
        url(world, "hardware"), {"gpus": "0 x A100\n4 x H100", "cpu_cores": "-3"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Line 1: the number of GPUs must be from 1 to 1024 (got 0)." in html
    assert "4 x H100" in html
    assert not HardwareProfile.objects.exists()


@pytest.mark.parametrize("who", ["ae_chair", "author", "outsider", "program_chair"])
def test_hardware_page_is_the_evaluators(client, world, who):
    client = as_user(client, getattr(world, who))
    assert client.get(url(world, "hardware")).status_code == 404
    assert client.post(url(world, "hardware"), {"cpu_cores": "4"}).status_code == 404


# --- Home page --------------------------------------------------------------------------------


def test_home_shows_the_ae_chairs_and_the_evaluators_parts(client, world):
    html = as_user(client, world.ae_chair).get(reverse("home")).content.decode()
    assert "Artifact evaluation" in html
    assert url(world, "committee") in html and url(world, "settings") in html
    assert "1 kick-the-tires" in html
    html = as_user(client, world.evaluator_a).get(reverse("home")).content.decode()
    assert "1 artifact assigned to you" in html
    assert url(world, "hardware") in html
    assert url(world, "committee") not in html


def test_home_shows_nothing_to_an_author(client, world):
    html = as_user(client, world.author).get(reverse("home")).content.decode()
    assert url(world, "hardware") not in html and url(world, "committee") not in html


@pytest.mark.parametrize("n", [1, 5])
def test_home_ae_part_query_count_is_constant(rf, n, django_assert_num_queries):
    from artifacts.committee.home import ae_sections

    user = f.UserFactory()
    for _ in range(n):
        conference = af.ae_conference()
        for role in (Role.AE_CHAIR, Role.AE_EVALUATOR):
            f.MembershipFactory(
                conference=conference, user=user, role=role, status=InvitationStatus.ACCEPTED
            )
        af.ArtifactFactory(conference=conference)
        af.EvaluatorAssignmentFactory(
            artifact=af.ArtifactFactory(conference=conference), evaluator=user
        )
    request = rf.get("/")
    request.user = user
    with django_assert_num_queries(3):
        sections = ae_sections(request)
    assert len(sections) == 2 * n
    nobody = rf.get("/")
    nobody.user = f.UserFactory()
    with django_assert_num_queries(1):
        assert ae_sections(nobody) is None
