"""Committee invitations: invite one person, a CSV of them or members of a previous conference,
resend, remind, accept, decline.

Every function runs in one transaction. The invitation email is written to the outbox in the
same transaction as the membership it announces, so a rolled-back import sends nothing and a
committed one never loses its emails. Each change writes an audit event, and each change of who
is on the committee sends ``committee_changed`` (submissions recomputes conflicts after commit).

The invitation token (random, in the accept/decline links) is the only secret of the public
invitation pages; it is looked up together with the conference, so a token never works under
another conference's address.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from mlsys.conferences import archive, emails, enums
from mlsys.conferences.enums import InvitationStatus
from mlsys.conferences.invitation_csv import Invitee, describe_existing, parse
from mlsys.conferences.models import CommitteeMembership, Conference
from mlsys.conferences.queries import users_by_email
from mlsys.conferences.rules import load_roles
from mlsys.conferences.signals import committee_changed
from mlsys.conferences.viewer import as_viewer
from mlsys.core import audit
from mlsys.mail.services import queue_email

#: A pending invitation is reminded at most once per interval (and not before it is that old).
REMINDER_INTERVAL = timedelta(days=getattr(settings, "INVITATION_REMINDER_DAYS", 3))
INVITATION_FIELDS = ("role", "side", "max_load", "status", "user")
NAME_NEEDED = (
    "{email} has no account yet: enter the person's name, the invitation creates their account "
    "with it."
)


def owns_invitation(user, membership: CommitteeMembership) -> bool:
    """The invited account itself, or an account with that address verified."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == membership.user_id:
        return True
    return EmailAddress.objects.filter(
        user=user, email__iexact=membership.user.email, verified=True
    ).exists()


def is_unclaimed(user) -> bool:
    """An account created by an invitation that nobody has logged into or set a password for."""
    return not user.has_usable_password() and user.last_login is None


# --- Sending ----------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_url(membership: CommitteeMembership, action: str = "") -> str:
    name = f"conferences:invitation_{action}" if action else "conferences:invitation"
    path = reverse(
        name,
        kwargs={"conference": membership.conference.slug, "token": membership.invitation_token},
    )
    return settings.SITE_URL + path


def invitation_context(membership: CommitteeMembership) -> dict[str, str]:
    side = membership.get_side_display() if membership.side else ""
    load = str(membership.max_load) if membership.max_load is not None else "no fixed limit"
    details = ""
    if membership.role in enums.REVIEWING_ROLES:
        details = f"You are invited for the {side} side, with a maximum load of {load} papers."
    inviter = membership.invited_by.name if membership.invited_by else ""
    return {
        "name": membership.user.name or membership.user.email,
        "email": membership.user.email,
        "role": membership.get_role_display(),
        "side": side or "—",
        "max_load": load,
        "details": details,
        # The default wording reads "On behalf of the program chairs, {inviter} invites you":
        # without a named inviter (a staff account without a name creating the conference, the
        # command) the fallback must be one body, not "the program chairs" a second time.
        "inviter": inviter or f"the {membership.conference} organising committee",
        "invitation_url": invitation_url(membership),
        "accept_url": invitation_url(membership, "accept"),
        "decline_url": invitation_url(membership, "decline"),
    }


def _queue(membership: CommitteeMembership, key: str) -> None:
    queue_email(
        to=[membership.user.email],
        key=key,
        context=invitation_context(membership),
        conference=membership.conference,
        reply_to=[c for c in [membership.conference.contact_email] if c],
    )


def _changed(conference: Conference) -> None:
    # Listeners (submissions: conflict recomputation) act after commit.
    committee_changed.send(sender=CommitteeMembership, conference=conference)


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_conference(conference: Conference) -> None:
    # Serialises invitations per conference so two chairs importing at once cannot both create
    # the same person or membership.
    Conference.objects.select_for_update(of=("self",)).filter(pk=conference.pk).first()


def _create_user(invitee: Invitee, conference: Conference, actor):
    User = get_user_model()
    user = User(email=invitee.email, name=invitee.name, affiliation=invitee.affiliation)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=invitee.email, primary=True, verified=False)
    audit.record(
        "user.created_for_committee",
        actor=actor,
        target=user,
        conference=conference,
        changes={"email": [None, user.email], "name": [None, user.name]},
    )
    return user


