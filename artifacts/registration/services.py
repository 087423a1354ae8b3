"""Every write of the authors' side: the invitation at release, registering and editing the
artifact (with its requested badges), the access credentials, the appendix PDF, submitting,
withdrawing and the AE chair's return to the authors, and asking for the smoke checks.

Each function checks its permission (``require``), works in one transaction, audits what it
changed (never the access credentials: "secret changed" only) and queues its emails through
the outbox. Status changes go through artifacts.status.move.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from artifacts import enums, secrets, status
from artifacts.enums import ArtifactStatus as S
from artifacts.models import (
    AESettings,
    Artifact,
    ArtifactInvitation,
    Badge,
    BadgeVerdict,
    RequestedBadge,
    SmokeCheck,
)
from artifacts.registration import validation
from artifacts.registration.rules import ae_running
from artifacts.rules import is_artifact_author
from decisions.enums import BuildStatus
from mlsys.celery import enqueue_on_commit
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.viewer import require
from mlsys.core import audit
from mlsys.core.errors import Conflict
from mlsys.mail.services import queue_email
from submissions.enums import Status
from submissions.models import Submission

#: Fields of the registration a form or the API may set (``access_secret`` is encrypted).
FIELDS = (
    "summary",
    "repository_url",
    "version",
    "doi",
    "licence",
    "packaging",
    "packaging_notes",
    "gpu_model",
    "gpu_count",
    "cpu_cores",
    "ram_gb",
    "disk_gb",
    "special_hardware",
    "experiments",
    "datasets",
    "access_instructions",
    "contact",
)
#: Audited with their values; the rest (long texts) are audited as "changed".
AUDITED_VALUES = (
    "repository_url",
    "version",
    "doi",
    "licence",
    "packaging",
    "gpu_model",
    "gpu_count",
    "cpu_cores",
    "ram_gb",
    "disk_gb",
)


# --- Invitation ----------------------------------------------------------------------------------


def registration_url(submission) -> str:
    path = reverse(
        "artifacts:register",
        kwargs={"conference": submission.conference.slug, "number": submission.number},
    )
    return settings.SITE_URL.rstrip("/") + path


def invite_authors(*, conference, submissions, actor=None) -> int:
    """Email the authors of each newly accepted paper among ``submissions`` an invitation to
    register its artifact, once per paper (``ArtifactInvitation``), if ``conference`` runs AE.
    Returns the number of papers invited now."""
    if not ae_running(conference):
        return 0
    ids = [s.pk for s in submissions]
    papers = (
        Submission.objects.filter(pk__in=ids, status=Status.ACCEPTED, conference=conference)
        .exclude(artifact_invitation__isnull=False)
        .prefetch_related("authors__user")
    )
    deadline = conference.deadline_map().get(DeadlineKind.AE_REGISTRATION)
    when = (
        f"by {deadline.at.astimezone(conference.tz):%A %d %B %Y, %H:%M} {conference.timezone_label}"
        if deadline
        else "when you are ready"
    )
    invited = 0
    for paper in papers:
        paper.conference = conference
        addresses = _author_addresses(paper)
        try:
            with transaction.atomic():
                invitation = ArtifactInvitation.objects.create(
                    submission=paper, conference=conference, sent_to=addresses
                )
                if addresses:
                    queue_email(
                        to=addresses,
                        key="artifacts.invitation",
                        conference=conference,
                        context={
                            "number": paper.number,
                            "title": paper.title,
                            "url": registration_url(paper),
                            "deadline": when,
                        },
                    )
                audit.record(
                    "artifacts.invited",
                    actor=actor,
                    target=invitation,
                    conference=conference,
                    changes={"recipients": [None, len(addresses)]},
                )
        except IntegrityError:  # another release run invited it meanwhile
            continue
        invited += 1
    return invited


def _author_addresses(paper) -> list[str]:
    seen: list[str] = []
    for author in paper.authors.all():
        address = ((author.user.email if author.user else "") or author.email).strip().lower()
        if address and address not in seen:
            seen.append(address)
    return seen


# --- Registration --------------------------------------------------------------------------------


def contacts_of(submission) -> dict[int, object]:
    """{user id: user} of the paper's authors with an account, in author order."""
    return {
        a.user.pk: a.user
        for a in submission.authors.select_related("user").order_by("order", "pk")
        if a.user is not None
    }


