"""Chairs invite one person or a CSV of people; nothing is half-imported."""

import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mlsys.accounts.models import User
from mlsys.conferences import invitations
from mlsys.conferences.enums import InvitationStatus, Role, Side
from mlsys.conferences.models import CommitteeMembership
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from tests import factories

GOOD_CSV = (
    "name,email,affiliation,side,max_load,role\n"
    "Nadia Net,nadia@lab.example,Lab N,ML,10,pc_member\n"
    "Omar Os,OMAR@sys.example,Sys U,systems,12,\n"
    "Bea Both,bea@both.example,,BOTH,,area_chair\n"
)


def _links(body: str) -> dict[str, str]:
    return {
        kind: re.search(rf"{kind.capitalize()}:\s+(\S+)", body).group(1)
        for kind in ("accept", "decline")
    }


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_invite_one_creates_account_membership_and_email_with_working_links(
    chair_client, chair, conference, url, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = chair_client.post(
            url("committee_invite"),
            {
                "name": "Nadia Net",
                "email": "Nadia@Lab.example",
                "affiliation": "Lab N",
                "role": Role.PC_MEMBER,
                "side": Side.ML,
                "max_load": 9,
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="nadia@lab.example")
    assert (user.name, user.affiliation, user.has_usable_password()) == (
        "Nadia Net",
        "Lab N",
        False,
    )
    assert EmailAddress.objects.filter(
        user=user, email="nadia@lab.example", verified=False
    ).exists()
    membership = CommitteeMembership.objects.get(conference=conference, user=user)
    assert (membership.role, membership.side, membership.max_load, membership.status) == (
        Role.PC_MEMBER,
        Side.ML,
        9,
        InvitationStatus.INVITED,
    )
    assert membership.invited_by == chair and membership.invited_at is not None
    assert len(membership.invitation_token) >= 40
    outbound = OutboundEmail.objects.get(template_key="committee.invitation")
    assert outbound.to == ["nadia@lab.example"]
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Chair Person invites you to serve as PC member for MLSys 2027" in body
    assert "ML side, with a maximum load of 9 papers" in body
    links = _links(body)
    assert membership.invitation_token in links["accept"]
    client.logout()
    for link in links.values():
        page = client.get(_path(link))
        assert page.status_code == 200
        assert "Nadia Net" in page.content.decode()
    assert AuditEvent.objects.filter(action="membership.invited").count() == 1


def test_invite_matches_an_existing_account_by_a_secondary_address(
    chair_client, conference, url, author
):
    factories.EmailAddressFactory(user=author, email="ada.old@past.example", verified=True)
    chair_client.post(
        url("committee_invite"),
        {"name": "Ada", "email": "ada.old@past.example", "role": Role.PC_MEMBER, "side": "BOTH"},
    )
    membership = CommitteeMembership.objects.get(conference=conference, user=author)
    assert membership.status == InvitationStatus.INVITED
    assert not User.objects.filter(email="ada.old@past.example").exists()


def test_inviting_someone_already_on_the_committee_is_refused(
    chair_client, conference, url, ml_reviewer
):
    response = chair_client.post(
        url("committee_invite"),
        {"name": "Mia", "email": ml_reviewer.email, "role": Role.PC_MEMBER, "side": "ML"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        f"{ml_reviewer.email} is already on the committee as PC member."
    ]
    assert CommitteeMembership.objects.filter(user=ml_reviewer).count() == 1
    assert not OutboundEmail.objects.exists()


def test_invite_reviewer_without_side_is_refused(chair_client, conference, url):
    response = chair_client.post(
        url("committee_invite"),
        {"name": "No Side", "email": "ns@x.example", "role": Role.PC_MEMBER, "side": ""},
    )
    assert response.context["form"].errors["side"]
    assert not User.objects.filter(email="ns@x.example").exists()


def test_csv_with_good_rows_previews_then_imports_everyone_with_emails(
    chair_client, conference, url, author, django_capture_on_commit_callbacks
):
    csv_text = GOOD_CSV + "Ada Author,ada@uni.example.edu,,SYSTEMS,5,external_reviewer\n"
    upload = SimpleUploadedFile("pc.csv", csv_text.encode(), content_type="text/csv")
    preview = chair_client.post(url("committee_import"), {"file": upload})
    assert preview.status_code == 200
    assert preview.context["report"].ok
    assert [r.number for r in preview.context["report"].rows] == [2, 3, 4, 5]
    assert not CommitteeMembership.objects.filter(status=InvitationStatus.INVITED).exists()
    assert not OutboundEmail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = chair_client.post(
            url("committee_import"),
            {"csv_text": preview.context["confirm_form"]["csv_text"].value()},
        )
    assert response.status_code == 302
    invited = {
        m.user.email: (m.role, m.side, m.max_load)
        for m in CommitteeMembership.objects.filter(status=InvitationStatus.INVITED)
    }
    assert invited == {
        "nadia@lab.example": (Role.PC_MEMBER, Side.ML, 10),
        "omar@sys.example": (Role.PC_MEMBER, Side.SYSTEMS, 12),
        "bea@both.example": (Role.AREA_CHAIR, Side.BOTH, None),
        "ada@uni.example.edu": (Role.EXTERNAL_REVIEWER, Side.SYSTEMS, 5),
    }
    assert User.objects.get(email="ada@uni.example.edu") == author  # no duplicate account
    assert author.has_usable_password()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(invited)
    assert OutboundEmail.objects.filter(template_key="committee.invitation").count() == 4
    omar = next(m for m in mail.outbox if m.to == ["omar@sys.example"])
    token = CommitteeMembership.objects.get(user__email="omar@sys.example").invitation_token
    assert _path(_links(omar.body)["accept"]) == url("invitation_accept", token=token)
    assert AuditEvent.objects.get(action="committee.imported").changes["invited"][1] == [
        "nadia@lab.example",
        "omar@sys.example",
        "bea@both.example",
        "ada@uni.example.edu",
    ]


def test_pasted_csv_text_is_accepted(chair_client, conference, url):
    preview = chair_client.post(url("committee_import"), {"text": GOOD_CSV})
    assert preview.status_code == 200
    assert [i.email for i in preview.context["report"].invitees] == [
        "nadia@lab.example",
        "omar@sys.example",
        "bea@both.example",
    ]


def test_csv_with_bad_rows_imports_nothing_and_reports_each_row(
    chair_client, conference, url, ml_reviewer
):
    factories.MembershipFactory(
        conference=conference,
        user=factories.UserFactory(email="pending@x.example"),
        status=InvitationStatus.INVITED,
    )
    csv_text = (
        "name,email,affiliation,side,max_load,role\n"
        "Good One,good@x.example,,ML,3,\n"
        "Bad Side,side@x.example,,sys,3,\n"
        f"Mia Again,{ml_reviewer.email},,ML,3,pc_member\n"
        "Pending,pending@x.example,,ML,,\n"
        "Bad Mail,not-an-email,,ML,,\n"
        "Good Twice,good@x.example,,ML,3,\n"
        "Bad Load,load@x.example,,ML,ten,\n"
        "Bad Role,role@x.example,,ML,,reviewer\n"
        ",noname@x.example,,ML,,\n"
        "AE Side,ae@x.example,,ML,,ae_evaluator\n"
    )
    response = chair_client.post(url("committee_import"), {"text": csv_text})
    assert response.status_code == 400
    assert response.context["report"].errors == [
        "row 3: side must be ML, SYSTEMS or BOTH (got 'sys')",
        f"row 4: {ml_reviewer.email} is already on the committee as PC member",
        "row 5: pending@x.example is already invited as PC member",
        "row 6: email must be an email address (got 'not-an-email')",
        "row 7: good@x.example is already listed in row 2",
        "row 8: max_load must be a whole number from 0 to 100 (got 'ten')",
        "row 9: role must be one of program_chair, pc_member, area_chair, external_reviewer, "
        "ae_chair, ae_evaluator (got 'reviewer')",
        "row 10: name is empty",
        "row 11: side must be empty for ae_evaluator (got 'ML')",
    ]
    body = response.content.decode()
    assert "Nothing was imported" in body and "row 7: good@x.example" in body
    assert response.context["confirm_form"] is None
    assert not User.objects.filter(email="good@x.example").exists()
    assert CommitteeMembership.objects.filter(conference=conference).count() == 3
    assert not OutboundEmail.objects.exists()


def test_tampered_confirmation_imports_nothing(chair_client, conference, url):
    bad = GOOD_CSV + "Bad Side,side@x.example,,sys,3,\n"
    response = chair_client.post(url("committee_import"), {"csv_text": bad})
    assert response.status_code == 409
    assert "row 5: side must be ML, SYSTEMS or BOTH (got 'sys')" in html.unescape(
        response.content.decode()
    )
    assert not User.objects.filter(email="nadia@lab.example").exists()
    assert not OutboundEmail.objects.exists()


def test_import_service_rolls_back_everything_on_a_bad_row(conference, chair):
    with pytest.raises(ValidationError) as exc:
        invitations.import_invitations(
            conference=conference, text=GOOD_CSV + "X,x@x.example,,ML,-1,\n", actor=chair
        )
    assert exc.value.messages == ["row 5: max_load must be a whole number from 0 to 100 (got '-1')"]
    assert not CommitteeMembership.objects.filter(status=InvitationStatus.INVITED).exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,email\nJosé,jose@x.example\n".encode("latin-1"), "The file is not UTF-8 text"),
        (b"", "The submitted file is empty."),
        (b"\n \n", "The file is empty."),
        (b"Ada,ada@x.example,,ML,3,\n", "it looks like a data row"),
        (b"name,side\nAda,ML\n", "The header must include the columns email"),
        (b"name,email,sied\nAda,a@x.example,ML\n", "Unknown column “sied” in the header"),
        (b"name,email,side\n", "The file has a header but no rows to import."),
        (b"name,email\n" + b"A,a@x.example\n" * 80_000, "the limit is 1 MB"),
        (b"name,email,side\nA,a@x.example,ML,extra\n", "row 2: 4 values but the header has 3"),
    ],
    ids=[
        "latin-1",
        "empty",
        "blank",
        "no-header",
        "missing-email",
        "unknown",
        "no-rows",
        "huge",
        "extra",
    ],
)
def test_malformed_csv_files_get_clear_messages(chair_client, conference, url, content, message):
    upload = SimpleUploadedFile("pc.csv", content, content_type="text/csv")
    response = chair_client.post(url("committee_import"), {"file": upload})
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert CommitteeMembership.objects.filter(conference=conference).count() == 1
    assert not OutboundEmail.objects.exists()


def test_import_without_file_or_text_is_refused(chair_client, conference, url):
    response = chair_client.post(url("committee_import"), {"text": "  "})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Choose a CSV file or paste CSV text."]