def _create_invitation(
    conference: Conference, invitee: Invitee, user, actor, now: datetime, *, min_load: int = 0
) -> CommitteeMembership:
    membership = CommitteeMembership(
        conference=conference,
        user=user,
        role=invitee.role,
        side=invitee.side,
        min_load=min_load,
        max_load=invitee.max_load,
        status=InvitationStatus.INVITED,
        invited_at=now,
        invited_by=_actor(actor),
        invitation_token=new_token(),
    )
    try:
        membership.full_clean(validate_constraints=False, validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    membership.save()
    audit.record(
        "membership.invited",
        actor=actor,
        target=membership,
        changes={
            **audit.created(membership, (*INVITATION_FIELDS, *(("min_load",) if min_load else ()))),
            "email": [None, user.email],
        },
    )
    _queue(membership, emails.INVITATION)
    return membership


def invite_member(*, conference: Conference, invitee: Invitee, actor) -> CommitteeMembership:
    """Invite one person: find their account by any of their addresses or create one without a
    password (which needs ``invitee.name``; an existing account keeps its own), create the
    membership as *invited* with a fresh token, and queue the email. Refuses (ValidationError
    under ``email``) if the person already holds this role here."""
    with transaction.atomic():
        _lock_conference(conference)
        user = users_by_email([invitee.email]).get(invitee.email)
        if user is not None:
            existing = CommitteeMembership.objects.filter(
                conference=conference, user=user, role=invitee.role
            ).first()
            if existing is not None:
                raise ValidationError(
                    {"email": [f"{invitee.email} {describe_existing(existing)}."]}
                )
        elif not invitee.name:
            raise ValidationError({"name": [NAME_NEEDED.format(email=invitee.email)]})
        else:
            user = _create_user(invitee, conference, actor)
        membership = _create_invitation(conference, invitee, user, actor, timezone.now())
        _changed(conference)
    return membership


def import_invitations(*, conference: Conference, text: str, actor) -> list[CommitteeMembership]:
    """Invite everyone in a CSV text, all or nothing: the text is checked again here, inside the
    transaction, and any problem raises a ValidationError listing every bad row (nothing is
    written, no email queued)."""
    with transaction.atomic():
        _lock_conference(conference)
        report = parse(text, conference=conference)
        if not report.ok:
            raise ValidationError(report.errors)
        invitees = report.invitees
        users = users_by_email(i.email for i in invitees)
        now = timezone.now()
        created = []
        for invitee in invitees:
            user = users.get(invitee.email)
            if user is None:
                user = users[invitee.email] = _create_user(invitee, conference, actor)
            created.append(_create_invitation(conference, invitee, user, actor, now))
        audit.record(
            "committee.imported",
            actor=actor,
            target=conference,
            changes={"invited": [None, [i.email for i in invitees]]},
        )
        _changed(conference)
    return created


@dataclass(frozen=True)
class Returning:
    """A member of a previous conference to invite here, with the role, side and loads the chair
    chose (pre-filled from their membership there)."""

    user: Any
    role: str
    side: str = ""
    min_load: int = 0
    max_load: int | None = None


def invite_returning(
    *, conference: Conference, source: Conference, people: list[Returning], actor
) -> list[CommitteeMembership]:
    """Invite members of ``source`` to ``conference``, all or nothing, through the same
    invitations (and emails) as one by one. Refuses (a ValidationError naming everyone in the
    way, nothing written) anyone who already has a membership here in any role: checked again
    inside the transaction, since the chair chose from a page that may be stale."""
    with transaction.atomic():
        _lock_conference(conference)
        existing = {
            m.user_id: m
            for m in conference.memberships.filter(
                user_id__in=[p.user.pk for p in people]
            ).select_related("user")
        }
        errors = [
            f"{m.user.email} {describe_existing(m)}."
            for m in (existing[p.user.pk] for p in people if p.user.pk in existing)
        ]
        if len({p.user.pk for p in people}) < len(people):
            errors.append("A person can be invited only once at a time.")
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        created = []
        for person in people:
            invitee = Invitee(
                name=person.user.name,
                email=person.user.email,
                side=person.side,
                max_load=person.max_load,
                role=person.role,
            )
            created.append(
                _create_invitation(
                    conference, invitee, person.user, actor, now, min_load=person.min_load
                )
            )
        audit.record(
            "committee.invited_from_conference",
            actor=actor,
            target=conference,
            changes={"invited": [None, [p.user.email for p in people]]},
            note=f"from {source.name} ({source.slug})",
        )
        _changed(conference)
    return created


def _locked(membership: CommitteeMembership) -> CommitteeMembership:
    return (
        CommitteeMembership.objects.select_for_update(of=("self",))
        .select_related("user", "conference", "invited_by")
        .get(pk=membership.pk)
    )


def resend_invitation(*, membership: CommitteeMembership, actor) -> CommitteeMembership:
    """Send the invitation email again (same links). A declined invitation is turned back into
    a pending one: the chair is inviting the person again. Accepted members are refused."""
    with transaction.atomic():
        locked = _locked(membership)
        if locked.status == InvitationStatus.ACCEPTED:
            raise ValidationError(f"{locked.user} has already accepted.")
        before = audit.snapshot(
            locked, ("status", "invited_at", "reminded_at", "decline_reason", "responded_at")
        )
        now = timezone.now()
        changed = ["reminded_at"]
        locked.reminded_at = now
        if not locked.invitation_token:
            locked.invitation_token = new_token()
            changed.append("invitation_token")
        if locked.status == InvitationStatus.DECLINED or locked.invited_at is None:
            locked.status = InvitationStatus.INVITED
            locked.invited_at = now
            locked.responded_at = None
            locked.decline_reason = ""
            changed += ["status", "invited_at", "responded_at", "decline_reason"]
        if locked.invited_by is None and _actor(actor):
            locked.invited_by = actor
            changed.append("invited_by")
        locked.save(update_fields=[*changed, "updated_at"])
        audit.record(
            "membership.invitation_sent",
            actor=actor,
            target=locked,
            changes=audit.diff(before, locked),
        )
        _queue(locked, emails.INVITATION)
        if "status" in changed:
            _changed(locked.conference)
    return locked


def pending_reminders(conference: Conference, now: datetime, interval: timedelta):
    """Invitations still unanswered, at least ``interval`` old and not reminded within it."""
    cutoff = now - interval
    return (
        conference.memberships.filter(status=InvitationStatus.INVITED, invited_at__lte=cutoff)
        .exclude(invitation_token="")
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff))
    )


