"""The conferences app's own ``setup_copy`` hooks: settings, tracks (with their format specs),
topics, deadlines (shifted), phase switches and the chairs' email wording.

Registered from ``ConferencesConfig.ready``; each copies with one bulk write per kind.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from mlsys.conferences import enums, services
from mlsys.conferences.models import Conference, Deadline, PhaseSetting, Topic, Track
from mlsys.conferences.setup_copy import TRACKS_ORDER, CopyContext, register
from mlsys.mail.models import EmailTemplate

#: The conference's own settings that carry over (the year-specific ones, such as the
#: description, website, contact address, short name and the decisions' release, do not).
SETTINGS = (
    "submission_grace_minutes",
    "allow_late_registration",
    "other_reviews_visibility",
    "reviewer_names_visible",
    "response_word_limit",
)
TRACKS = "tracks"
TOPICS = "topics"
DEADLINES = "deadlines"
PHASE_SWITCHES = "phase switches (forced open or closed)"
EMAIL_TEMPLATES = "email templates"
#: The most days a copy may shift deadlines by, either way.
MAX_SHIFT_DAYS = 3650


def shift(at: datetime, days: int, source_tz: ZoneInfo, target_tz: ZoneInfo) -> datetime:
    """``at`` moved by ``days`` keeping its wall-clock time: 23:59 in the source's zone becomes
    23:59 in the target's zone ``days`` later, across daylight-saving changes."""
    local = at.astimezone(source_tz).replace(tzinfo=None) + timedelta(days=days)
    return timezone.make_aware(local, target_tz)


@dataclass(frozen=True)
class ShiftedDeadline:
    kind: str
    label: str
    old: datetime
    new: datetime


def shifted_deadlines(source: Conference, days: int, target_tz: ZoneInfo) -> list[ShiftedDeadline]:
    """The source's deadlines in schedule order with their shifted dates (in ``target_tz``)."""
    by_kind = {d.kind: d for d in Deadline.objects.filter(conference=source)}
    rows = []
    for kind, label in enums.DeadlineKind.choices:
        deadline = by_kind.get(kind)
        if deadline is not None:
            new = shift(deadline.at, days, source.tz, target_tz).astimezone(target_tz)
            rows.append(ShiftedDeadline(kind, str(label), deadline.at.astimezone(source.tz), new))
    return rows


# --- Hooks ------------------------------------------------------------------------------------


def _copy_settings(context: CopyContext) -> dict[str, int]:
    target = context.target
    for name in SETTINGS:
        setattr(target, name, getattr(context.source, name))
    target.save(update_fields=[*SETTINGS, "updated_at"])
    return {}


def _preview_tracks(source: Conference) -> dict[str, int]:
    return {TRACKS: source.tracks.count()}


def _copy_tracks(context: CopyContext) -> dict[str, int]:
    sources = list(context.source.tracks.order_by("order", "name"))
    copies = Track.objects.bulk_create(
        Track(
            conference=context.target,
            **{name: getattr(track, name) for name in services.TRACK_FIELDS},
        )
        for track in sources
    )
    context.tracks.update({old.pk: new for old, new in zip(sources, copies, strict=True)})
    return {TRACKS: len(copies)}


def _preview_topics(source: Conference) -> dict[str, int]:
    return {TOPICS: source.topics.count()}


def _copy_topics(context: CopyContext) -> dict[str, int]:
    copies = Topic.objects.bulk_create(
        Topic(
            conference=context.target,
            **{name: getattr(topic, name) for name in services.TOPIC_FIELDS},
        )
        for topic in context.source.topics.all()
    )
    return {TOPICS: len(copies)}


def _preview_deadlines(source: Conference) -> dict[str, int]:
    return {DEADLINES: source.deadlines.count()}


def _copy_deadlines(context: CopyContext) -> dict[str, int]:
    source, target = context.source, context.target
    copies = Deadline.objects.bulk_create(
        Deadline(
            conference=target,
            kind=deadline.kind,
            at=shift(deadline.at, context.shift_days, source.tz, target.tz),
        )
        for deadline in Deadline.objects.filter(conference=source)
    )
    return {DEADLINES: len(copies)}


def _switches(source: Conference):
    return PhaseSetting.objects.filter(conference=source).exclude(mode=enums.PhaseMode.AUTO)


def _preview_phase_switches(source: Conference) -> dict[str, int]:
    return {PHASE_SWITCHES: _switches(source).count()}


def _copy_phase_switches(context: CopyContext) -> dict[str, int]:
    if not context.keep_phase_switches:
        return {PHASE_SWITCHES: 0}
    copies = PhaseSetting.objects.bulk_create(
        PhaseSetting(conference=context.target, phase=s.phase, mode=s.mode)
        for s in _switches(context.source)
    )
    return {PHASE_SWITCHES: len(copies)}


def _preview_email_templates(source: Conference) -> dict[str, int]:
    return {EMAIL_TEMPLATES: EmailTemplate.objects.filter(conference=source).count()}


def _copy_email_templates(context: CopyContext) -> dict[str, int]:
    copies = EmailTemplate.objects.bulk_create(
        EmailTemplate(conference=context.target, key=t.key, subject=t.subject, body=t.body)
        for t in EmailTemplate.objects.filter(conference=context.source)
    )
    return {EMAIL_TEMPLATES: len(copies)}


def register_hooks() -> None:
    register("conferences.settings", preview=lambda source: {}, copy=_copy_settings, order=0)
    register("conferences.tracks", preview=_preview_tracks, copy=_copy_tracks, order=TRACKS_ORDER)
    register("conferences.topics", preview=_preview_topics, copy=_copy_topics, order=11)
    register("conferences.deadlines", preview=_preview_deadlines, copy=_copy_deadlines, order=12)
    register(
        "conferences.phase_switches",
        preview=_preview_phase_switches,
        copy=_copy_phase_switches,
        order=13,
    )
    register(
        "conferences.email_templates",
        preview=_preview_email_templates,
        copy=_copy_email_templates,
        order=14,
    )
