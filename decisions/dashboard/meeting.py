"""PC-meeting mode: the discussion order, the paper on the screen, who must leave the room.

**The order.** A meeting discusses the papers under review whose calibrated score lies within
``window`` points of the cut-off. The *naive order* is nearest the cut-off first. Each paper has
a *leaving set*: the committee members conflicted with it (:func:`leaving`). A *room change* is
two consecutive papers with different leaving sets (somebody leaves or comes back).
:func:`discussion_order` keeps the naive order's priorities but groups papers with the same
leaving set: it takes the nearest remaining paper, then every remaining paper with the same
leaving set (nearest first), then the nearest remaining paper again, and so on. Each distinct
leaving set is therefore one contiguous run, so the order has exactly (distinct sets − 1) room
changes: the fewest any order of these papers can have, hence never more than the naive order.

**Computed for the committee, not for the chair who starts it.** The order is computed from
everybody's scores (no row redacted), so it does not depend on which chair pressed the button; a
conflicted chair sees only that a paper is theirs to leave for.

**Started by an unconflicted chair.** A chair conflicted with a paper under review may not
start (or restart) the meeting: its cut-off and window decide whether that paper is discussed
and where, so starting meetings of their choosing would narrow down its calibrated score.

**Shared.** One ``DecisionMeeting`` per conference holds the order and the current position;
every chair's page shows that position. Written only by :func:`start_meeting` and
:func:`move_to`, audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.dashboard.stats import Dashboard, dashboard
from decisions.models import DecisionMeeting
from decisions.services import conflicts_under_review
from mlsys.accounts.models import User
from mlsys.conferences.enums import InvitationStatus
from mlsys.conferences.models import CommitteeMembership, Conference
from mlsys.conferences.viewer import Viewer, require
from mlsys.core import audit
from reviews.meta.queries import conflicted_pairs
from submissions.enums import Status

MANAGE = "decisions.manage_decisions"
REFUSED = "Only the program chairs run the PC meeting."


def leaving(conference: Conference, submission_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Submission id → ids of the conference's committee members (accepted, any role) who must
    leave the room for it: effective conflicts, authors with accounts, "conflict" bids (four
    queries)."""
    ids = list(submission_ids)
    committee = set(
        CommitteeMembership.objects.filter(
            conference=conference, status=InvitationStatus.ACCEPTED
        ).values_list("user_id", flat=True)
    )
    found: dict[int, set[int]] = {pk: set() for pk in ids}
    for paper, user in conflicted_pairs(ids):
        if user in committee:
            found[paper].add(user)
    return {pk: frozenset(users) for pk, users in found.items()}


def naive_order(scores: dict[int, float], cutoff: float) -> list[int]:
    """Paper ids nearest the cut-off first (ties: the higher score, then the lower id)."""
    return sorted(scores, key=lambda pk: (abs(scores[pk] - cutoff), -scores[pk], pk))


def discussion_order(
    scores: dict[int, float], cutoff: float, leaving_sets: dict[int, frozenset[int]]
) -> list[int]:
    """The naive order with papers of the same leaving set pulled together (see the module)."""
    naive = naive_order(scores, cutoff)
    runs: dict[frozenset[int], list[int]] = {}
    for pk in naive:  # dicts keep insertion order: runs come in order of their nearest paper
        runs.setdefault(leaving_sets.get(pk, frozenset()), []).append(pk)
    return [pk for run in runs.values() for pk in run]


def room_changes(order: list[int], leaving_sets: dict[int, frozenset[int]]) -> int:
    """How many times the set of people out of the room changes along ``order``."""
    sets = [leaving_sets.get(pk, frozenset()) for pk in order]
    return sum(1 for before, after in zip(sets, sets[1:], strict=False) if before != after)


def committee_board(conference: Conference) -> Dashboard:
    """The dashboard as the committee as a whole sees it: nobody's conflicts redacted. Only for
    computing the order; never shown."""
    return dashboard(conference, Viewer(AnonymousUser()))


def start_refusal(conference: Conference, viewer) -> str:
    """Why ``viewer`` may not start the meeting ("" if they may): they are conflicted with a
    paper under review (decision not released)."""
    mine = conflicts_under_review(conference, viewer)
    if not mine:
        return ""
    return (
        f"You are conflicted with {mine} paper{'s' if mine != 1 else ''} under review: which "
        "papers the meeting discusses, and in what order, follows their scores, so a cut-off and "
        "window of your choosing would tell you about them. Another chair starts the meeting; "
        "you follow it and move it like everyone."
    )


def start_meeting(
    *, conference: Conference, actor, cutoff: float, window: float
) -> DecisionMeeting:
    """Compute the discussion order around ``cutoff`` (± ``window``) and start at its first
    paper, replacing any earlier meeting's order. ValidationError when no paper falls in the
    window."""
    viewer, user = require(actor, MANAGE, conference, REFUSED)
    refused = start_refusal(conference, viewer)
    if refused:
        raise ValidationError(refused)
    if window < 0:
        raise ValidationError({"window": "The window is a number of score points, 0 or more."})
    board = committee_board(conference)
    scores = {
        row.id: row.calibrated
        for row in board.rows
        if row.status == Status.SUBMITTED
        and row.decision_status != "released"
        and row.calibrated is not None
        and abs(row.calibrated - cutoff) <= window
    }
    if not scores:
        raise ValidationError(
            {
                "window": f"No paper under review has a calibrated score within {window:g} of "
                f"{cutoff:g}: widen the window."
            }
        )
    order = discussion_order(scores, cutoff, leaving(conference, scores))
    with transaction.atomic():
        meeting, created = DecisionMeeting.objects.select_for_update().update_or_create(
            conference=conference,
            defaults={
                "cutoff": cutoff,
                "window": window,
                "order": order,
                "position": 0,
                "started_by": user,
                "started_at": timezone.now(),
            },
        )
        audit.record(
            "decisions.meeting_started",
            actor=user,
            target=meeting,
            conference=conference,
            changes={
                "cutoff": [None, cutoff],
                "window": [None, window],
                "papers": [None, len(order)],
            },
            note="" if created else "Replaced the earlier meeting's order.",
        )
    return meeting


def move_to(*, meeting: DecisionMeeting, position: int, actor) -> DecisionMeeting:
    """Show the paper at ``position`` (clamped to the order). Two chairs pressing "Next" at the
    same time send the same position, so the meeting moves once."""
    _, user = require(actor, MANAGE, meeting.conference, REFUSED)
    position = min(max(position, 0), max(len(meeting.order) - 1, 0))
    with transaction.atomic():
        locked = DecisionMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.position == position:
            return locked
        before = locked.position
        locked.position = position
        locked.save(update_fields=["position", "updated_at"])
        audit.record(
            "decisions.meeting_moved",
            actor=user,
            target=locked,
            conference=meeting.conference,
            changes={"position": [before, position]},
        )
    return locked


@dataclass
class Slot:
    """One place in the order as a given chair sees it."""

    position: int
    number: int
    title: str
    #: The viewing chair is conflicted: must leave; nothing else of the paper is shown.
    conflicted: bool
    leaving: list[str]


def names_of(user_ids: Iterable[int]) -> dict[int, str]:
    return {
        pk: name or email
        for pk, name, email in User.objects.filter(pk__in=list(user_ids)).values_list(
            "pk", "name", "email"
        )
    }