def remind_pending(
    *,
    conference: Conference,
    actor=None,
    now: datetime | None = None,
    interval: timedelta = REMINDER_INTERVAL,
) -> int:
    """Queue a reminder to every pending invitee due one (see :func:`pending_reminders`) and
    stamp ``reminded_at``; returns how many. Safe to run from several places at once: the rows
    are locked and re-filtered inside the transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            pending_reminders(conference, now, interval)
            .select_for_update(of=("self",))
            .select_related("user", "conference", "invited_by")
        )
        for membership in due:
            before = audit.snapshot(membership, ("reminded_at",))
            membership.reminded_at = now
            membership.save(update_fields=["reminded_at", "updated_at"])
            audit.record(
                "membership.reminded",
                actor=actor,
                target=membership,
                changes=audit.diff(before, membership),
            )
            _queue(membership, emails.INVITATION_REMINDER)
    return len(due)


# --- Answers ----------------------------------------------------------------------------------


def answered_error(membership: CommitteeMembership) -> ValidationError | None:
    when = date_format(
        timezone.localtime(membership.responded_at or membership.updated_at), "j F Y"
    )
    role = membership.get_role_display()
    if membership.status == InvitationStatus.ACCEPTED:
        return ValidationError(
            f"You already accepted this invitation on {when}; you are {role} at "
            f"{membership.conference}.",
            code="accepted",
        )
    if membership.status == InvitationStatus.DECLINED:
        return ValidationError(
            f"You declined this invitation on {when}. If you have changed your mind, please "
            "ask the chairs to invite you again.",
            code="declined",
        )
    return None


def _refuse_if_archived(locked: CommitteeMembership) -> None:
    """An archived conference is read-only: its invitations can no longer be answered (an
    accepted one would make the invitee a member of it)."""
    if locked.conference.archived_at is not None:
        raise ValidationError(archive.MESSAGE, code="archived")


def _accept(locked: CommitteeMembership, user, actor) -> None:
    before = audit.snapshot(locked, ("status", "user", "responded_at"))
    changed = ["status", "responded_at"]
    if user.pk != locked.user_id:
        # The person accepted with another of their accounts that has the invited address
        # verified: the membership moves to the account they actually use.
        if CommitteeMembership.objects.filter(
            conference=locked.conference_id, user=user, role=locked.role
        ).exists():
            raise ValidationError(
                f"Your account already has the role {locked.get_role_display()} here.",
                code="duplicate",
            )
        locked.user = user
        changed.append("user")
    locked.status = InvitationStatus.ACCEPTED
    locked.responded_at = timezone.now()
    locked.save(update_fields=[*changed, "updated_at"])
    audit.record(
        "membership.accepted", actor=actor, target=locked, changes=audit.diff(before, locked)
    )
    _changed(locked.conference)


def accept_invitation(*, membership: CommitteeMembership, user) -> CommitteeMembership:
    """Accept as ``user``, who must be the invited account or own the invited address
    (verified). Refuses with a ValidationError whose ``code`` says why: ``wrong_user``,
    ``accepted``, ``declined`` or ``duplicate``. ``user`` may be the request's viewer, which
    then forgets its roles here."""
    viewer = as_viewer(user)
    user = viewer.user
    with transaction.atomic():
        locked = _locked(membership)
        _refuse_if_archived(locked)
        if not owns_invitation(user, locked):
            raise ValidationError(
                "This invitation was sent to another address than the one you are logged in "
                "with. Log out and log in with the invited address to accept it.",
                code="wrong_user",
            )
        error = answered_error(locked)
        if error is not None:
            raise error
        _accept(locked, user, actor=user)
    viewer.forget(load_roles)
    return locked


def claim_and_accept(*, membership: CommitteeMembership, password: str) -> CommitteeMembership:
    """Give the account created for this invitation its first password, mark the invited
    address verified (the token proves the person reads that mailbox) and accept. Only for an
    account nobody has used yet; anyone else logs in first."""
    with transaction.atomic():
        locked = _locked(membership)
        _refuse_if_archived(locked)
        error = answered_error(locked)
        if error is not None:
            raise error
        user = locked.user
        if not is_unclaimed(user):
            raise ValidationError(
                "This account already has a password. Log in to accept.", code="claimed"
            )
        user.set_password(password)
        user.save(update_fields=["password"])
        address, _created = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        if not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
        audit.record(
            "user.claimed_by_invitation",
            actor=user,
            target=user,
            conference=locked.conference,
            changes={"password": ["unusable", "set"], "email_verified": [False, True]},
        )
        _accept(locked, user, actor=user)
    return locked


def decline_invitation(
    *, membership: CommitteeMembership, reason: str = "", actor=None
) -> CommitteeMembership:
    """Decline with an optional reason the chairs see. Needs no account: whoever holds the
    token speaks for the invitee. Refuses a second answer."""
    with transaction.atomic():
        locked = _locked(membership)
        _refuse_if_archived(locked)
        error = answered_error(locked)
        if error is not None:
            raise error
        before = audit.snapshot(locked, ("status", "responded_at", "decline_reason"))
        locked.status = InvitationStatus.DECLINED
        locked.responded_at = timezone.now()
        locked.decline_reason = reason.strip()[:2000]
        locked.save(update_fields=["status", "responded_at", "decline_reason", "updated_at"])
        audit.record(
            "membership.declined",
            actor=actor,
            target=locked,
            changes=audit.diff(before, locked),
            note="" if _actor(actor) else "via the invitation link",
        )
        _changed(locked.conference)
    return locked


def revoke_invitation(*, membership: CommitteeMembership, actor) -> None:
    """Withdraw an invitation that is not accepted (pending or declined): the membership is
    deleted, so its token stops working; the account stays. An accepted member is removed
    from the committee instead (services.remove_member), not revoked."""
    with transaction.atomic():
        locked = _locked(membership)
        if locked.status == InvitationStatus.ACCEPTED:
            raise ValidationError(
                f"{locked.user} has already accepted; remove them from the committee instead.",
                code="accepted",
            )
        audit.record(
            "membership.invitation_revoked",
            actor=actor,
            target=locked,
            changes={
                **audit.deleted(locked, INVITATION_FIELDS),
                "email": [locked.user.email, None],
            },
        )
        locked.delete()
        _changed(locked.conference)
