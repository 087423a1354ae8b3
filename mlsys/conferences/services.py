"""Every write to a conference's configuration: settings, tracks, topics, deadlines, phase
switches and committee memberships.

Each function runs in one transaction, validates before it writes (raising
:class:`django.core.exceptions.ValidationError` with field keys, so pages and the API show the
same field-level messages), saves with ``update_fields`` and writes one audit event per changed
object with the before/after of the changed fields. The pages and the API both call these.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, prefetch_related_objects
from django.utils import timezone

from mlsys.conferences import enums
from mlsys.conferences.enums import DeadlineKind as K
from mlsys.conferences.models import (
    CommitteeMembership,
    Conference,
    Deadline,
    PhaseSetting,
    Topic,
    Track,
)
from mlsys.conferences.signals import committee_changed, track_anonymity_changed
from mlsys.core import audit

CONFERENCE_FIELDS = (
    "name",
    "short_name",
    "description",
    "website",
    "contact_email",
    "timezone",
    "submission_grace_minutes",
    "allow_late_registration",
    "is_public",
)
#: Every rule of a track chairs set, in the groups the track page shows them. The one list of
#: track fields: the form, the API serializer and the services' copy and audit read it.
TRACK_FIELD_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Basics", ("name", "slug", "description", "order")),
    ("Anonymity", ("anonymity",)),
    (
        "Format spec",
        (
            "page_limit",
            "references_count",
            "appendix_counts",
            "paper_size",
            "min_font_size",
            "columns",
            "max_text_width_in",
            "max_text_height_in",
            "format_errors_block",
            "max_paper_mb",
            "max_supplement_mb",
        ),
    ),
    ("Abstract and topics", ("abstract_word_limit", "min_topics", "max_topics")),
    ("Reviewing", ("reviewers_per_paper", "min_ml_reviewers", "min_systems_reviewers")),
)
TRACK_FIELDS = tuple(name for _, names in TRACK_FIELD_GROUPS for name in names)
TOPIC_FIELDS = ("name", "area", "order")
#: ``Topic.name``'s length limit, for the bulk form's own message.
TOPIC_NAME_MAX: int = Topic._meta.get_field("name").max_length or 0
MEMBERSHIP_FIELDS = ("role", "side", "min_load", "max_load", "status")

#: Deadlines that must come in this order (each a chain; missing deadlines are skipped).
#: Pairs listed in STRICT must be strictly later, the rest may coincide.
SCHEDULE_CHAINS: tuple[tuple[str, ...], ...] = (
    (K.REGISTRATION, K.SUBMISSION, K.BIDDING, K.REVIEW, K.DECISION, K.CAMERA_READY),
    (K.REVIEW, K.RESPONSE_OPEN, K.RESPONSE_CLOSE, K.DECISION),
    (
        K.DECISION,
        K.AE_REGISTRATION,
        K.AE_SUBMISSION,
        K.AE_BIDDING,
        K.AE_KICK_START,
        K.AE_KICK_END,
        K.AE_EVALUATION,
        K.AE_DECISION,
    ),
)
STRICT: frozenset[tuple[str, str]] = frozenset(
    {(K.RESPONSE_OPEN, K.RESPONSE_CLOSE), (K.AE_KICK_START, K.AE_KICK_END)}
)


def _apply(obj, data: Mapping[str, Any], fields: Iterable[str]) -> list[str]:
    changed = []
    for name in fields:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    return changed


def _full_clean(obj, extra_errors: dict[str, list[str]] | None = None) -> None:
    """Run the model's field validation and ``clean()``; raise with field keys."""
    errors: dict[str, list] = {}
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = dict(exc.error_dict)
    for field, messages in (extra_errors or {}).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _save_changes(
    locked,
    data: Mapping[str, Any],
    fields: Iterable[str],
    *,
    action: str,
    actor,
    unique_errors: Callable[[Any], dict[str, list[str]]] | None = None,
) -> None:
    """Apply ``data`` to a locked row and validate it (``unique_errors(row)`` adds the checks
    ``full_clean`` skips); save and audit the changed fields, if any. Raises ValidationError."""
    before = audit.snapshot(locked, fields)
    changed = _apply(locked, data, fields)
    _full_clean(locked, unique_errors(locked) if unique_errors else None)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        audit.record(action, actor=actor, target=locked, changes=audit.diff(before, locked))


