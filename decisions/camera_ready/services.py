"""Every write of the camera-ready phase: settings (licence text, per-track rules), the authors'
upload, final author list and licence acceptance, shepherds and their verdict, and the
reminders before the deadline.

Each function checks its own permission (``require``), works inside one transaction, audits
what it changed and queues its emails through the outbox. The shepherd's state
(``CameraReady.status``) changes only through :func:`_move` (mlsys.core.transitions with
``enums.SHEPHERD_TRANSITIONS``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from decisions import enums
from decisions.camera_ready import queries
from decisions.models import CameraReady, CameraReadyReminder, CameraReadyTrack, LicenceText
from mlsys.conferences.enums import DeadlineKind, InvitationStatus, Role
from mlsys.conferences.models import CommitteeMembership
from mlsys.conferences.viewer import require
from mlsys.core import audit, transitions
from mlsys.mail.services import queue_email
from reviews.rules import conflicted_submission_ids
from submissions import pipeline
from submissions.enums import FileKind, Status
from submissions.models import Submission, SubmissionFile
from submissions.pdfcheck import FormatSpec
from submissions.services.uploads import check_upload, check_waiting_versions

S = enums.ShepherdStatus
SHEPHERD_ROLES = (Role.PC_MEMBER, Role.AREA_CHAIR)
MAX_AUTHORS = 100


def _row(submission: Submission, *, lock: bool = True) -> CameraReady:
    """The paper's camera-ready row (created on first use), locked for the transaction."""
    CameraReady.objects.get_or_create(submission=submission)
    rows = CameraReady.objects.select_for_update(of=("self",)) if lock else CameraReady.objects
    row = rows.select_related("licence").get(submission=submission)
    submission.camera_ready = row  # what the caller reads next is this row, not a stale cache
    return row


def _move(row: CameraReady, status: str, *, actor, action: str, note: str = "", **fields) -> None:
    moved = transitions.transition(
        row,
        status,
        table=enums.SHEPHERD_TRANSITIONS,
        action=action,
        actor=actor,
        conference=row.submission.conference,
        note=note,
        **fields,
    )
    if not moved:
        raise ValidationError(f"The camera-ready is {row.get_status_display().lower()}.")


# --- Settings -----------------------------------------------------------------------------


def track_rule(track) -> CameraReadyTrack:
    """The track's camera-ready rules (an unsaved default when the chairs set none)."""
    rule = CameraReadyTrack.objects.filter(track=track).first()
    return rule or CameraReadyTrack(track=track)


def camera_ready_spec(stored: SubmissionFile, spec: FormatSpec) -> FormatSpec:
    """The spec a camera-ready upload is checked against (registered with the PDF pipeline):
    the track's page limit plus the extra pages, and the track's format spec or, if the chairs
    turned it off, only the page count. Never an anonymity check: the camera-ready names its
    authors."""
    rule = track_rule(stored.submission.track)
    limit = (spec.page_limit or 0) + rule.extra_pages if spec.page_limit else None
    if not rule.same_format:
        return FormatSpec(
            page_limit=limit,
            references_count=spec.references_count,
            appendix_counts=spec.appendix_counts,
        )
    return FormatSpec(
        **{**spec.to_dict(), "page_limit": limit, "anonymity": "open"}
    ).without_anonymity()


def save_settings(*, conference, actor, licence_text: str, rules: dict) -> LicenceText | None:
    """Save the licence terms and the per-track rules (``{track: (extra_pages, same_format)}``).

    A changed licence text becomes a new version (the previous ones stay, with the acceptances
    that name them); an unchanged text writes nothing. Returns the current licence version.
    """
    _viewer, user = require(
        actor,
        "decisions.manage_camera_ready",
        conference,
        "Only the program chairs change the camera-ready settings.",
    )
    text = licence_text.strip().replace("\r\n", "\n")
    with transaction.atomic():
        current = queries.current_licence(conference)
        if text and (current is None or current.text != text):
            version = (current.version if current else 0) + 1
            current = LicenceText.objects.create(
                conference=conference, version=version, text=text, created_by=user
            )
            audit.record(
                "decisions.licence_changed",
                actor=user,
                target=current,
                conference=conference,
                changes={"version": [version - 1 or None, version]},
            )
        for track, (extra_pages, same_format) in rules.items():
            if track.conference_id != conference.pk:
                raise ValidationError("A track of another conference.")
            rule = track_rule(track)
            before = (rule.extra_pages, rule.same_format) if rule.pk else (None, None)
            if before == (extra_pages, same_format):
                continue
            rule.extra_pages, rule.same_format = extra_pages, same_format
            rule.save()
            audit.record(
                "decisions.camera_ready_rule",
                actor=user,
                target=rule,
                conference=conference,
                changes={
                    "extra_pages": [before[0], extra_pages],
                    "same_format": [before[1], same_format],
                },
            )
    return current


