"""creation.create_conference and the setup_copy hooks: what is copied, shifted, left behind."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from mlsys.conferences import creation, enums
from mlsys.conferences.creation import NewConference, check, create_conference
from mlsys.conferences.models import CommitteeMembership, Conference, PhaseSetting
from mlsys.conferences.setup_copiers import shift
from mlsys.core.models import AuditEvent
from mlsys.mail.models import EmailTemplate, OutboundEmail
from reviews.models import Bid, ReviewField, ReviewForm
from submissions.models import ExtraField, Submission
from tests import factories

pytestmark = pytest.mark.django_db


def _new(**kwargs) -> NewConference:
    values = {
        "name": "MLSys 2028",
        "slug": "mlsys2028",
        "chair_email": "new.chair@example.org",
        "chair_name": "Nova Chair",
    }
    return NewConference(**{**values, **kwargs})


def _snapshot(conference: Conference) -> dict:
    return {
        "tracks": list(conference.tracks.values_list("pk", "name", "page_limit")),
        "topics": list(conference.topics.values_list("pk", "name")),
        "deadlines": list(conference.deadlines.values_list("pk", "kind", "at")),
        "extra": list(ExtraField.objects.filter(track__conference=conference).values_list("pk")),
        "forms": list(ReviewForm.objects.filter(conference=conference).values_list("pk", "track")),
        "fields": list(ReviewField.objects.filter(form__conference=conference).values_list("pk")),
        "templates": list(conference.email_templates.values_list("pk", "subject")),
        "switches": list(conference.phase_settings.values_list("pk", "mode")),
        "members": list(conference.memberships.values_list("pk", "role")),
    }


def test_copy_brings_every_kind_of_setup_and_shifts_deadlines(source, staff):
    before = _snapshot(source)
    created = create_conference(
        new=_new(copy_from=source, shift_days=365, chair_email=staff.email), actor=staff
    )
    new = created.conference
    research = new.tracks.get(slug="research")
    assert list(new.tracks.order_by("order").values_list("name", flat=True)) == [
        "Research",
        "Industry",
    ]
    assert research.page_limit == 12 and research.min_font_size == 10
    assert new.tracks.get(slug="industry").anonymity == enums.Anonymity.NAMES_HIDDEN
    assert set(new.topics.values_list("name", "area")) == set(
        source.topics.values_list("name", "area")
    )
    assert list(
        ExtraField.objects.filter(track__conference=new).values_list("track", "label", "choices")
    ) == [(research.pk, "Previously submitted to", ""), (research.pk, "Artifact?", "Yes\nNo")]
    default = ReviewForm.objects.get(conference=new, track=None)
    assert list(default.fields.values_list("key", flat=True)) == ["merit"]  # not the removed one
    track_form = ReviewForm.objects.get(conference=new, track=research)
    assert (track_form.name, list(track_form.fields.values_list("key", flat=True))) == (
        "Research review form",
        ["novelty"],
    )
    assert list(EmailTemplate.objects.filter(conference=new).values_list("key", "subject")) == [
        ("committee.invitation", "Join us")
    ]
    assert new.submission_grace_minutes == 30 and new.response_word_limit == 600
    old = {d.kind: d.at for d in source.deadlines.all()}
    for deadline in new.deadlines.all():
        expected = old[deadline.kind].astimezone(source.tz)
        local = deadline.at.astimezone(new.tz)
        assert (local - expected).days == 365
        assert local.time() == expected.time()
    assert new.deadlines.count() == len(old)
    assert created.copied == {
        "tracks": 2,
        "topics": 6,
        "deadlines": 7,
        "phase switches (forced open or closed)": 0,
        "email templates": 1,
        "extra questions": 2,
        "review forms": 2,
        "review questions": 2,
        "decision outcomes": 0,  # the source never set any: the new one starts with the defaults
    }
    # The source is untouched.
    assert _snapshot(source) == before


def test_copy_takes_nothing_of_peoples_data(source, staff):
    new = create_conference(
        new=_new(copy_from=source, chair_email=staff.email), actor=staff
    ).conference
    assert not Submission.objects.filter(conference=new).exists()
    assert not Bid.objects.filter(submission__conference=new).exists()
    assert list(new.memberships.values_list("user", "role", "status")) == [
        (staff.pk, enums.Role.PROGRAM_CHAIR, enums.InvitationStatus.ACCEPTED)
    ]
    assert not PhaseSetting.objects.filter(conference=new).exists()


def test_phase_switches_carry_over_only_when_asked(source, staff):
    new = create_conference(
        new=_new(copy_from=source, keep_phase_switches=True, chair_email=staff.email),
        actor=staff,
    ).conference
    assert list(new.phase_settings.values_list("phase", "mode")) == [
        (enums.Phase.SUBMISSION, enums.PhaseMode.CLOSED)
    ]


def test_shift_keeps_wall_clock_time_across_daylight_saving():
    paris = Conference(timezone="Europe/Paris").tz
    winter = datetime(2027, 1, 15, 22, 59, tzinfo=UTC)  # 23:59 in Paris (UTC+1)
    moved = shift(winter, 180, paris, paris)  # into summer time (UTC+2)
    assert moved.astimezone(paris).strftime("%m-%d %H:%M") == "07-14 23:59"
    assert moved.astimezone(UTC).hour == 21


def test_new_chair_address_gets_an_account_and_an_invitation(staff, mailoutbox):
    created = create_conference(new=_new(chair_name="Nova Chair"), actor=staff)
    chair = created.chair
    assert (chair.role, chair.status) == (enums.Role.PROGRAM_CHAIR, enums.InvitationStatus.INVITED)
    assert chair.user.email == "new.chair@example.org" and chair.user.name == "Nova Chair"
    assert not chair.user.has_usable_password()
    email = OutboundEmail.objects.get(conference=created.conference)
    assert email.to == ["new.chair@example.org"] and email.template_key == "committee.invitation"
    assert chair.invitation_token in email.body


def test_existing_account_is_invited_pending(staff):
    person = factories.UserFactory(email="known@example.org", name="Known Person")
    chair = create_conference(new=_new(chair_email="Known@Example.org"), actor=staff).chair
    assert chair.user == person and chair.status == enums.InvitationStatus.INVITED
    assert person.name == "Known Person"


def test_creation_is_audited(source, staff):
    new = create_conference(new=_new(copy_from=source, shift_days=7), actor=staff).conference
    actions = list(
        AuditEvent.objects.filter(conference=new).order_by("pk").values_list("action", "actor")
    )
    assert actions[:2] == [("conference.created", staff.pk), ("conference.setup_copied", staff.pk)]
    copied = AuditEvent.objects.get(conference=new, action="conference.setup_copied")
    assert copied.changes["copied"][1]["tracks"] == 2
    assert "mlsys2027" in copied.note and "7 days" in copied.note


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"slug": "mlsys2027"}, "slug", "A conference with the slug “mlsys2027” already exists."),
        ({"slug": "MLSys 2028"}, "slug", "Lower-case letters, digits and dashes."),
        ({"timezone": "Mars/Olympus"}, "timezone", "“Mars/Olympus” is not a known time zone"),
        ({"chair_email": "not-an-email"}, "chair_email", "“not-an-email” is not a valid email"),
        ({"chair_email": ""}, "chair_email", "Enter the first program chair's email address."),
        ({"name": " "}, "name", "Enter the conference's name"),
        ({"shift_days": 4000}, "shift_days", "at most 3650 days"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    conference, staff, kwargs, field, message
):
    before = (Conference.objects.count(), CommitteeMembership.objects.count())
    with pytest.raises(ValidationError) as exc:
        create_conference(new=_new(**kwargs), actor=staff)
    assert message in " ".join(exc.value.message_dict[field])
    with pytest.raises(ValidationError):
        check(_new(**kwargs))
    assert (Conference.objects.count(), CommitteeMembership.objects.count()) == before
    assert not OutboundEmail.objects.exists()


def test_year_specific_settings_stay_behind(source, staff):
    source.contact_email = "chairs@mlsys2027.example.org"
    source.website = "https://mlsys2027.example.org"
    source.description = "The 2027 edition."
    source.save()
    new = create_conference(new=_new(copy_from=source), actor=staff).conference
    new.refresh_from_db()
    assert (new.contact_email, new.website, new.description) == ("", "", "")
    assert new.submission_grace_minutes == 30 and new.decisions_released_at is None


def test_a_slug_taken_after_the_check_is_refused_not_a_crash(staff, monkeypatch):
    real_check = creation.check

    def check_then_someone_else_creates(new):
        real_check(new)
        factories.ConferenceFactory(slug=new.slug)

    monkeypatch.setattr(creation, "check", check_then_someone_else_creates)
    with pytest.raises(ValidationError) as exc:
        create_conference(new=_new(), actor=staff)
    assert exc.value.message_dict["slug"] == [
        "A conference with the slug “mlsys2028” already exists."
    ]
    assert not CommitteeMembership.objects.exists()


def test_a_new_chairs_name_on_two_lines_is_refused_under_chair_name(staff):
    with pytest.raises(ValidationError) as exc:
        create_conference(new=_new(chair_name="Ada\nChair"), actor=staff)
    assert list(exc.value.message_dict) == ["chair_name"]
    assert not Conference.objects.exists()


def test_a_new_chair_without_a_name_is_refused_under_chair_name(staff):
    """An address without an account needs the person's name (the invitation creates it)."""
    with pytest.raises(ValidationError) as exc:
        create_conference(new=_new(chair_name=""), actor=staff)
    assert list(exc.value.message_dict) == ["chair_name"]
    assert not Conference.objects.filter(slug="mlsys2028").exists()


def test_invitation_from_a_staff_account_without_a_name_reads_well(mailoutbox):
    nameless = factories.UserFactory(email="admin@example.org", name="", is_staff=True)
    create_conference(new=_new(), actor=nameless)
    body = OutboundEmail.objects.get(template_key="committee.invitation").body
    assert "the program chairs invites" not in body
    assert (
        "On behalf of the program chairs, the MLSys 2028 organising committee invites you to "
        "serve as Program chair for MLSys 2028." in body
    )
