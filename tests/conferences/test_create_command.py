"""manage.py create_conference: the operator's way to start a conference."""

import io

import pytest
from django.core.management import CommandError, call_command

from mlsys.conferences.models import Conference
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from submissions.models import ExtraField

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("create_conference", *args, stdout=out)
    return out.getvalue()


def test_creates_an_empty_conference_and_invites_the_chair():
    out = _run(
        "--name", "MLSys 2028", "--slug", "mlsys2028", "--chair", "c@example.org",
        "--chair-name", "Cee Chair",
    )  # fmt: skip
    new = Conference.objects.get(slug="mlsys2028")
    assert (new.name, new.timezone) == ("MLSys 2028", "Etc/GMT+12")
    member = new.memberships.get()
    assert (member.user.email, member.role, member.status) == (
        "c@example.org",
        "program_chair",
        "invited",
    )
    assert OutboundEmail.objects.filter(to=["c@example.org"]).count() == 1
    assert "Created MLSys 2028 (mlsys2028)." in out and "c@example.org is invited" in out
    event = AuditEvent.objects.get(action="conference.created")
    assert event.actor is None and event.conference == new


def test_copies_from_a_previous_conference_with_shifted_deadlines(source):
    out = _run(
        "--name", "MLSys 2028", "--slug", "mlsys2028", "--time-zone", "UTC",
        "--chair", "c@example.org", "--chair-name", "Cee Chair",
        "--from", "mlsys2027", "--shift-days", "364",
    )  # fmt: skip
    new = Conference.objects.get(slug="mlsys2028")
    assert new.timezone == "UTC"
    assert ExtraField.objects.filter(track__conference=new).count() == 2
    old = source.deadlines.get(kind="submission").at.astimezone(source.tz)
    moved = new.deadlines.get(kind="submission").at.astimezone(new.tz)
    assert (moved.date() - old.date()).days == 364 and moved.time() == old.time()
    assert "copied 2 tracks from mlsys2027" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "mlsys2027"], "--slug: A conference with the slug “mlsys2027” already exists."),
        (["--time-zone", "Mars/Olympus"], "--time-zone: “Mars/Olympus” is not a known time zone"),
        (["--chair", "nope"], "--chair: “nope” is not a valid email address."),
        (["--from", "nowhere"], "--from: no conference with the slug “nowhere”."),
        (["--shift-days", "365"], "--shift-days and --keep-phase-switches need --from"),
    ],
)
def test_bad_input_is_refused_with_a_message(conference, args, message):
    base = {"--name": "MLSys 2028", "--slug": "mlsys2028", "--chair": "c@example.org"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    with pytest.raises(CommandError) as exc:
        _run(*[part for pair in base.items() for part in pair])
    assert message in str(exc.value)
    assert exc.value.returncode == 2
    assert Conference.objects.count() == 1
