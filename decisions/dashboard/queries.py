"""The dashboard's table over :func:`decisions.dashboard.stats.dashboard`'s rows: the columns
(what each shows, sorts by and exports), the filters, the sort, the counters and the names the
rows point at. The rows of the whole conference are already in memory, so filtering and sorting
are plain Python and cost no query; the page, the CSV and the API all read them from here.

Redaction: a row the viewer is conflicted with (``row.conflicted``) shows only its number, title,
track and topics (:data:`OPEN_KEYS`) wherever it appears; filters that read anything else
(gap, spread, missing reviews, decision) never match it, and the counters leave it out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from decisions.dashboard.stats import Dashboard, PaperRow, ScoreField
from decisions.enums import DecisionStatus, OutcomeKind
from reviews.enums import Recommendation
from submissions.enums import Status
from submissions.models import Tag

#: Columns a conflicted row shows (what a conflicted PC member sees of the paper).
OPEN_KEYS = frozenset({"number", "title", "track", "topics"})
#: Decision filter values besides one outcome ("o<id>").
UNDECIDED, PENDING, RELEASED = "undecided", "pending", "released"
RECOMMENDATIONS = dict(Recommendation.choices)
STATS = ("mean", "median", "min", "max", "spread")
STAT_LABELS = {"mean": "mean", "median": "med", "min": "min", "max": "max", "spread": "spr"}


@dataclass
class Names:
    """What the rows' ids name: tracks, topics, tags and outcomes (one query each)."""

    tracks: dict[int, str]
    topics: dict[int, str]
    tags: dict[int, str]
    outcomes: dict[int, Any]

    @classmethod
    def load(cls, board: Dashboard) -> Names:
        conference = board.conference
        return cls(
            tracks=dict(conference.tracks.order_by("order", "name").values_list("pk", "name")),
            topics=dict(
                conference.topics.order_by("area", "order", "name").values_list("pk", "name")
            ),
            tags=dict(Tag.objects.filter(conference=conference).values_list("pk", "name")),
            outcomes={o.pk: o for o in board.outcomes},
        )

    def outcome_label(self, row: PaperRow) -> str:
        outcome = self.outcomes.get(row.outcome_id) if row.outcome_id else None
        return outcome.label if outcome is not None else ""


def _num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _signed(value: float | None) -> str:
    return "" if value is None else f"{value:+.2f}"