# --- Authors' work ------------------------------------------------------------------------


def upload_camera_ready(*, submission: Submission, actor, upload: UploadedFile) -> SubmissionFile:
    """Store a new camera-ready version and start its check (submissions.process_file, against
    :func:`camera_ready_spec`).

    Refused (PermissionDenied) for anyone but the authors while the phase is open and the
    unconflicted chairs; ValidationError keyed ``file`` for an empty, oversized or non-PDF file,
    or while ``MAX_UNCHECKED_VERSIONS`` earlier uploads still wait for their check (one upload
    made while another is checked queues behind it): a refusal stores nothing. Every upload
    is kept; the final version is the newest that passes (queries.final_pdf). A shepherd's
    verdict on an earlier version is reset to pending, and the shepherd is told of the new
    version.
    """
    _viewer, user = require(
        actor,
        "decisions.edit_camera_ready",
        submission,
        "The camera-ready of this paper cannot be changed now.",
    )
    track = submission.track
    check_upload(upload, limit_mb=track.max_paper_mb, limit=f"the {track} track accepts")
    with transaction.atomic():
        locked = Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
        if locked.status != Status.ACCEPTED:
            raise PermissionDenied("Only accepted papers have a camera-ready.")
        # As for the paper: a version uploaded while an earlier one is checked queues behind it
        # (the final PDF is the newest that passes), up to a few, with the queue's pace said.
        check_waiting_versions(locked, FileKind.CAMERA_READY)
        stored = pipeline.store_file(
            submission=locked,
            kind=FileKind.CAMERA_READY,
            name=upload.name or "",
            data_or_file=upload,
            uploaded_by=user,
        )
        audit.record(
            "decisions.camera_ready_uploaded",
            actor=user,
            target=stored,
            conference=submission.conference,
            changes={"sha256": [None, stored.sha256], "size": [None, stored.size]},
        )
        row = _row(locked)
        if row.status in (S.APPROVED, S.CHANGES_REQUESTED):
            _move(
                row,
                S.PENDING,
                actor=user,
                action="decisions.shepherd_status",
                note="A new version was uploaded.",
            )
        shepherd = row.shepherd
        if shepherd is not None:
            queue_email(
                to=[shepherd.email],
                key="decisions.shepherd_new_version",
                conference=submission.conference,
                context=_paper_context(locked)
                | {"name": shepherd.name or shepherd.email, "file_name": stored.original_name},
            )
    return stored


def set_final_authors(
    *,
    submission: Submission,
    actor,
    authors: list[dict],
    confirm: bool,
    removals_agreed: bool = False,
    now: datetime | None = None,
) -> CameraReady:
    """Save the final author list (``authors``: {name, email, affiliation} in order) and, with
    ``confirm``, confirm it as final.

    Refused (ValidationError) for an empty list, a repeated email, or, when the list drops
    anyone who was on the submission, without ``removals_agreed``: co-authors are never
    dropped silently. A change of the list takes back an earlier confirmation. Audited with
    the list before and after.
    """
    _viewer, user = require(
        actor,
        "decisions.edit_camera_ready",
        submission,
        "The camera-ready of this paper cannot be changed now.",
    )
    cleaned = _clean_authors(authors)
    before_submission = queries.submitted_authors(submission)
    removed = queries.removed_authors(before_submission, cleaned)
    if removed and not removals_agreed:
        names = ", ".join(a["name"] for a in removed)
        raise ValidationError(
            {
                "removals_agreed": f"You removed {names}: confirm that they agreed to be "
                "removed from the paper."
            },
            code="removal",
        )
    now = now or timezone.now()
    with transaction.atomic():
        row = _row(submission)
        previous = queries.final_authors(submission, row)
        same_as_submitted = cleaned == before_submission
        stored = [] if same_as_submitted else cleaned
        fields: list[str] = []
        if row.final_authors != stored:
            row.final_authors = stored
            fields.append("final_authors")
        changed = previous != cleaned
        if changed and row.authors_confirmed_at is not None:
            row.authors_confirmed_at, row.authors_confirmed_by = None, None
            fields += ["authors_confirmed_at", "authors_confirmed_by"]
        if confirm and row.authors_confirmed_at is None:
            row.authors_confirmed_at, row.authors_confirmed_by = now, user
            fields += ["authors_confirmed_at", "authors_confirmed_by"]
        if fields:
            row.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
            audit.record(
                "decisions.camera_ready_authors",
                actor=user,
                target=row,
                conference=submission.conference,
                changes={
                    **({"authors": [previous, cleaned]} if changed else {}),
                    **({"confirmed": [None, now.isoformat()]} if confirm else {}),
                },
                note="; ".join(queries.author_changes(before_submission, cleaned))[:1000],
            )
    return row