def prefill(submission) -> dict:
    """What a new registration starts with: the abstract as summary, the paper's contact
    author (with an account) as contact; repository, version and licence left empty."""
    authors = list(submission.authors.select_related("user").order_by("order", "pk"))
    contact = next((a.user for a in authors if a.is_contact and a.user), None) or next(
        (a.user for a in authors if a.user), None
    )
    return {
        "summary": submission.abstract or "",
        "contact": contact.pk if contact else None,
        "gpu_count": 0,
    }


def active_badges(conference) -> list[Badge]:
    return list(
        Badge.objects.filter(conference=conference, active=True).prefetch_related(
            "requires", "excludes"
        )
    )


def _chosen_badges(conference, badge_ids, *, allowed: list[Badge]) -> list[Badge]:
    by_pk = {b.pk: b for b in allowed}
    chosen = []
    for raw in badge_ids or []:
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            pk = -1
        if pk not in by_pk:
            raise ValidationError({"badges": "Choose among the badges this conference awards."})
        if by_pk[pk] not in chosen:
            chosen.append(by_pk[pk])
    return chosen


def create_artifact(*, submission, actor, data: dict, badges) -> Artifact:
    """Register the artifact of ``submission`` (an accepted paper of a conference running AE,
    before the registration deadline; ``actor`` one of its authors) with the cleaned ``data``
    and the requested ``badges`` (Badge ids: the conference's active badges, a valid
    combination). Refused with PermissionDenied or ValidationError({field: message})."""
    _viewer, user = require(
        actor,
        "artifacts.register_artifact",
        submission,
        "Only the authors of an accepted paper register its artifact, while registration is open.",
    )
    conference = submission.conference
    cleaned = validation.clean(data, contacts=contacts_of(submission))
    allowed = active_badges(conference)
    chosen = _chosen_badges(conference, badges, allowed=allowed)
    _check_badges(chosen)
    secret = cleaned.pop("access_secret", "")
    with transaction.atomic():
        if Artifact.objects.filter(submission=submission).exists():
            raise ValidationError("This paper's artifact is already registered.", code="exists")
        artifact = Artifact(conference=conference, submission=submission, **cleaned)
        artifact.access_secret = secrets.encrypt(secret)
        artifact.invited_at = (
            ArtifactInvitation.objects.filter(submission=submission)
            .values_list("created_at", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                artifact.save()
        except IntegrityError:
            raise ValidationError(
                "This paper's artifact is already registered.", code="exists"
            ) from None
        RequestedBadge.objects.bulk_create(
            [RequestedBadge(artifact=artifact, badge=badge) for badge in chosen]
        )
        audit.record(
            "artifacts.registered",
            actor=user,
            target=artifact,
            conference=conference,
            changes={
                **_audit_changes({}, cleaned),
                "badges": [[], [b.key for b in chosen]],
                **({"access_secret": [None, "set"]} if secret else {}),
            },
        )
    return artifact


def update_artifact(*, artifact, actor, data: dict, revision: int, badges=None) -> Artifact:
    """Save the changed registration of ``artifact`` (the keys present in ``data``; the
    requested badges too when ``badges`` is given) if nobody saved it since ``revision``.

    Raises Conflict (with the saved values) when the artifact moved on meanwhile: the caller
    shows what the person typed next to what is saved, nothing is lost. A badge request with
    an evaluator's verdict stays. An empty ``access_secret`` key keeps the stored credentials
    unless ``clear_access_secret`` is in ``data``."""
    _viewer, user = require(
        actor,
        "artifacts.edit_registration",
        artifact,
        "The registration of this artifact cannot be changed now.",
    )
    cleaned = validation.clean(data, contacts=contacts_of(artifact.submission))
    chosen = None
    if badges is not None:
        chosen = _chosen_badges(
            artifact.conference,
            badges,
            allowed=active_badges(artifact.conference) + _current_badges(artifact),
        )
    secret = cleaned.pop("access_secret", None)
    clear_secret = bool(data.get("clear_access_secret"))
    with transaction.atomic():
        current = Artifact.objects.select_for_update().get(pk=artifact.pk)
        if current.revision != revision:
            raise Conflict(
                "Someone saved this artifact's registration after you opened it. Your text is "
                "below, next to what is saved now; check it and save again.",
                current={"revision": current.revision, **snapshot(current)},
            )
        before = {name: getattr(current, name) for name in cleaned}
        for name, value in cleaned.items():
            setattr(current, name, value)
        changed = [name for name in cleaned if _differs(before[name], getattr(current, name))]
        secret_changed = False
        if secret:
            if secrets.decrypt(current.access_secret) != secret:
                current.access_secret = secrets.encrypt(secret)
                secret_changed = True
        elif clear_secret and current.access_secret:
            current.access_secret = ""
            secret_changed = True
        badge_changes = {}
        if chosen is not None and set(chosen) != set(_current_badges(current)):
            if not _viewer.has_perm("artifacts.change_badges", current):
                raise PermissionDenied(
                    "The requested badges cannot change once the artifact is submitted."
                )
            badge_changes = _set_badges(current, chosen)
        if not changed and not secret_changed and not badge_changes:
            return current
        # Whatever is required of the badges is checked at submission; combinations now.
        current.revision = F("revision") + 1
        current.save(
            update_fields=[
                *changed,
                *(["access_secret"] if secret_changed else []),
                "revision",
                "updated_at",
            ]
        )
        current.refresh_from_db(fields=["revision"])
        audit.record(
            "artifacts.registration_changed",
            actor=user,
            target=current,
            conference=artifact.conference,
            changes={
                **_audit_changes(before, {n: getattr(current, n) for n in changed}),
                **badge_changes,
                **({"access_secret": ["changed", "changed"]} if secret_changed else {}),
            },
            note="access credentials changed" if secret_changed else "",
        )
    for name in (*FIELDS, "access_secret", "revision", "updated_at"):
        if hasattr(current, name):
            setattr(artifact, name, getattr(current, name))
    return current


def _current_badges(artifact) -> list[Badge]:
    return [rb.badge for rb in artifact.requested_badges.select_related("badge")]


def _check_badges(chosen: list[Badge]) -> None:
    if not chosen:
        raise ValidationError({"badges": "Request at least one badge."})
    problems = validation.combination_errors(chosen)
    if problems:
        raise ValidationError({"badges": problems})


def _set_badges(artifact, chosen: list[Badge]) -> dict:
    """Make the artifact request exactly ``chosen``. A request with a verdict is kept."""
    chosen = list(
        Badge.objects.filter(pk__in=[b.pk for b in chosen]).prefetch_related("requires", "excludes")
    )
    _check_badges(chosen)
    existing = {rb.badge_id: rb for rb in artifact.requested_badges.select_related("badge")}
    wanted = {b.pk for b in chosen}
    dropped = [rb for pk, rb in existing.items() if pk not in wanted]
    judged = set(
        BadgeVerdict.objects.filter(
            evaluation__assignment__artifact=artifact, badge_id__in=[rb.badge_id for rb in dropped]
        ).values_list("badge_id", flat=True)
    )
    if judged:
        labels = ", ".join(rb.badge.label for rb in dropped if rb.badge_id in judged)
        raise ValidationError(
            {"badges": f"An evaluator already gave a verdict on {labels}; it stays requested."}
        )
    RequestedBadge.objects.filter(pk__in=[rb.pk for rb in dropped]).delete()
    RequestedBadge.objects.bulk_create(
        [RequestedBadge(artifact=artifact, badge=b) for b in chosen if b.pk not in existing]
    )
    return {
        "badges": [
            sorted(rb.badge.key for rb in existing.values()),
            sorted(b.key for b in chosen),
        ]
    }


def _differs(a, b) -> bool:
    return (a.pk if hasattr(a, "pk") else a) != (b.pk if hasattr(b, "pk") else b)


def _audit_changes(before: dict, after: dict) -> dict:
    changes = {}
    for name, value in after.items():
        old = before.get(name)
        if name in AUDITED_VALUES:
            changes[name] = [old, value]
        elif name == "contact":
            changes[name] = [getattr(old, "pk", old), getattr(value, "pk", value)]
        else:
            changes[name] = ["…" if old else None, "changed" if value else None]
    return changes


def snapshot(artifact) -> dict:
    """The saved registration as the API and the conflict message show it (no credentials)."""
    return {
        name: (artifact.contact_id if name == "contact" else getattr(artifact, name))
        for name in FIELDS
    }


# --- Access credentials --------------------------------------------------------------------------


def reveal_secret(*, artifact, actor) -> str | None:
    """The plain access credentials for ``actor`` (artifacts.view_access_secret), audited as
    "revealed" without the value. None when they cannot be decrypted (key rotated)."""
    _viewer, user = require(
        actor,
        "artifacts.view_access_secret",
        artifact,
        "Only the authors, the assigned evaluators and the AE chairs read the credentials.",
    )
    plain = secrets.decrypt(artifact.access_secret)
    audit.record(
        "artifacts.secret_revealed", actor=user, target=artifact, conference=artifact.conference
    )
    return plain


# --- Moves ---------------------------------------------------------------------------------------


def submission_problems(artifact) -> list[str]:
    """Why ``artifact`` cannot be submitted yet, in sentences (empty: ready)."""
    badges = list(
        Badge.objects.filter(requests__artifact=artifact).prefetch_related("requires", "excludes")
    )
    problems = []
    if not badges:
        problems.append("Request at least one badge.")
    problems += validation.combination_errors(badges)
    problems += validation.missing_for_badges(artifact, badges)
    if artifact.contact_id is None:
        problems.append("Choose the contact author who answers the evaluators.")
    return problems


def submit_artifact(*, artifact, actor) -> Artifact:
    """Submit the registered (or returned) artifact for evaluation, after a final validation;
    the smoke checks start after commit."""
    _viewer, user = require(
        actor,
        "artifacts.submit_artifact",
        artifact,
        "Only the authors submit their artifact, before the submission deadline.",
    )
    artifact.refresh_from_db()
    problems = submission_problems(artifact)
    if problems:
        raise ValidationError(problems, code="incomplete")
    with transaction.atomic():
        status.move(artifact, S.SUBMITTED, mover=enums.Mover.AUTHOR, actor=user)
        _queue_smoke_check(artifact)
    return artifact


def withdraw_artifact(*, artifact, actor) -> Artifact:
    """Withdraw the artifact from the evaluation (its authors, or an unconflicted AE chair).
    Its messages, evaluations and appendix are kept."""
    viewer, user = require(
        actor,
        "artifacts.withdraw_artifact",
        artifact,
        "This artifact cannot be withdrawn now.",
    )
    mover = enums.Mover.AUTHOR if is_artifact_author(user, artifact) else enums.Mover.CHAIR
    status.move(artifact, S.WITHDRAWN, mover=mover, actor=user)
    return artifact


def return_artifact(*, artifact, actor, note: str) -> Artifact:
    """The AE chair returns a submitted artifact to its authors with ``note`` (required; it
    goes in their email)."""
    _viewer, user = require(
        actor,
        "artifacts.return_artifact",
        artifact,
        "Only an AE chair without a conflict returns a submitted artifact.",
    )
    note = (note or "").replace("\r\n", "\n").strip()
    if not note:
        raise ValidationError({"note": "Tell the authors what to change."})
    if len(note) > validation.MAX_SHORT_TEXT:
        raise ValidationError(
            {"note": f"Keep the note under {validation.MAX_SHORT_TEXT:,} characters."}
        )
    status.move(artifact, S.RETURNED, mover=enums.Mover.CHAIR, actor=user, note=note)
    return artifact


# --- Smoke checks --------------------------------------------------------------------------------


def request_smoke_check(*, artifact, actor) -> SmokeCheck:
    """Queue the smoke checks of the artifact's repository and DOI again (its authors or an
    unconflicted AE chair). One queued or running check at a time: asking again returns it."""
    _viewer, _user = require(
        actor,
        "artifacts.run_smoke_check",
        artifact,
        "Only the authors and the AE chairs run the checks again.",
    )
    with transaction.atomic():
        Artifact.objects.select_for_update().filter(pk=artifact.pk).first()
        return _queue_smoke_check(artifact)


def _queue_smoke_check(artifact) -> SmokeCheck:
    running = artifact.smoke_checks.filter(
        status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING],
        created_at__gte=timezone.now() - timedelta(minutes=10),
    ).first()
    if running is not None:
        return running
    check = SmokeCheck.objects.create(
        artifact=artifact,
        repository_url=artifact.repository_url,
        version=artifact.version,
        doi=artifact.doi,
    )
    enqueue_on_commit("artifacts.smoke_check", id=check.pk)
    return check


def appendix_page_limit(conference) -> int:
    settings_row = AESettings.objects.filter(conference=conference).first()
    return settings_row.appendix_page_limit if settings_row else 4