def _short(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@dataclass(frozen=True)
class Column:
    """One column: ``value`` sorts (None sorts last), ``text`` shows and exports."""

    key: str
    label: str
    help: str
    value: Callable[[PaperRow], Any]
    text: Callable[[PaperRow, Names], str]
    numeric: bool = False
    default: bool = True
    #: Always shown (the row means nothing without it).
    fixed: bool = False
    #: The score field a statistic column belongs to (grouped under one header).
    group: str = ""


def decision_state(row: PaperRow, names: Names) -> str:
    """``accept``/``reject`` (from the decision's outcome, pending or released, or from the
    paper's status when it was decided without one), else ``undecided``; "" when redacted."""
    if row.conflicted:
        return ""
    outcome = names.outcomes.get(row.outcome_id) if row.outcome_id else None
    if outcome is not None:
        return OutcomeKind.ACCEPT if outcome.accepts else OutcomeKind.REJECT
    if row.status == Status.ACCEPTED:
        return OutcomeKind.ACCEPT
    if row.status == Status.REJECTED:
        return OutcomeKind.REJECT
    return UNDECIDED


def _decision_text(row: PaperRow, names: Names) -> str:
    label = names.outcome_label(row)
    if label:
        return f"{label} ({row.decision_status})"
    if row.status in (Status.ACCEPTED, Status.REJECTED):
        return Status(row.status).label
    return ""


def _progress_text(row: PaperRow, names: Names) -> str:
    parts = [
        f"ML {row.done['ml']}/{row.assigned['ml']}",
        f"Sys {row.done['systems']}/{row.assigned['systems']}",
    ]
    if row.assigned["other"] or row.done["other"]:
        parts.append(f"other {row.done['other']}/{row.assigned['other']}")
    return " · ".join(parts)


def _stat(key: str, stat: str) -> Callable[[PaperRow], float | None]:
    def value(row: PaperRow) -> float | None:
        stats = row.scores.get(key)
        if stats is None:
            return None
        return {
            "mean": stats.mean,
            "median": stats.median,
            "min": stats.low,
            "max": stats.high,
            "spread": stats.spread,
        }[stat]

    return value


def _stat_text(key: str, stat: str) -> Callable[[PaperRow, Names], str]:
    value = _stat(key, stat)
    fmt = _num if stat == "mean" else _short
    return lambda row, names: fmt(value(row))


def columns(
    fields: Iterable[ScoreField], primary: str | None, track_order: dict[int, int] | None = None
) -> list[Column]:
    """Every column of the dashboard, in display order, for the conference's score fields."""
    cols = [
        Column(
            "number",
            "#",
            "Paper number",
            lambda r: r.number,
            lambda r, n: str(r.number),
            numeric=True,
            fixed=True,
        ),
        Column(
            "title",
            "Title",
            "Title (links to the paper's reviews and discussion)",
            lambda r: r.title.casefold(),
            lambda r, n: r.title,
            fixed=True,
        ),
        Column(
            "track",
            "Track",
            "Track",
            lambda r: (track_order or {}).get(r.track_id, r.track_id),
            lambda r, n: n.tracks.get(r.track_id, ""),
        ),
        Column(
            "topics",
            "Topics",
            "Topics",
            lambda r: len(r.topic_ids),
            lambda r, n: ", ".join(n.topics[t] for t in r.topic_ids if t in n.topics),
            default=False,
        ),
        Column(
            "progress",
            "Reviews",
            "Submitted / assigned reviews, by reviewer side",
            lambda r: None if r.conflicted else (r.done_total, -r.missing),
            _progress_text,
        ),
        Column(
            "missing",
            "Missing",
            "Assigned reviews not submitted yet",
            lambda r: None if r.conflicted else r.missing,
            lambda r, n: "" if r.conflicted else str(r.missing),
            numeric=True,
            default=False,
        ),
    ]
    for item in fields:
        main = item.key == primary
        for stat in STATS:
            cols.append(
                Column(
                    f"{item.key}__{stat}",
                    STAT_LABELS[stat],
                    f"{item.label}: {stat} ({item.low}–{item.high})",
                    _stat(item.key, stat),
                    _stat_text(item.key, stat),
                    numeric=True,
                    default=main or stat == "mean",
                    group=item.label,
                )
            )
    cols += [
        Column(
            "weighted",
            "Wtd",
            "Confidence-weighted mean of the primary score",
            lambda r: r.weighted,
            lambda r, n: _num(r.weighted),
            numeric=True,
        ),
        Column(
            "ml_mean",
            "ML",
            "Mean primary score of ML-side reviewers",
            lambda r: r.ml_mean,
            lambda r, n: _num(r.ml_mean),
            numeric=True,
            default=False,
        ),
        Column(
            "systems_mean",
            "Sys",
            "Mean primary score of Systems-side reviewers",
            lambda r: r.systems_mean,
            lambda r, n: _num(r.systems_mean),
            numeric=True,
            default=False,
        ),
        Column(
            "gap",
            "Gap",
            "ML-side mean minus Systems-side mean (primary score)",
            lambda r: r.gap,
            lambda r, n: _signed(r.gap),
            numeric=True,
        ),
        Column(
            "calibrated",
            "Calib.",
            "Calibrated score: reviewer leniency taken out",
            lambda r: r.calibrated,
            lambda r, n: _num(r.calibrated),
            numeric=True,
        ),
        Column(
            "recommendation",
            "Meta",
            "Meta-review recommendation",
            lambda r: _RECOMMENDATION_ORDER.get(r.recommendation),
            lambda r, n: RECOMMENDATIONS.get(r.recommendation, r.recommendation),
        ),
        Column(
            "tags",
            "Tags",
            "Tags",
            lambda r: len(r.tag_ids) or None,
            lambda r, n: ", ".join(sorted(n.tags[t] for t in r.tag_ids if t in n.tags)),
        ),
        Column(
            "discussion",
            "Disc.",
            "Discussion comments (date of the last one)",
            lambda r: None if r.conflicted else r.comments,
            _discussion_text,
            numeric=True,
        ),
        Column(
            "decision",
            "Decision",
            "Decision (pending or released)",
            lambda r: (
                None
                if r.conflicted
                else (r.outcome_id is None, r.decision_status, r.outcome_id or 0)
            ),
            _decision_text,
            fixed=True,
        ),
    ]
    return cols


_RECOMMENDATION_ORDER = {value: i for i, value in enumerate(reversed(Recommendation.values))}


def _discussion_text(row: PaperRow, names: Names) -> str:
    if row.conflicted or not row.comments:
        return ""
    last = row.last_comment
    when = f" · {last.day} {last:%b}" if last else ""
    return f"{row.comments}{when}"


def cell_text(column: Column, row: PaperRow, names: Names) -> str:
    """What a cell shows and exports: redacted rows show only :data:`OPEN_KEYS`."""
    if row.conflicted and column.key not in OPEN_KEYS:
        return ""
    return column.text(row, names)


# --- Filters and sort ----------------------------------------------------------------------


@dataclass
class Criteria:
    """What a view asks for; every part optional (validated by the page's or the API's form)."""

    q: str = ""
    track: int | None = None
    topic: int | None = None
    gap: float | None = None
    spread: float | None = None
    missing: bool = False
    decision: str = ""
    sort: str = "number"
    #: Visible column keys (None: the defaults).
    columns: list[str] | None = None
    tags: list[int] = field(default_factory=list)


def _matches_q(row: PaperRow, q: str) -> bool:
    text = q.strip().lstrip("#").strip()
    if text.isascii() and text.isdigit():
        return row.number == int(text)
    title = row.title.casefold()
    return all(word in title for word in q.casefold().split())


def _matches_decision(row: PaperRow, decision: str) -> bool:
    if row.conflicted:
        return False
    if decision == UNDECIDED:
        return row.outcome_id is None and row.status == Status.SUBMITTED
    if decision in (PENDING, RELEASED):
        return row.decision_status == decision
    if decision.startswith("o"):
        return str(row.outcome_id) == decision[1:]
    return True


def matches(row: PaperRow, criteria: Criteria, primary: str | None) -> bool:
    """Whether ``row`` passes every filter of ``criteria``."""
    c = criteria
    if c.q.strip() and not _matches_q(row, c.q):
        return False
    if c.track is not None and row.track_id != c.track:
        return False
    if c.topic is not None and c.topic not in row.topic_ids:
        return False
    if c.tags and (row.conflicted or not set(c.tags) & set(row.tag_ids)):
        return False
    if c.gap is not None and (row.gap is None or abs(row.gap) < c.gap):
        return False
    if c.spread is not None:
        stats = row.scores.get(primary) if primary else None
        if stats is None or stats.spread < c.spread:
            return False
    if c.missing and (row.conflicted or not row.missing):
        return False
    return not c.decision or _matches_decision(row, c.decision)


def select(board: Dashboard, criteria: Criteria, cols: list[Column]) -> list[PaperRow]:
    """The rows passing ``criteria``, sorted by its column (missing values last, either way),
    ties broken by number."""
    rows = [row for row in board.rows if matches(row, criteria, board.primary)]
    by_key = {c.key: c for c in cols}
    key = criteria.sort.lstrip("-")
    column = by_key.get(key, by_key["number"])
    descending = criteria.sort.startswith("-")
    rows.sort(key=lambda r: r.number)
    present = [(column.value(r), r) for r in rows]
    known = [pair for pair in present if pair[0] is not None]
    unknown = [r for value, r in present if value is None]
    known.sort(key=lambda pair: pair[0], reverse=descending)
    return [r for _, r in known] + unknown


def visible_columns(cols: list[Column], keys: list[str] | None) -> list[Column]:
    """The columns to show: the fixed ones plus ``keys`` (the defaults when None)."""
    if keys is None:
        return [c for c in cols if c.default or c.fixed]
    wanted = set(keys)
    return [c for c in cols if c.fixed or c.key in wanted]


# --- Counters ------------------------------------------------------------------------------


@dataclass
class Count:
    label: str
    papers: int = 0
    accepted: int = 0
    rejected: int = 0
    undecided: int = 0
    #: Filter value for the link to these papers (track or topic id).
    link: str = ""

    @property
    def rate(self) -> str:
        """Accepted out of all papers counted (decided or not), as a percentage."""
        return f"{100 * self.accepted / self.papers:.1f}%" if self.papers else "—"

    def add(self, state: str) -> None:
        self.papers += 1
        if state == OutcomeKind.ACCEPT:
            self.accepted += 1
        elif state == OutcomeKind.REJECT:
            self.rejected += 1
        else:
            self.undecided += 1


@dataclass
class Counters:
    total: Count
    tracks: list[Count]
    topics: list[Count]
    pending: int = 0
    released: int = 0
    conflicted: int = 0


def counters(board: Dashboard, names: Names) -> Counters:
    """Accepted / rejected / undecided over the whole conference, per track and per topic.
    Pending and released decisions both count; papers the viewer is conflicted with do not."""
    total = Count("All papers")
    tracks = {pk: Count(name, link=f"track={pk}") for pk, name in names.tracks.items()}
    topics = {pk: Count(name, link=f"topic={pk}") for pk, name in names.topics.items()}
    pending = released = 0
    for row in board.rows:
        if row.conflicted:
            continue
        state = decision_state(row, names)
        total.add(state)
        if row.track_id in tracks:
            tracks[row.track_id].add(state)
        for topic in row.topic_ids:
            if topic in topics:
                topics[topic].add(state)
        pending += row.decision_status == DecisionStatus.PENDING
        released += row.decision_status == DecisionStatus.RELEASED
    return Counters(
        total=total,
        tracks=[c for c in tracks.values() if c.papers],
        topics=[c for c in topics.values() if c.papers],
        pending=pending,
        released=released,
        conflicted=board.conflicted,
    )


def row_refusal(row: PaperRow) -> str:
    """Why the viewing chair cannot set this row's decision here ("" when they can); the
    services check again (decisions.services.refusal)."""
    if row.conflicted:
        return "You are conflicted with this paper; another chair must decide it."
    if row.decision_status == DecisionStatus.RELEASED:
        return "Its decision is already released."
    if row.status != Status.SUBMITTED:
        return f"It is {Status(row.status).label.lower()}, not under review."
    return ""


def conference_rows(board: Dashboard) -> dict[int, PaperRow]:
    """Number → row."""
    return {row.number: row for row in board.rows}