# --- Conference -------------------------------------------------------------------------------


def update_conference(*, conference: Conference, data: Mapping[str, Any], actor) -> Conference:
    """Change the conference's own settings; audit the changed fields."""
    with transaction.atomic():
        locked = Conference.objects.select_for_update(of=("self",)).get(pk=conference.pk)
        _save_changes(locked, data, CONFERENCE_FIELDS, action="conference.updated", actor=actor)
    return locked


# --- Tracks -----------------------------------------------------------------------------------


def _track_unique_errors(track: Track) -> dict[str, list[str]]:
    others = Track.objects.filter(conference_id=track.conference_id).exclude(pk=track.pk)
    errors: dict[str, list[str]] = {}
    if others.filter(name__iexact=track.name).exists():
        errors["name"] = ["This conference already has a track with this name."]
    if others.filter(slug=track.slug).exists():
        errors["slug"] = ["This conference already has a track with this short name."]
    return errors


def create_track(*, conference: Conference, data: Mapping[str, Any], actor) -> Track:
    """Add a track. Invariants: name and slug unique per conference, rules consistent."""
    with transaction.atomic():
        track = Track(conference=conference)
        _apply(track, data, TRACK_FIELDS)
        _full_clean(track, _track_unique_errors(track))
        track.save()
        audit.record(
            "track.created", actor=actor, target=track, changes=audit.created(track, TRACK_FIELDS)
        )
    return track


def update_track(*, track: Track, data: Mapping[str, Any], actor) -> Track:
    """Change a track's rules; audit the changed fields. A changed anonymity rule sends
    ``track_anonymity_changed`` (submissions re-checks the track's papers)."""
    with transaction.atomic():
        locked = (
            Track.objects.select_for_update(of=("self",))
            .select_related("conference")
            .get(pk=track.pk)
        )
        old_anonymity = locked.anonymity
        _save_changes(
            locked,
            data,
            TRACK_FIELDS,
            action="track.updated",
            actor=actor,
            unique_errors=_track_unique_errors,
        )
        if locked.anonymity != old_anonymity:
            track_anonymity_changed.send(
                sender=Track, track=locked, old=old_anonymity, new=locked.anonymity
            )
    return locked


def delete_track(*, track: Track, actor) -> None:
    """Delete a track that has no submissions; refuse otherwise (submissions keep their track)."""
    with transaction.atomic():
        locked = (
            Track.objects.select_for_update(of=("self",))
            .select_related("conference")
            .get(pk=track.pk)
        )
        count = locked.submissions.count()
        if count:
            raise ValidationError(
                f"“{locked.name}” has {count} submission{'s' if count != 1 else ''}; "
                "a track with submissions cannot be deleted."
            )
        audit.record(
            "track.deleted", actor=actor, target=locked, changes=audit.deleted(locked, TRACK_FIELDS)
        )
        locked.delete()
        committee_changed.send(sender=CommitteeMembership, conference=locked.conference)


# --- Topics -----------------------------------------------------------------------------------


def _topic_unique_errors(topic: Topic) -> dict[str, list[str]]:
    taken = (
        Topic.objects.filter(conference_id=topic.conference_id, name__iexact=topic.name)
        .exclude(pk=topic.pk)
        .exists()
    )
    return {"name": ["This conference already has a topic with this name."]} if taken else {}


def _next_topic_order(conference: Conference, area: str) -> int:
    top = conference.topics.filter(area=area).aggregate(top=Max("order"))["top"]
    return 0 if top is None else top + 1


