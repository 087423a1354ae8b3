"""Creating a conference: the site staff's "New conference" page, ``POST /api/v1/conferences/``
and ``manage.py create_conference`` all call :func:`create_conference`.

One transaction: the conference, its first program chair (an invitation through
:mod:`mlsys.conferences.invitations`, or an accepted membership when the staff member names
themselves), and, when starting from a previous conference, a copy of its setup through the
:mod:`mlsys.conferences.setup_copy` hooks with deadlines shifted. Audited as
``conference.created`` and ``conference.setup_copied``. :func:`check` raises the same field-keyed
messages without writing, for the preview.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from mlsys.conferences import enums, invitations
from mlsys.conferences.invitation_csv import Invitee
from mlsys.conferences.models import AOE, CommitteeMembership, Conference
from mlsys.conferences.queries import users_by_email
from mlsys.conferences.setup_copiers import MAX_SHIFT_DAYS
from mlsys.conferences.setup_copy import CopyContext, copy_setup
from mlsys.conferences.signals import committee_changed
from mlsys.core import audit

CREATED_FIELDS = ("slug", "name", "timezone")


@dataclass
class NewConference:
    """What a site admin gives to create a conference (the field names are the form's and the
    API's, so a message lands on the right field in both)."""

    name: str
    slug: str
    chair_email: str
    timezone: str = AOE
    chair_name: str = ""
    copy_from: Conference | None = None
    shift_days: int = 0
    keep_phase_switches: bool = False


def unsaved(new: NewConference) -> Conference:
    """The conference ``new`` describes, not saved (for its validation and time zone)."""
    return Conference(
        name=new.name.strip(),
        slug=new.slug.strip(),
        timezone=new.timezone.strip(),
        copied_from=new.copy_from,
        # Hidden until its chairs are ready: only the committee sees it, so nobody submits to
        # a conference whose setup is still being checked (Settings → Public).
        is_public=False,
    )


def check(new: NewConference) -> None:
    """Raise a ValidationError keyed by field (``name``, ``slug``, ``timezone``,
    ``chair_email``, ``shift_days``) listing every problem; write nothing."""
    conference = unsaved(new)
    errors: dict[str, list[str]] = {}
    try:
        # copied_from is the source the form already chose (no need to look it up again).
        conference.full_clean(
            exclude=["copied_from"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        errors = {k: list(v) for k, v in exc.message_dict.items()}
    if not conference.name:
        errors["name"] = ["Enter the conference's name, e.g. MLSys 2028."]
    if "slug" not in errors and Conference.objects.filter(slug=conference.slug).exists():
        errors["slug"] = [f"A conference with the slug “{conference.slug}” already exists."]
    email = new.chair_email.strip()
    if not email:
        errors["chair_email"] = ["Enter the first program chair's email address."]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["chair_email"] = [f"“{email}” is not a valid email address."]
    if abs(new.shift_days) > MAX_SHIFT_DAYS:
        errors["shift_days"] = [f"Shift deadlines by at most {MAX_SHIFT_DAYS} days either way."]
    if errors:
        raise ValidationError(errors)


def _first_chair(conference: Conference, new: NewConference, actor) -> CommitteeMembership:
    email = new.chair_email.strip().lower()
    user = users_by_email([email]).get(email)
    if user is not None and getattr(actor, "pk", None) == user.pk:
        # The staff member names themselves: they are acting, so nothing waits for an answer.
        membership = CommitteeMembership.objects.create(
            conference=conference,
            user=user,
            role=enums.Role.PROGRAM_CHAIR,
            status=enums.InvitationStatus.ACCEPTED,
            invited_at=timezone.now(),
            responded_at=timezone.now(),
            invited_by=user,
        )
        audit.record(
            "membership.added",
            actor=actor,
            target=membership,
            changes=audit.created(membership, invitations.INVITATION_FIELDS),
        )
        committee_changed.send(sender=CommitteeMembership, conference=conference)
        return membership
    invitee = Invitee(name=new.chair_name.strip(), email=email, role=enums.Role.PROGRAM_CHAIR)
    try:
        return invitations.invite_member(conference=conference, invitee=invitee, actor=actor)
    except ValidationError as exc:
        # The account's own checks (e.g. a name on one line) answer under the form's fields.
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        raise ValidationError(
            {
                "chair_name" if key == "name" else "chair_email": msgs
                for key, msgs in messages.items()
            }
        ) from exc


@dataclass
class Created:
    conference: Conference
    #: ``{label: count}`` of what was copied; empty when starting empty.
    copied: dict[str, int]
    #: The first program chair's membership: invited, or accepted if the actor named themselves.
    chair: CommitteeMembership


def create_conference(*, new: NewConference, actor) -> Created:
    """Create the conference and its first chair, and copy ``new.copy_from``'s setup if given.
    Raises ValidationError (see :func:`check`); nothing is written then."""
    with transaction.atomic():
        check(new)
        conference = unsaved(new)
        try:
            with transaction.atomic():
                conference.save()
        except IntegrityError as exc:
            # Another creation took the slug between the check and this insert.
            raise ValidationError(
                {"slug": [f"A conference with the slug “{conference.slug}” already exists."]}
            ) from exc
        audit.record(
            "conference.created",
            actor=actor,
            target=conference,
            changes=audit.created(conference, CREATED_FIELDS),
        )
        copied: dict[str, int] = {}
        source = new.copy_from
        if source is not None:
            copied = copy_setup(
                CopyContext(
                    source=source,
                    target=conference,
                    actor=actor,
                    shift_days=new.shift_days,
                    keep_phase_switches=new.keep_phase_switches,
                )
            )
            audit.record(
                "conference.setup_copied",
                actor=actor,
                target=conference,
                changes={"copied": [None, copied]},
                note=f"From {source.slug}, deadlines shifted by {new.shift_days} days",
            )
        chair = _first_chair(conference, new, actor)
    return Created(conference, copied, chair)
