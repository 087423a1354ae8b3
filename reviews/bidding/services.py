"""Bids, conflicts declared while bidding, and the daily bid reminders.

A "conflict" bid also writes a confirmed ``reviewer_declared`` Conflict row, so the paper is
hidden from the reviewer everywhere (bidding, search, counts, assignment), not only here.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import InvitationStatus, Phase, Role
from mlsys.conferences.models import CommitteeMembership, Conference
from mlsys.conferences.queries import with_schedule
from mlsys.conferences.viewer import acting
from mlsys.core import audit
from mlsys.mail.models import OutboundEmail
from mlsys.mail.services import queue_email
from reviews.enums import BidValue
from reviews.models import Bid
from reviews.rules import load_conflicts
from submissions import enums as sub_enums
from submissions.models import Author, Conflict, Submission

REMINDER_KEY = "reviews.bid_reminder"
#: Members with fewer bids than this (or than the number of papers they can bid on) are reminded.
DEFAULT_MIN_BIDS = 20
REMINDER_INTERVAL = timedelta(days=1)


def min_bids() -> int:
    return getattr(settings, "BID_REMINDER_MIN_BIDS", DEFAULT_MIN_BIDS)


@transaction.atomic
def place_bid(*, user, submission: Submission, value: str) -> Bid:
    """Record ``user``'s bid on ``submission`` (replacing an earlier one) and audit it.

    Raises PermissionDenied unless the user may bid on this paper now (PC member, bidding open,
    not conflicted). A CONFLICT bid also creates (or re-confirms) a reviewer-declared Conflict.
    """
    if value not in BidValue.values:
        raise ValueError(f"Unknown bid value {value!r}")
    viewer, user = acting(user)
    if not viewer.has_perm("reviews.bid_on_submission", submission):
        raise PermissionDenied("You cannot bid on this submission now.")
    bid = (
        Bid.objects.select_for_update(of=("self",)).filter(submission=submission, user=user).first()
    )
    old = bid.value if bid else None
    if bid is None:
        bid = Bid.objects.create(submission=submission, user=user, value=value)
    elif bid.value != value:
        bid.value = value
        bid.save(update_fields=["value", "updated_at"])
    if old != value:
        audit.record(
            "reviews.bid_placed",
            actor=user,
            target=bid,
            conference=submission.conference,
            changes={"value": [old, value]},
        )
    if value == BidValue.CONFLICT:
        conflict, created = Conflict.objects.get_or_create(
            submission=submission,
            user=user,
            source=sub_enums.ConflictSource.REVIEWER_DECLARED,
            defaults={
                "state": sub_enums.ConflictState.CONFIRMED,
                "detail": "Declared by the reviewer while bidding.",
            },
        )
        if not created and conflict.state != sub_enums.ConflictState.CONFIRMED:
            before = conflict.state
            conflict.state = sub_enums.ConflictState.CONFIRMED
            conflict.save(update_fields=["state", "updated_at"])
            audit.record(
                "submissions.conflict_state_changed",
                actor=user,
                target=conflict,
                conference=submission.conference,
                changes={"state": [before, conflict.state]},
                note="Re-declared by the reviewer while bidding.",
            )
        elif created:
            audit.record(
                "submissions.conflict_declared",
                actor=user,
                target=conflict,
                conference=submission.conference,
                changes={"state": [None, conflict.state]},
                note="Declared by the reviewer while bidding.",
            )
        # The caller's viewer (the request's) would still count the paper as not conflicted.
        viewer.forget(load_conflicts)
    return bid


def bid_counts_by_user(conference: Conference, user_ids) -> tuple[dict[int, int], dict[int, int]]:
    """(bids, biddable papers) per user id, both counting only non-conflicted submitted papers.

    Five queries however large the PC: a user's total is the submitted papers minus those they
    are conflicted with (as an author, through an effective Conflict, or by a "conflict" bid).
    """
    submitted = Submission.objects.filter(conference=conference, status=sub_enums.Status.SUBMITTED)
    conflicted_with = Q(
        Exists(Author.objects.filter(submission=OuterRef("submission"), user=OuterRef("user")))
    ) | Q(
        Exists(
            Conflict.objects.filter(
                submission=OuterRef("submission"),
                user=OuterRef("user"),
                state__in=sub_enums.EFFECTIVE,
            )
        )
    )
    bids = dict(
        Bid.objects.filter(user_id__in=user_ids, submission__in=submitted)
        .exclude(value=BidValue.CONFLICT)
        .exclude(conflicted_with)
        .values("user")
        .annotate(n=Count("pk"))
        .values_list("user", "n")
    )
    total = submitted.count()
    conflicts: dict[int, set[int]] = {uid: set() for uid in user_ids}
    for uid, sid in Author.objects.filter(
        user_id__in=user_ids, submission__in=submitted
    ).values_list("user", "submission"):
        conflicts[uid].add(sid)
    for uid, sid in Conflict.objects.filter(
        user_id__in=user_ids, submission__in=submitted, state__in=sub_enums.EFFECTIVE
    ).values_list("user", "submission"):
        conflicts[uid].add(sid)
    for uid, sid in Bid.objects.filter(
        user_id__in=user_ids, submission__in=submitted, value=BidValue.CONFLICT
    ).values_list("user", "submission"):
        conflicts[uid].add(sid)
    totals = {uid: total - len(conflicts[uid]) for uid in user_ids}
    return {uid: bids.get(uid, 0) for uid in user_ids}, totals


def remind_bidders(*, now=None) -> int:
    """Email every PC member with too few bids at each conference whose bidding is open.

    Nobody gets more than one reminder per conference per ``REMINDER_INTERVAL``: recipients of
    a reminder queued in that window (found in the outbox) are skipped. Returns emails queued.
    """
    now = now or timezone.now()
    sent = 0
    for conference in with_schedule(Conference.objects.all()):
        if conference.timeline(now).is_open(Phase.BIDDING):
            sent += _remind_at(conference, now)
    return sent


@transaction.atomic
def _remind_at(conference: Conference, now) -> int:
    members = list(
        CommitteeMembership.objects.filter(
            conference=conference,
            role__in=[Role.PC_MEMBER, Role.AREA_CHAIR],
            status=InvitationStatus.ACCEPTED,
        ).select_related("user")
    )
    users = {m.user_id: m.user for m in members}
    if not users:
        return 0
    recent = set()
    for to in OutboundEmail.objects.filter(
        conference=conference, template_key=REMINDER_KEY, created_at__gt=now - REMINDER_INTERVAL
    ).values_list("to", flat=True):
        recent.update(to)
    bids, totals = bid_counts_by_user(conference, list(users))
    wanted = min_bids()
    deadline = conference.deadline_map().get("bidding")
    url = settings.SITE_URL + reverse("reviews:bidding", kwargs={"conference": conference.slug})
    sent = 0
    for uid, user in users.items():
        target = min(wanted, totals[uid])
        if bids[uid] >= target or user.email.lower() in recent:
            continue
        queue_email(
            to=[user.email],
            key=REMINDER_KEY,
            conference=conference,
            context={
                "name": user.name or user.email,
                "bid_count": bids[uid],
                "paper_count": totals[uid],
                "min_bids": target,
                "bidding_url": url,
                "deadline": (
                    f"{deadline.at.astimezone(conference.tz):%A %d %B %Y, %H:%M} "
                    f"{conference.timezone_label}"
                    if deadline
                    else "soon"
                ),
            },
        )
        recent.add(user.email.lower())
        sent += 1
    return sent