def _clean_authors(authors: list[dict]) -> list[dict]:
    cleaned: list[dict] = []
    seen: set[str] = set()
    for position, author in enumerate(authors, start=1):
        name = " ".join(str(author.get("name") or "").split())[:200]
        email = str(author.get("email") or "").strip()[:254]
        affiliation = " ".join(str(author.get("affiliation") or "").split())[:200]
        if not name or "@" not in email:
            raise ValidationError(
                {"authors": f"Author {position}: give a name and an email address."},
                code="incomplete",
            )
        if email.lower() in seen:
            raise ValidationError(
                {"authors": f"Author {position}: {email} is listed twice."}, code="duplicate"
            )
        seen.add(email.lower())
        cleaned.append({"name": name, "email": email, "affiliation": affiliation})
    if not cleaned:
        raise ValidationError({"authors": "The paper needs at least one author."}, code="empty")
    if len(cleaned) > MAX_AUTHORS:
        raise ValidationError({"authors": f"At most {MAX_AUTHORS} authors."}, code="too_many")
    return cleaned


def accept_licence(
    *, submission: Submission, actor, version: int, now: datetime | None = None
) -> CameraReady:
    """Record that ``actor`` (an author) accepts version ``version`` of the licence terms.

    Refused when ``version`` is not the current one (the chairs changed the text after the page
    was shown: the author must read the new text) or the conference has no licence terms.
    """
    _viewer, user = require(
        actor,
        "decisions.accept_licence",
        submission,
        "Only the paper's authors accept the licence, while the camera-ready phase is open.",
    )
    licence = queries.current_licence(submission.conference)
    if licence is None:
        raise ValidationError("The chairs have not set the licence terms yet.", code="none")
    if licence.version != version:
        raise ValidationError(
            "The licence terms changed since you opened the page: read the new version and "
            "accept it again.",
            code="stale",
        )
    now = now or timezone.now()
    with transaction.atomic():
        row = _row(submission)
        previous = row.licence.version if row.licence else None
        row.licence, row.licence_accepted_at, row.licence_accepted_by = licence, now, user
        row.save(
            update_fields=["licence", "licence_accepted_at", "licence_accepted_by", "updated_at"]
        )
        audit.record(
            "decisions.licence_accepted",
            actor=user,
            target=row,
            conference=submission.conference,
            changes={"licence_version": [previous, licence.version]},
        )
    return row


# --- Shepherds ----------------------------------------------------------------------------


