"""What the chairs' PC page shows: status counts, side balance and topic coverage.

Each function costs a fixed number of queries whatever the committee's size.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from mlsys.conferences.enums import InvitationStatus, Role, Side
from mlsys.conferences.models import CommitteeMembership, Conference, Topic

#: Roles counted in the side balance and topic coverage: the people who review papers.
PC_REVIEWING = (Role.PC_MEMBER, Role.AREA_CHAIR)
#: The two communities may differ by this share of the larger one before the page warns.
BALANCE_TOLERANCE = 0.25


def status_counts(members: list[CommitteeMembership]) -> dict[str, int]:
    """Memberships per invitation status (every status present, zeros included)."""
    counts = Counter(m.status for m in members)
    return {status: counts.get(status, 0) for status in InvitationStatus.values}


def balance_warning(balance: list[dict]) -> str:
    """A sentence when the ML and Systems sides differ by more than BALANCE_TOLERANCE in members
    or in review capacity; "" when balanced. BOTH members are left out: they can go either way."""
    rows = {row["side"]: row for row in balance}
    ml, systems = rows[Side.ML], rows[Side.SYSTEMS]
    for key, what in (("members", "members"), ("capacity", "review capacity")):
        a, b = ml[key], systems[key]
        larger = max(a, b)
        if larger and abs(a - b) > BALANCE_TOLERANCE * larger:
            heavier, lighter = ("ML", "Systems") if a > b else ("Systems", "ML")
            return (
                f"The committee is unbalanced: the {heavier} side has {max(a, b)} {what}, "
                f"the {lighter} side {min(a, b)}. Every paper needs reviewers from both sides."
            )
    return ""


@dataclass
class TopicCoverage:
    topic: Topic
    by_side: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_side.values())


def topic_coverage(conference: Conference, min_level: int = 1) -> list[TopicCoverage]:
    """For every topic, how many accepted PC members list it at ``min_level`` or above, per
    side. One query: the topics annotated with a distinct count per side."""
    listed = Q(
        interests__conference=conference,
        interests__level__gte=min_level,
        interests__user__memberships__conference=conference,
        interests__user__memberships__status=InvitationStatus.ACCEPTED,
        interests__user__memberships__role__in=PC_REVIEWING,
    )
    counts = {
        side: Count(
            "interests__user",
            filter=listed & Q(interests__user__memberships__side=side),
            distinct=True,
        )
        for side in Side.values
    }
    topics = conference.topics.annotate(**{f"n_{s}": c for s, c in counts.items()}).order_by(
        "area", "order", "name"
    )
    return [
        TopicCoverage(topic=t, by_side={side: getattr(t, f"n_{side}") for side in Side.values})
        for t in topics
    ]


def side_balance(members: list[CommitteeMembership]) -> list[dict]:
    """:func:`mlsys.conferences.queries.side_balance` computed from the already loaded
    committee (no query): accepted PC members and area chairs per side, count and capacity."""
    rows = []
    for side, label in Side.choices:
        on_side = [
            m
            for m in members
            if m.side == side and m.status == InvitationStatus.ACCEPTED and m.role in PC_REVIEWING
        ]
        rows.append(
            {
                "side": side,
                "label": label,
                "members": len(on_side),
                "capacity": sum(m.max_load or 0 for m in on_side),
                "unlimited": sum(1 for m in on_side if m.max_load is None),
            }
        )
    return rows


def filter_members(
    members: list[CommitteeMembership], *, role: str = "", status: str = "", side: str = ""
) -> list[CommitteeMembership]:
    """The members table's filters, applied to the already loaded list (no extra query)."""
    return [
        m
        for m in members
        if (not role or m.role == role)
        and (not status or m.status == status)
        and (not side or m.side == side)
    ]
