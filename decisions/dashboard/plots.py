"""The four decision plots, drawn from the dashboard's rows (decisions.dashboard.stats).

Each plot covers every paper the chair may see (never one page of the list): rows redacted
because the chair is conflicted are left out, as they are of the calibration fit. Each comes
with its data as a table (the accessible fallback, and what a screen reader reads) and is drawn
as inline SVG by ``svg.py``: no service, no script.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from decisions.dashboard import svg
from decisions.dashboard.stats import Dashboard, PaperRow

#: Histogram bin width in score points.
BIN = 0.5
SCORE_KINDS = {"calibrated": "Calibrated score", "mean": "Mean overall score"}


@dataclass
class Figure:
    key: str
    title: str
    description: str
    svg: SafeString
    headers: list[str]
    table: list[tuple] = field(default_factory=list)
    note: str = ""


def kind_of(row: PaperRow, accepting: set[int]) -> str:
    """ "accept", "reject" or "undecided" by the paper's (pending or released) decision."""
    if row.outcome_id is None:
        return "undecided"
    return "accept" if row.outcome_id in accepting else "reject"


def score_of(row: PaperRow, board: Dashboard, kind: str) -> float | None:
    if kind == "calibrated":
        return row.calibrated
    stats = row.scores.get(board.primary or "")
    return stats.mean if stats else None


def scale_of(board: Dashboard) -> tuple[float, float]:
    """The primary field's scale (1–6 when the conference has no score field yet)."""
    for item in board.fields:
        if item.key == board.primary:
            return float(item.low), float(item.high)
    return 1.0, 6.0


def histogram(board: Dashboard, kind: str = "calibrated") -> Figure:
    low, high = scale_of(board)
    values = [v for row in board.visible if (v := score_of(row, board, kind)) is not None]
    # Calibrated scores may leave the scale a little: widen to hold every value.
    low = math.floor(min([low, *values]) / BIN) * BIN
    high = math.ceil(max([high, *values]) / BIN) * BIN
    bins = max(int(round((high - low) / BIN)), 1)
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / BIN), bins - 1)] += 1
    bars = [
        svg.Bar(f"{low + i * BIN:g}–{low + (i + 1) * BIN:g}", count)
        for i, count in enumerate(counts)
    ]
    label = SCORE_KINDS[kind]
    unscored = len(board.visible) - len(values)
    description = f"{len(values)} papers by {label.lower()}, in bins of {BIN:g} points."
    return Figure(
        key="histogram",
        title=f"Score distribution ({label.lower()})",
        description=description,
        svg=svg.columns(
            "histogram", "Score distribution", description, bars, x_label=label, y_label="Papers"
        ),
        headers=[label, "Papers"],
        table=[(bar.label, int(bar.value)) for bar in bars],
        note=f"{unscored} paper{'s' if unscored != 1 else ''} without scores not shown."
        if unscored
        else "",
    )


def accept_rate_by_topic(board: Dashboard, topics: dict[int, str]) -> Figure:
    """Share of decided papers (pending or released decisions) accepted, per topic."""
    accepting = {o.pk for o in board.outcomes if o.accepts}
    decided: dict[int, int] = defaultdict(int)
    accepted: dict[int, int] = defaultdict(int)
    papers: dict[int, int] = defaultdict(int)
    for row in board.visible:
        for topic in row.topic_ids:
            papers[topic] += 1
            if row.outcome_id is not None:
                decided[topic] += 1
                accepted[topic] += kind_of(row, accepting) == "accept"
    table = []
    bars = []
    for topic, name in topics.items():
        rate = 100 * accepted[topic] / decided[topic] if decided[topic] else 0.0
        table.append((name, papers[topic], decided[topic], accepted[topic], f"{rate:.0f}%"))
        bars.append(svg.Bar(name, rate, f"({accepted[topic]}/{decided[topic]})"))
    description = "Accepted papers as a share of the decided papers of each topic."
    return Figure(
        key="topics",
        title="Accept rate by topic",
        description=description,
        svg=svg.rows(
            "topics",
            "Accept rate by topic",
            description,
            bars,
            x_label="Accepted, % of decided papers",
            low=0,
            high=100,
        ),
        headers=["Topic", "Papers", "Decided", "Accepted", "Accept rate"],
        table=table,
        note="A paper with several topics counts in each; undecided papers count in none.",
    )


def sides_scatter(board: Dashboard) -> Figure:
    """Each paper's ML-side mean against its Systems-side mean, coloured by decision."""
    accepting = {o.pk for o in board.outcomes if o.accepts}
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in board.visible:
        if row.ml_mean is not None and row.systems_mean is not None:
            points[kind_of(row, accepting)].append((row.ml_mean, row.systems_mean))
    series = [
        svg.Series("Accept", svg.ACCEPT, points["accept"]),
        svg.Series("Reject", svg.REJECT, points["reject"]),
        svg.Series("Undecided", svg.UNDECIDED, points["undecided"]),
    ]
    low, high = scale_of(board)
    table = []
    for line in series:
        gaps = [x - y for x, y in line.points]
        mean_gap = f"{sum(gaps) / len(gaps):+.2f}" if gaps else "—"
        above = sum(1 for gap in gaps if gap > 0)
        below = sum(1 for gap in gaps if gap < 0)
        table.append((line.label, len(line.points), mean_gap, above, below))
    description = (
        "One point per paper with scores from both sides: the ML reviewers' mean (across) "
        "against the Systems reviewers' mean (up). Points off the diagonal are papers the two "
        "sides disagree on."
    )
    return Figure(
        key="sides",
        title="ML vs Systems mean score per paper",
        description=description,
        svg=svg.scatter(
            "sides",
            "ML vs Systems mean score per paper",
            description,
            series,
            low=low,
            high=high,
            x_label="ML reviewers' mean",
            y_label="Systems reviewers' mean",
        ),
        headers=["Decision", "Papers", "Mean gap (ML − Systems)", "ML higher", "Systems higher"],
        table=table,
        note=f"{sum(len(s.points) for s in series)} of {len(board.visible)} papers have scores "
        "from both sides.",
    )


def calibration(board: Dashboard, names: dict[int, str]) -> Figure:
    """Each reviewer's estimated leniency (bias), sorted, with the number of scores behind it."""
    ranked = sorted(board.reviewer_bias.items(), key=lambda item: (item[1][0], item[0]))
    bars = [
        svg.Bar(names.get(reviewer) or f"Reviewer {reviewer}", bias, f"(n={n})")
        for reviewer, (bias, n) in ranked
    ]
    extent = max([abs(bar.value) for bar in bars] + [0.5])
    extent = math.ceil(extent * 2) / 2
    description = (
        "Each reviewer's bias in score points: positive scores higher than the papers' "
        "calibrated quality (lenient), negative lower (harsh); n is the number of scores."
    )
    return Figure(
        key="calibration",
        title="Reviewer calibration",
        description=description,
        svg=svg.rows(
            "calibration",
            "Reviewer calibration",
            description,
            bars,
            x_label="Bias (score points)",
            low=-extent,
            high=extent,
            row_height=14,
        ),
        headers=["Reviewer", "Bias", "Scores"],
        table=[(bar.label, f"{bar.value:+.2f}", bar.note[3:-1]) for bar in bars],
        note="Papers you are conflicted with are left out of the fit." if board.conflicted else "",
    )


def figures(
    board: Dashboard, topics: dict[int, str], names: dict[int, str], kind: str
) -> list[Figure]:
    return [
        histogram(board, kind),
        accept_rate_by_topic(board, topics),
        sides_scatter(board),
        calibration(board, names),
    ]
