"""Reminders to reviewers with unfinished reviews, before and after the review deadline.

A review is *unfinished* when its assignment is released, not declined, on an active paper the
reviewer is not conflicted with, and no submitted review exists for it. Each reviewer gets at
most one reminder per :data:`INTERVAL` per conference (``Assignment.last_reminded_at``), one
email listing all their unfinished papers. The beat task reminds from :data:`BEFORE` ahead of
the deadline until decisions are due; chairs can remind at any time from the progress page,
under the same once-a-day limit. Templates are chair-editable (reviews/reminders/emails.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Conference
from mlsys.conferences.viewer import acting
from mlsys.core import audit
from mlsys.mail.services import queue_email
from reviews.enums import BidValue, ReviewState
from reviews.meta.queries import active_reviewer_assignments
from reviews.models import Assignment, Bid, Review
from reviews.rules import conflicted_submission_ids
from submissions import enums as sub_enums
from submissions.models import Author, Conflict

BEFORE = timedelta(days=3)
INTERVAL = timedelta(days=1)
BEFORE_KEY = "reviews.review_reminder"
AFTER_KEY = "reviews.review_overdue"


def submitted_review_exists() -> Exists:
    return Exists(Review.objects.filter(assignment=OuterRef("pk"), state=ReviewState.SUBMITTED))


def _conflicted() -> Q:
    same = {"submission": OuterRef("submission"), "user": OuterRef("reviewer")}
    return (
        Q(Exists(Conflict.objects.filter(**same, state__in=sub_enums.EFFECTIVE)))
        | Exists(Author.objects.filter(**same))
        | Exists(Bid.objects.filter(**same, value=BidValue.CONFLICT))
    )


def unfinished_assignments(conference: Conference) -> QuerySet:
    """Released, not declined, non-conflicted assignments on papers under review (not yet
    decided: a released decision closes the paper's reviews) with no submitted review (one
    query; add select_related as needed)."""
    return (
        active_reviewer_assignments()
        .filter(conference=conference, submission__status=sub_enums.Status.SUBMITTED)
        .exclude(submitted_review_exists())
        .exclude(_conflicted())
    )


def review_deadline(conference: Conference) -> datetime | None:
    due = conference.deadline_map().get(DeadlineKind.REVIEW)
    return due.at if due else None


def reminder_window(conference: Conference, now: datetime) -> str | None:
    """ "before" in the last :data:`BEFORE` ahead of the review deadline, "after" from the
    deadline until decisions are due or released, else None (no automatic reminders)."""
    due = review_deadline(conference)
    if due is None or conference.decisions_released_at:
        return None
    if due - BEFORE <= now < due:
        return "before"
    decision = conference.deadline_map().get(DeadlineKind.DECISION)
    if now >= due and (decision is None or now < decision.at):
        return "after"
    return None


@dataclass
class ReminderResult:
    sent: list = field(default_factory=list)  # users reminded now
    skipped_recent: list = field(default_factory=list)  # users reminded within INTERVAL


def _format_deadline(conference: Conference, at: datetime | None) -> str:
    if at is None:
        return "soon"
    return f"{at.astimezone(conference.tz):%A %d %B %Y, %H:%M} {conference.timezone_label}"


@transaction.atomic
def remind_reviewers(
    conference: Conference, *, now: datetime | None = None, reviewer_ids=None, actor=None
) -> ReminderResult:
    """Email each reviewer with unfinished reviews (optionally only ``reviewer_ids``) one
    reminder listing them, unless they were reminded within :data:`INTERVAL`.

    Before the deadline the "review_reminder" template is used, after it "review_overdue".
    Sets ``last_reminded_at`` on the reminded assignments and writes one audit event per run.
    A chair (``actor``: a viewer or a user) reminds nobody about a paper they are conflicted
    with, and is told nothing about its reviewers; the beat task (no actor) reminds everyone.
    """
    now = now or timezone.now()
    rows = unfinished_assignments(conference).select_related("reviewer", "submission")
    if actor is not None:
        viewer, actor = acting(actor)
        rows = rows.exclude(submission_id__in=conflicted_submission_ids(viewer, conference))
    if reviewer_ids is not None:
        rows = rows.filter(reviewer_id__in=list(reviewer_ids))
    by_reviewer: dict[int, list[Assignment]] = defaultdict(list)
    for row in rows.select_for_update(of=("self",)).order_by("reviewer_id", "submission__number"):
        by_reviewer[row.reviewer_id].append(row)
    result = ReminderResult()
    if not by_reviewer:
        return result
    last = dict(
        Assignment.objects.filter(conference=conference, reviewer_id__in=list(by_reviewer))
        .values("reviewer")
        .annotate(at=Max("last_reminded_at"))
        .values_list("reviewer", "at")
    )
    due = review_deadline(conference)
    key = AFTER_KEY if due is not None and now >= due else BEFORE_KEY
    url = settings.SITE_URL + reverse("reviews:my_papers", kwargs={"conference": conference.slug})
    reminded_ids = []
    for uid, assignments in by_reviewer.items():
        reviewer = assignments[0].reviewer
        if last.get(uid) is not None and last[uid] > now - INTERVAL:
            result.skipped_recent.append(reviewer)
            continue
        queue_email(
            to=[reviewer.email],
            key=key,
            conference=conference,
            context={
                "name": reviewer.name or reviewer.email,
                "count": len(assignments),
                "review_count": f"{len(assignments)} review{pluralize(len(assignments))}",
                "count_were": pluralize(len(assignments), "was,were"),
                "papers": "\n".join(
                    f"  #{a.submission.number} {a.submission.title}" for a in assignments
                ),
                "deadline": _format_deadline(conference, due),
                "url": url,
            },
        )
        reminded_ids += [a.pk for a in assignments]
        result.sent.append(reviewer)
    if reminded_ids:
        Assignment.objects.filter(pk__in=reminded_ids).update(last_reminded_at=now, updated_at=now)
        audit.record(
            "reviews.reviewers_reminded",
            actor=actor,
            target=conference,
            conference=conference,
            changes={"reviewers": [None, sorted(u.pk for u in result.sent)]},
            note=key,
        )
    return result


def send_review_reminders(conference: Conference, *, now: datetime | None = None) -> int:
    """The beat task's work for one conference: remind within the reminder window only.
    Returns the number of reviewers emailed."""
    now = now or timezone.now()
    if reminder_window(conference, now) is None:
        return 0
    return len(remind_reviewers(conference, now=now).sent)