def create_topic(*, conference: Conference, data: Mapping[str, Any], actor) -> Topic:
    """Add one topic; names are unique per conference (case-insensitively)."""
    with transaction.atomic():
        topic = Topic(conference=conference)
        _apply(topic, data, TOPIC_FIELDS)
        if "order" not in data and topic.area:
            topic.order = _next_topic_order(conference, topic.area)
        _full_clean(topic, _topic_unique_errors(topic))
        topic.save()
        audit.record(
            "topic.created", actor=actor, target=topic, changes=audit.created(topic, TOPIC_FIELDS)
        )
    return topic


def parse_topic_lines(text: str) -> list[str]:
    """Non-empty stripped lines, in order."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def bulk_create_topics(
    *, conference: Conference, names: list[str], area: str, actor, field: str = "names"
) -> list[Topic]:
    """Add several topics in one area, all or none: any duplicate (with an existing topic or
    within ``names``) refuses the whole batch with a message under ``field``."""
    with transaction.atomic():
        existing = {n.lower() for n in conference.topics.values_list("name", flat=True)}
        seen: set[str] = set()
        problems = []
        for name in names:
            key = name.lower()
            if key in existing:
                problems.append(f"“{name}” already exists.")
            elif key in seen:
                problems.append(f"“{name}” is listed twice.")
            elif len(name) > TOPIC_NAME_MAX:
                problems.append(f"“{name[:40]}…” is longer than {TOPIC_NAME_MAX} characters.")
            seen.add(key)
        if not names:
            problems.append("Enter at least one topic, one per line.")
        if area not in enums.Area.values:
            raise ValidationError({"area": ["Choose ML or Systems."]})
        if problems:
            raise ValidationError({field: problems})
        order = _next_topic_order(conference, area)
        topics = [
            Topic(conference=conference, name=name, area=area, order=order + i)
            for i, name in enumerate(names)
        ]
        Topic.objects.bulk_create(topics)
        audit.record(
            "topic.bulk_created",
            actor=actor,
            target=conference,
            changes={"topics": [None, names], "area": [None, area]},
        )
    return topics


def update_topic(*, topic: Topic, data: Mapping[str, Any], actor) -> Topic:
    with transaction.atomic():
        locked = Topic.objects.select_for_update(of=("self",)).get(pk=topic.pk)
        _save_changes(
            locked,
            data,
            TOPIC_FIELDS,
            action="topic.updated",
            actor=actor,
            unique_errors=_topic_unique_errors,
        )
    return locked


def delete_topic(*, topic: Topic, actor) -> None:
    """Delete a topic no submission uses; refuse otherwise (it would silently vanish from them)."""
    with transaction.atomic():
        locked = (
            Topic.objects.select_for_update(of=("self",))
            .select_related("conference")
            .get(pk=topic.pk)
        )
        count = locked.submissions.count()
        if count:
            raise ValidationError(
                f"“{locked.name}” is chosen by {count} submission{'s' if count != 1 else ''}; "
                "a topic in use cannot be deleted."
            )
        audit.record(
            "topic.deleted", actor=actor, target=locked, changes=audit.deleted(locked, TOPIC_FIELDS)
        )
        locked.delete()


# --- Deadlines --------------------------------------------------------------------------------


def schedule_errors(schedule: Mapping[str, datetime | None]) -> dict[str, list[str]]:
    """Field-level messages for deadlines out of order (keyed by the later deadline's kind)."""
    labels = dict(K.choices)
    errors: dict[str, list[str]] = {}
    for chain in SCHEDULE_CHAINS:
        previous: str | None = None
        earlier: datetime | None = None
        for kind in chain:
            at = schedule.get(kind)
            if at is None:
                continue
            if previous is not None and earlier is not None:
                strict = (previous, kind) in STRICT
                if at < earlier or (strict and at == earlier):
                    word = "after" if strict else "on or after"
                    message = f"Must be {word} “{labels[previous]}”."
                    if message not in errors.get(kind, []):
                        errors.setdefault(kind, []).append(message)
            previous, earlier = kind, at
    return errors


def set_deadlines(
    *, conference: Conference, schedule: Mapping[str, datetime | None], actor
) -> list[str]:
    """Replace the conference's deadlines with ``schedule`` (kind → aware datetime or None for
    "no such deadline"). Kinds absent from ``schedule`` are left alone. Returns the changed kinds.
    Refuses the whole schedule if it is out of order."""
    unknown = set(schedule) - set(K.values)
    if unknown:
        raise ValidationError({kind: ["Unknown deadline."] for kind in sorted(unknown)})
    with transaction.atomic():
        Conference.objects.select_for_update(of=("self",)).filter(pk=conference.pk).first()
        current = {d.kind: d for d in Deadline.objects.filter(conference=conference)}
        merged: dict[str, datetime | None] = {kind: d.at for kind, d in current.items()}
        merged.update(schedule)
        errors = schedule_errors(merged)
        if errors:
            raise ValidationError(errors)
        changes: dict[str, list] = {}
        for kind, at in schedule.items():
            existing = current.get(kind)
            if at is None:
                if existing is not None:
                    changes[kind] = [_utc(existing.at), None]
                    existing.delete()
            elif existing is None:
                Deadline.objects.create(conference=conference, kind=kind, at=at)
                changes[kind] = [None, _utc(at)]
            elif existing.at != at:
                changes[kind] = [_utc(existing.at), _utc(at)]
                existing.at = at
                existing.save(update_fields=["at", "updated_at"])
        if changes:
            audit.record("deadlines.updated", actor=actor, target=conference, changes=changes)
    _forget_schedule(conference)
    return list(changes)


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def set_phase_modes(*, conference: Conference, modes: Mapping[str, str], actor) -> list[str]:
    """Set the chair's switch (auto/open/closed) for each phase in ``modes``; returns the
    phases whose mode changed. ``auto`` rows are kept (not deleted) so the history is plain."""
    for phase, mode in modes.items():
        if phase not in enums.Phase.values or mode not in enums.PhaseMode.values:
            raise ValidationError({phase: ["Choose follow the deadlines, open or closed."]})
    with transaction.atomic():
        Conference.objects.select_for_update(of=("self",)).filter(pk=conference.pk).first()
        current = {s.phase: s for s in PhaseSetting.objects.filter(conference=conference)}
        changes: dict[str, list] = {}
        for phase, mode in modes.items():
            setting = current.get(phase)
            old = setting.mode if setting else enums.PhaseMode.AUTO
            if old == mode:
                continue
            if setting is None:
                PhaseSetting.objects.create(conference=conference, phase=phase, mode=mode)
            else:
                setting.mode = mode
                setting.save(update_fields=["mode", "updated_at"])
            changes[phase] = [str(old), mode]
        if changes:
            audit.record("phases.updated", actor=actor, target=conference, changes=changes)
    _forget_schedule(conference)
    return list(changes)


def _forget_schedule(conference: Conference) -> None:
    # The caller's instance holds prefetched deadlines and switches: reload them so it sees
    # the change (Django's refresh_from_db drops prefetched relations).
    conference.refresh_from_db()
    prefetch_related_objects([conference], "deadlines", "phase_settings")


# --- Committee --------------------------------------------------------------------------------


def _membership_errors(membership: CommitteeMembership) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    taken = (
        CommitteeMembership.objects.filter(
            conference_id=membership.conference_id,
            user_id=membership.user_id,
            role=membership.role,
        )
        .exclude(pk=membership.pk)
        .exists()
    )
    if taken:
        errors["role"] = ["This person already has this role at this conference."]
    if membership.max_load is not None and membership.min_load > membership.max_load:
        errors["min_load"] = ["Must not exceed the maximum load."]
    return errors


LAST_CHAIR_MESSAGE = (
    "{name} is the only active program chair of {conference}. Make someone else program chair "
    "first: a conference always keeps at least one."
)


def _is_active_chair(membership: CommitteeMembership) -> bool:
    return (
        membership.role == enums.Role.PROGRAM_CHAIR
        and membership.status == enums.InvitationStatus.ACCEPTED
    )


def _last_chair_error(membership: CommitteeMembership) -> str | None:
    """The refusal when ``membership`` (as stored, before the change) is the conference's only
    active program chair. Locks the conference's chair rows so two chairs demoting each other
    at the same time cannot both pass."""
    if not _is_active_chair(membership):
        return None
    others = (
        CommitteeMembership.objects.select_for_update(of=("self",))
        .filter(
            conference_id=membership.conference_id,
            role=enums.Role.PROGRAM_CHAIR,
            status=enums.InvitationStatus.ACCEPTED,
            user__is_active=True,
        )
        .exclude(pk=membership.pk)
    )
    if len(others):
        return None
    return LAST_CHAIR_MESSAGE.format(name=membership.user, conference=membership.conference.name)


def _stamp_status(membership: CommitteeMembership, old_status: str | None) -> list[str]:
    if membership.status == old_status:
        return []
    now = timezone.now()
    if membership.status == enums.InvitationStatus.INVITED:
        membership.invited_at = membership.invited_at or now
        return ["invited_at"]
    membership.responded_at = now
    return ["responded_at"]


def add_member(
    *, conference: Conference, email: str, name: str = "", data: Mapping[str, Any], actor
) -> CommitteeMembership:
    """Add a person to the committee. An unknown email creates an account without a usable
    password (the person sets one through password reset or an invitation). Sends no email."""
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            if not name.strip():
                raise ValidationError({"name": ["Enter the name of this new person."]})
            user = User(email=email, name=name.strip())
            user.set_unusable_password()
            user.full_clean(exclude=["password"])
            user.save()
            audit.record(
                "user.created_for_committee",
                actor=actor,
                target=user,
                conference=conference,
                changes={"email": [None, email], "name": [None, user.name]},
            )
        membership = CommitteeMembership(conference=conference, user=user)
        _apply(membership, data, MEMBERSHIP_FIELDS)
        _full_clean(membership, _membership_errors(membership))
        _stamp_status(membership, None)
        membership.save()
        committee_changed.send(sender=CommitteeMembership, conference=conference)
        audit.record(
            "membership.created",
            actor=actor,
            target=membership,
            changes=audit.created(membership, MEMBERSHIP_FIELDS),
        )
    return membership


def update_membership(
    *, membership: CommitteeMembership, data: Mapping[str, Any], actor
) -> CommitteeMembership:
    with transaction.atomic():
        locked = (
            CommitteeMembership.objects.select_for_update(of=("self",))
            .select_related("user", "conference")
            .get(pk=membership.pk)
        )
        before = audit.snapshot(locked, MEMBERSHIP_FIELDS)
        old_status = locked.status
        was_active_chair = _is_active_chair(locked)
        last_chair_error = _last_chair_error(locked)
        changed = _apply(locked, data, MEMBERSHIP_FIELDS)
        errors = _membership_errors(locked)
        if was_active_chair and not _is_active_chair(locked) and last_chair_error:
            field = "role" if locked.role != enums.Role.PROGRAM_CHAIR else "status"
            errors.setdefault(field, []).append(last_chair_error)
        _full_clean(locked, errors)
        if changed:
            changed += _stamp_status(locked, old_status)
            locked.save(update_fields=[*changed, "updated_at"])
            committee_changed.send(sender=CommitteeMembership, conference=locked.conference)
            audit.record(
                "membership.updated",
                actor=actor,
                target=locked,
                changes=audit.diff(before, locked),
            )
    return locked


def remove_member(*, membership: CommitteeMembership, actor) -> None:
    """Remove one role from a person (the account stays). A chair cannot remove their own
    program-chair role, and nobody can remove the conference's last active program chair."""
    with transaction.atomic():
        locked = (
            CommitteeMembership.objects.select_for_update(of=("self",))
            .select_related("user", "conference")
            .get(pk=membership.pk)
        )
        if locked.role == enums.Role.PROGRAM_CHAIR and locked.user_id == getattr(actor, "pk", None):
            raise ValidationError("You cannot remove your own program-chair role.")
        last_chair_error = _last_chair_error(locked)
        if last_chair_error:
            raise ValidationError(last_chair_error, code="last_chair")
        audit.record(
            "membership.deleted",
            actor=actor,
            target=locked,
            changes=audit.deleted(locked, MEMBERSHIP_FIELDS),
        )
        locked.delete()
