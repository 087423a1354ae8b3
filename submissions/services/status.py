"""The submission state machine: every status change, by authors or chairs, goes through here."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mlsys.conferences.viewer import acting, as_viewer, user_of
from mlsys.core import audit
from mlsys.mail.services import queue_email
from submissions import enums
from submissions.models import Submission, SubmissionFile

S = enums.Status
#: Transitions a program chair may make (on top of nothing: chairs are not authors).
CHAIR_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.DESK_REJECTED, S.WITHDRAWN}),
    S.DESK_REJECTED: frozenset({S.SUBMITTED}),
}
#: Transitions a released decision makes (decisions.services.release_decisions is the only caller
#: of :func:`apply_decision`): a submitted paper becomes accepted or rejected.
DECISION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED}),
}
#: Transitions that need a reason, shown to the authors and kept on the submission.
NEEDS_REASON = frozenset({S.WITHDRAWN, S.DESK_REJECTED})
#: Words for the receipt subject: "[MLSYS2027] #12 submitted".
EVENTS: dict[str, str] = {
    S.SUBMITTED: "submitted",
    S.DRAFT: "returned to draft",
    S.WITHDRAWN: "withdrawn",
    S.DESK_REJECTED: "desk-rejected",
}


def missing_requirements(submission: Submission) -> list[str]:
    """What still stops ``submission`` from being submitted, in words for its authors.

    Reads ``track``, ``topics``, ``current_paper`` and the track's ``extra_fields``; prefetch
    them (``queries.for_author`` plus ``track__extra_fields``) to keep a list page constant.
    """
    track = submission.track
    missing = []
    if not submission.title.strip():
        missing.append("a title")
    if not submission.abstract.strip():
        missing.append("an abstract")
    topic_count = len(submission.topics.all())
    if topic_count < track.min_topics:
        missing.append(
            f"at least {track.min_topics} topic{'s' if track.min_topics != 1 else ''} "
            f"({topic_count} chosen)"
        )
    elif topic_count > track.max_topics:
        missing.append(f"at most {track.max_topics} topics ({topic_count} chosen)")
    paper = submission.current_paper
    if paper is None:
        missing.append("a PDF of the paper that passed the checks")
    elif track.format_errors_block and paper.check_status == enums.CheckStatus.FAILED:
        # An anonymity failure gets its own words; status_label reads the report (deferred on
        # list pages) only for such a paper, to tell whether it also breaks the format.
        if paper.anonymity_failed:
            missing.append(
                "a PDF that does not name its authors (see the anonymity findings in the "
                "check report)"
            )
        if not paper.anonymity_failed or paper.status_label.startswith("Violates"):
            missing.append("a PDF without format errors (see the check report)")
    answers = submission.extra_answers or {}
    for field in track.extra_fields.all():
        if field.required and not answers.get(str(field.pk)):
            missing.append(f"an answer to “{field.label}”")
    return missing


def allowed_transitions(submission: Submission, actor, *, now: datetime | None = None) -> set[str]:
    """The statuses ``actor`` may move ``submission`` to now (ignoring missing requirements)."""
    result: set[str] = set()
    viewer = as_viewer(actor)
    if viewer.has_perm("submissions.withdraw_submission", submission):
        before_deadline = submission.conference.timeline(now or viewer.now).can_update_submission()
        for target in enums.AUTHOR_TRANSITIONS.get(submission.status, ()):
            if target == S.WITHDRAWN or before_deadline:
                result.add(target)
    if viewer.has_perm("submissions.act_on_submission", submission):
        result |= CHAIR_TRANSITIONS.get(submission.status, frozenset())
    return result


def change_status(
    *,
    submission: Submission,
    actor,
    to: str,
    reason: str = "",
    now: datetime | None = None,
) -> Submission:
    """Move ``submission`` to status ``to`` if ``actor`` may, and tell every author.

    Authors: submit (draft or withdrawn → submitted) and back to draft before the deadline,
    the first only when :func:`missing_requirements` is empty; withdraw (with a reason) at any
    time before a decision. Chairs: desk-reject a submitted paper (with a reason), reinstate a
    desk-rejected one, withdraw on the authors' behalf; never a chair conflicted with the
    paper (another chair must). Raises PermissionDenied when ``actor`` has no such transition
    at all, ValidationError when it is not possible now.
    Locks the row, saves with ``update_fields``, writes an audit event and queues a receipt to
    all authors with the current PDF's sha256, page count and check summary. The edit
    ``version`` is not changed, so an open edit form stays valid.
    """
    reason = reason.strip()
    viewer, actor = acting(actor)
    now = now or viewer.now  # the request's arrival time (mlsys.core.arrival)
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("conference", "track", "current_paper")
            .get(pk=submission.pk)
        )
        is_author = viewer.has_perm("submissions.withdraw_submission", locked)
        as_author = is_author and to in enums.AUTHOR_TRANSITIONS.get(locked.status, ())
        if not as_author and viewer.has_perm("submissions.manage_submissions", locked):
            # A chair who is an author of the paper is conflicted with it: as a chair (a desk
            # rejection, say) they are refused like any conflicted chair.
            if not viewer.has_perm("submissions.act_on_submission", locked):
                raise PermissionDenied(
                    "You are conflicted with this paper, so you cannot change its status; "
                    "another chair must."
                )
        elif not is_author:
            raise PermissionDenied("You cannot change the status of this submission.")
        previous = locked.status
        if to not in allowed_transitions(locked, viewer, now=now):
            raise ValidationError(_refusal(locked, to, now), code="transition")
        if to in NEEDS_REASON and not reason:
            raise ValidationError({"reason": "Say why, so the chairs and co-authors know."})
        if to == S.SUBMITTED and previous != S.DESK_REJECTED:
            missing = missing_requirements(locked)
            if missing:
                raise ValidationError(
                    "The submission is not complete. Still missing: " + "; ".join(missing) + ".",
                    code="incomplete",
                )
        locked.status = to
        locked.status_reason = reason if to in NEEDS_REASON else ""
        fields = ["status", "status_reason", "updated_at"]
        if to == S.SUBMITTED:
            locked.submitted_at = now
            fields.append("submitted_at")
        locked.save(update_fields=fields)
        audit.record(
            f"submissions.status.{to}",
            actor=actor,
            target=locked,
            changes={"status": [previous, to]},
            note=reason,
        )
        send_receipt(locked, event=_event(previous, to), reason=reason)
    submission.refresh_from_db()
    return locked


def apply_decision(*, submission: Submission, accepted: bool, actor) -> bool:
    """Set a submitted paper to accepted or rejected as its decision is released.

    Called only by ``decisions.services.release_decisions``, inside its transaction, after it
    checked the actor may release. A conditional update: a paper that is no longer submitted
    (withdrawn since the decision was recorded) is left alone and False is returned. No receipt:
    the decision letter is the authors' email.
    """
    to = S.ACCEPTED if accepted else S.REJECTED
    sources = [src for src, targets in DECISION_TRANSITIONS.items() if to in targets]
    moved = Submission.objects.filter(pk=submission.pk, status__in=sources).update(
        status=to, updated_at=timezone.now()
    )
    if moved:
        audit.record(
            f"submissions.status.{to}",
            actor=user_of(actor),
            target=submission,
            changes={"status": [S.SUBMITTED, to]},
        )
        submission.status = to
    return bool(moved)


def _event(previous: str, to: str) -> str:
    if previous == S.WITHDRAWN:
        return "revived" if to == S.SUBMITTED else "revived as a draft"
    if previous == S.DESK_REJECTED:
        return "reinstated"
    return EVENTS.get(to, to)


def _refusal(submission: Submission, to: str, now: datetime) -> str:
    label = dict(S.choices).get(to, to).lower()
    if submission.status == to:
        return f"The submission is already {label}."
    author_targets = enums.AUTHOR_TRANSITIONS.get(submission.status, ())
    timeline = submission.conference.timeline(now)
    if to in author_targets and not timeline.can_update_submission():
        return f"{timeline.submission_closed_words()}; this change is no longer possible."
    return f"A {submission.get_status_display().lower()} submission cannot be moved to {label}."


def check_summary(file: SubmissionFile | None) -> str:
    """One line about a file's check result, for receipts and lists."""
    if file is None:
        return "no PDF uploaded"
    if file.check_status == enums.CheckStatus.PENDING:
        return "the check is still running"
    report = file.report or {}
    errors = len(report.get("errors") or [])
    warnings = len(report.get("warnings") or [])
    # status_label tells a paper that names its authors from one that breaks the format rules.
    summary = report.get("summary") or file.status_label
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return f"{summary} ({counts})"


def send_receipt(submission: Submission, *, event: str, reason: str = "") -> None:
    """Queue the receipt for ``event`` to every author of ``submission``."""
    paper = submission.current_paper
    queue_email(
        to=list(submission.authors.values_list("email", flat=True)),
        key="submissions.receipt",
        conference=submission.conference,
        context={
            "number": submission.number,
            "event": event,
            "title": submission.title,
            "track": submission.track.name,
            "status": submission.get_status_display(),
            "reason": reason or "—",
            # Only status changes with a reason (withdrawn, desk-rejected) get a Reason line.
            "reason_line": f"\nReason:  {reason}" if reason else "",
            "paper_name": paper.original_name if paper else "none",
            "paper_sha256": paper.sha256 if paper else "none",
            "paper_pages": (paper.pages if paper and paper.pages is not None else "unknown"),
            "check_summary": check_summary(paper),
            "url": settings.SITE_URL + submission.get_absolute_url(),
        },
    )