def shepherd_candidates(submission: Submission):
    """PC members (and area chairs) of the conference who may shepherd the paper: accepted
    membership, not conflicted with it, not its authors (one query, plus the conflicts)."""
    conference = submission.conference
    members = (
        CommitteeMembership.objects.filter(
            conference=conference, role__in=SHEPHERD_ROLES, status=InvitationStatus.ACCEPTED
        )
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    seen: dict[int, object] = {}
    for membership in members:
        seen.setdefault(membership.user_id, membership.user)
    return [
        user
        for user in seen.values()
        if submission.pk not in conflicted_submission_ids(user, conference)
    ]


def assign_shepherd(*, submission: Submission, actor, shepherd) -> CameraReady:
    """Make ``shepherd`` (a PC member not conflicted with the paper) its shepherd, or remove the
    shepherd with None. A new shepherd starts pending (an earlier verdict is dropped) and is
    emailed. Refused for a conflicted chair (PermissionDenied) and for anyone who may not
    shepherd this paper (ValidationError)."""
    _viewer, user = require(
        actor,
        "decisions.assign_shepherd",
        submission,
        "Only a chair without a conflict with this paper assigns its shepherd.",
    )
    if shepherd is not None and shepherd.pk not in {u.pk for u in shepherd_candidates(submission)}:
        raise ValidationError(
            {"shepherd": "Choose a PC member of this conference who is not conflicted with it."},
            code="not_candidate",
        )
    with transaction.atomic():
        row = _row(submission)
        if (row.shepherd_id or None) == (shepherd.pk if shepherd else None):
            return row
        before = row.shepherd.email if row.shepherd else None
        if shepherd is None:
            _move(row, S.NONE, actor=user, action="decisions.shepherd_status", shepherd=None)
        else:
            _move(
                row,
                S.PENDING,
                actor=user,
                action="decisions.shepherd_status",
                shepherd=shepherd,
                shepherd_comment="",
                reviewed_at=None,
                reviewed_file=None,
            )
        audit.record(
            "decisions.shepherd_assigned",
            actor=user,
            target=row,
            conference=submission.conference,
            changes={"shepherd": [before, shepherd.email if shepherd else None]},
        )
        if shepherd is not None:
            queue_email(
                to=[shepherd.email],
                key="decisions.shepherd_assigned",
                conference=submission.conference,
                context=_paper_context(submission) | {"name": shepherd.name or shepherd.email},
            )
    return row


def review_as_shepherd(
    *, submission: Submission, actor, approve: bool, comment: str = "", now=None
) -> CameraReady:
    """The shepherd approves the final version or requests changes (``comment`` required then);
    the authors are emailed the verdict and the comment. Approving needs a final version."""
    _viewer, user = require(
        actor,
        "decisions.shepherd_camera_ready",
        submission,
        "Only the paper's shepherd reviews its camera-ready.",
    )
    comment = comment.strip()[:5000]
    if not approve and not comment:
        raise ValidationError({"comment": "Say what the authors should change."}, code="comment")
    now = now or timezone.now()
    status = S.APPROVED if approve else S.CHANGES_REQUESTED
    with transaction.atomic():
        # The upload's lock: a version uploaded meanwhile is seen below, or waits for the verdict
        # (and then resets it).
        Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
        final = queries.final_pdf(submission)
        if final is None:
            raise ValidationError(
                "There is no camera-ready version that passed the check yet.", code="no_final"
            )
        if approve and queries.newer_versions_waiting(final).exists():
            raise ValidationError(
                "A newer camera-ready version is still being checked and becomes the final PDF "
                "if it passes; approve once its check is done.",
                code="newer_pending",
            )
        row = _row(submission)
        _move(
            row,
            status,
            actor=user,
            action="decisions.shepherd_status",
            note=comment[:1000],
            shepherd_comment=comment,
            reviewed_at=now,
            reviewed_file=final,
        )
        queue_email(
            to=_author_emails(submission),
            key="decisions.shepherd_verdict",
            conference=submission.conference,
            context=_paper_context(submission)
            | {
                "verdict": "approved" if approve else "asks for changes to",
                "comment": comment or "(no comment)",
            },
        )
    return row


# --- Reminders ----------------------------------------------------------------------------


def due_threshold(conference, now: datetime) -> tuple[int, datetime] | None:
    """(days, deadline) of the tightest reminder threshold the clock has passed, while the
    camera-ready deadline is still ahead; None outside the reminder window."""
    deadline = conference.deadline_map().get(DeadlineKind.CAMERA_READY)
    if deadline is None or now >= deadline.at:
        return None
    passed = [d for d in enums.CAMERA_READY_REMINDER_DAYS if now >= deadline.at - timedelta(days=d)]
    return (min(passed), deadline.at) if passed else None


def send_reminders(conference, *, now: datetime | None = None) -> int:
    """Email the authors of each incomplete camera-ready of ``conference`` once per threshold
    (7 and 2 days before the deadline), listing what is missing. Recorded per paper and
    threshold (``CameraReadyReminder``), so running it again sends nothing new; a paper first
    reminded late gets one email, and the larger thresholds it skipped count as sent.
    Returns the number of emails queued."""
    now = now or timezone.now()
    due = due_threshold(conference, now)
    if due is None:
        return 0
    days, deadline = due
    skipped = [d for d in enums.CAMERA_READY_REMINDER_DAYS if d > days]
    papers = queries.filtered(queries.accepted_papers(conference), "incomplete").exclude(
        camera_ready_reminders__days=days
    )
    sent = 0
    for paper in papers.prefetch_related("authors"):
        with transaction.atomic():
            _reminder, created = CameraReadyReminder.objects.get_or_create(
                submission=paper, days=days
            )
            if not created:  # another run reminded it meanwhile
                continue
            for larger in skipped:
                CameraReadyReminder.objects.get_or_create(submission=paper, days=larger)
            missing = queries.row_checklist(paper).missing
            queue_email(
                to=_author_emails(paper),
                key="decisions.camera_ready_reminder",
                conference=conference,
                context=_paper_context(paper)
                | {
                    "deadline": f"{deadline.astimezone(conference.tz):%A %d %B %Y, %H:%M} "
                    f"{conference.timezone_label}",
                    "days": days,
                    "missing": "\n".join(f"- {item}" for item in missing),
                },
            )
            sent += 1
    if sent:
        audit.record(
            "decisions.camera_ready_reminded",
            target=conference,
            conference=conference,
            changes={"papers": [None, sent], "days": [None, days]},
        )
    return sent


def _author_emails(submission: Submission) -> list[str]:
    return sorted({a.email for a in submission.authors.all() if a.email})


def _paper_context(submission: Submission) -> dict:
    path = reverse(
        "decisions:camera_ready",
        kwargs={"conference": submission.conference.slug, "number": submission.number},
    )
    return {
        "number": submission.number,
        "title": submission.title,
        "url": settings.SITE_URL + path,
    }
