"""Querysets and per-paper summaries of the chairs' assignment pages (constant query counts)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Prefetch, QuerySet

from mlsys.conferences.enums import Side
from reviews.assignment.problem_builder import Reviewer, active_submissions, reviewer_pool
from reviews.enums import PairChange, ProposalStatus
from reviews.models import Assignment, AssignmentProposal, ProposedPair
from submissions import enums as sub_enums
from submissions.models import Submission


def papers_with_assignments(conference) -> QuerySet[Submission]:
    """Active submissions with their live assignments (``live_assignments``) and reviewers."""
    return active_submissions(conference).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.current()
            .select_related("reviewer")
            .order_by("reviewer__name"),
            to_attr="live_assignments",
        )
    )


def coverage_problems(sides: list[str], track) -> list[str]:
    """Why a paper with reviewers of ``sides`` misses its track's rule (empty when it meets
    it). A reviewer of both sides counts for one side only."""
    ml = sides.count(Side.ML)
    sys = sides.count(Side.SYSTEMS)
    both = sides.count(Side.BOTH)
    out = []
    if len(sides) != track.reviewers_per_paper:
        out.append(f"{len(sides)} of {track.reviewers_per_paper} reviewers")
    if ml + both < track.min_ml_reviewers:
        out.append(f"needs {track.min_ml_reviewers} ML")
    if sys + both < track.min_systems_reviewers:
        out.append(f"needs {track.min_systems_reviewers} Systems")
    sides_met = ml + both >= track.min_ml_reviewers and sys + both >= track.min_systems_reviewers
    if sides_met and ml + sys + both < track.min_ml_reviewers + track.min_systems_reviewers:
        out.append("a reviewer of both sides counts for one side only")
    return out


@dataclass
class PaperRow:
    submission: Submission
    reviewers: list = field(default_factory=list)  # (assignment or pair, Reviewer | None)
    problems: list[str] = field(default_factory=list)
    #: The viewing chair is conflicted with the paper: reviewers are not shown to them.
    conflicted: bool = False
    track_name: str = ""


def hide_conflicted(rows: list[PaperRow], conflicted_ids) -> list[PaperRow]:
    """Blank the reviewers and problems of the rows of papers the viewer is conflicted with
    (a conflicted chair sees the paper listed as conflicted, nothing of its reviewers)."""
    for row in rows:
        if row.submission.pk in conflicted_ids:
            row.reviewers, row.problems, row.conflicted = [], [], True
    return rows


@dataclass
class PaperLine:
    """One paper of a chairs' assignment table, read as plain values for filtering and paging
    the whole conference; only the shown page is read in full (``PaperRow``)."""

    pk: int
    number: int
    title: str
    track: str
    track_id: int
    reviewers: int = 0
    problems: list[str] = field(default_factory=list)
    conflicted: bool = False


Line = TypeVar("Line", bound=PaperLine)


def _search(lines: list[Line], q: str, track_id: int | None) -> list[Line]:
    q = q.strip().lower().lstrip("#")
    return [
        p
        for p in lines
        if (not q or q == str(p.number) or q in p.title.lower())
        and (not track_id or p.track_id == track_id)
    ]


def filter_lines(
    lines: list[Line], *, q: str = "", track_id: int | None = None, show: str = ""
) -> list[Line]:
    """Papers matching a number or title fragment, a track and ``show``: "short" (misses its
    track's rule), "ok" (meets it). A conflicted paper has no problems to show, so it is
    listed only without ``show``."""
    out = _search(lines, q, track_id)
    if show == "short":
        out = [p for p in out if p.problems and not p.conflicted]
    elif show == "ok":
        out = [p for p in out if not p.problems and not p.conflicted]
    return out


def overview_lines(
    conference, tracks: list, hidden_ids: frozenset[int] = frozenset()
) -> tuple[list[PaperLine], list[dict], dict[int, Reviewer]]:
    """Every active paper with its number of current reviewers and coverage problems, and
    every pool reviewer's load, from plain values (four queries). Papers in ``hidden_ids``
    (those the viewing chair is conflicted with) are marked conflicted, their reviewers and
    problems left out, and they do not count in the loads: a per-reviewer total that included
    them would tell, by subtraction, who reviews them."""
    pool = {r.user_id: r for r in reviewer_pool(conference)}
    by_id = {t.pk: t for t in tracks}
    lines = {
        pk: PaperLine(pk, number, title, by_id[track_id].name, track_id)
        for pk, number, title, track_id in active_submissions(conference).values_list(
            "pk", "number", "title", "track_id"
        )
    }
    sides: dict[int, list[str]] = {pk: [] for pk in lines}
    loads = dict.fromkeys(pool, 0)
    for submission_id, reviewer_id in (
        Assignment.objects.current()
        .filter(conference=conference, submission__status__in=sub_enums.ACTIVE)
        .order_by()  # the model's ordering joins the paper and the conference: not needed
        .values_list("submission_id", "reviewer_id")
    ):
        if submission_id in hidden_ids:
            continue
        reviewer = pool.get(reviewer_id)
        sides[submission_id].append(reviewer.side if reviewer else "")
        if reviewer_id in loads:
            loads[reviewer_id] += 1
    for pk, line in lines.items():
        if pk in hidden_ids:
            line.conflicted = True
            continue
        line.reviewers = len(sides[pk])
        line.problems = coverage_problems(sides[pk], by_id[line.track_id])
    reviewer_rows = [
        {
            "reviewer": r,
            "load": loads[uid],
            "over": r.max_load is not None and loads[uid] > r.max_load,
            "under": loads[uid] < r.min_load,
        }
        for uid, r in pool.items()
    ]
    return list(lines.values()), reviewer_rows, pool


def filter_loads(rows: list[dict], *, q: str = "", side: str = "", show: str = "") -> list[dict]:
    """Reviewer load rows matching a name fragment, a side and ``show`` ("over": over their
    max load, "under": under their min load); ``side`` as the filter says it ("systems")."""
    q = q.strip().lower()
    return [
        r
        for r in rows
        if (not q or q in r["reviewer"].label.lower())
        and (not side or r["reviewer"].side == side.upper())
        and (show != "over" or r["over"])
        and (show != "under" or r["under"])
    ]


def overview_rows(conference, lines: list[PaperLine], pool: dict[int, Reviewer]) -> list[PaperRow]:
    """The full rows (live assignments with reviewers) of one page of ``lines`` (two
    queries). Rows of conflicted papers carry no reviewers."""
    by_pk = {line.pk: line for line in lines}
    shown = [line.pk for line in lines if not line.conflicted]
    submissions = {s.pk: s for s in papers_with_assignments(conference).filter(pk__in=shown)}
    rows = []
    for line in lines:
        submission = submissions.get(line.pk)
        if submission is None:  # conflicted: the paper is named, nothing of its reviewers
            paper = Submission(pk=line.pk, number=line.number, title=line.title)
            rows.append(PaperRow(paper, conflicted=True, track_name=line.track))
            continue
        row = PaperRow(submission, problems=by_pk[line.pk].problems, track_name=line.track)
        # Set by papers_with_assignments' Prefetch(to_attr=...), which the stubs can't see.
        live: list[Assignment] = submission.live_assignments  # type: ignore[attr-defined]
        row.reviewers = [(a, pool.get(a.reviewer_id)) for a in live]
        rows.append(row)
    return rows


def overview_export_rows(
    conference, lines: list[PaperLine], pool: dict[int, Reviewer]
) -> Iterator[list]:
    """Every paper of ``lines`` as CSV cells (number, title, track, reviewers with side and
    release, coverage); a conflicted paper's reviewers and coverage are not given. One
    query."""
    reviewers: dict[int, list[str]] = defaultdict(list)
    hidden = {p.pk for p in lines if p.conflicted}
    sides = {uid: r.side_label for uid, r in pool.items()}
    for submission_id, reviewer_id, name, email, released in (
        Assignment.objects.current()
        .filter(conference=conference, submission__status__in=sub_enums.ACTIVE)
        .exclude(submission_id__in=hidden)
        .order_by("submission_id", "reviewer__name", "pk")
        .values_list(
            "submission_id", "reviewer_id", "reviewer__name", "reviewer__email", "released"
        )
    ):
        side = sides.get(reviewer_id, "not in pool")
        reviewers[submission_id].append(
            f"{name or email} ({side}{'' if released else ', unreleased'})"
        )
    for p in lines:
        if p.conflicted:
            yield [p.number, p.title, p.track, "", "conflicted (not shown)"]
        else:
            coverage = "; ".join(p.problems) or "OK"
            yield [p.number, p.title, p.track, "; ".join(reviewers[p.pk]), coverage]


def proposal_papers(proposal: AssignmentProposal) -> list[PaperRow]:
    """The proposal's diff grouped by paper (new, kept, removed), with coverage problems of
    the proposed reviewers (new + kept)."""
    pool: dict[int, Reviewer] = {r.user_id: r for r in reviewer_pool(proposal.conference)}
    order: dict[str, int] = {PairChange.KEPT: 0, PairChange.NEW: 1, PairChange.REMOVED: 2}
    pairs = ProposedPair.objects.filter(proposal=proposal).select_related(
        "submission__track", "user"
    )
    by_paper: dict[int, PaperRow] = {}
    for pair in sorted(pairs, key=lambda p: (p.submission.number, order[p.change], -p.quality)):
        row = by_paper.setdefault(pair.submission_id, PaperRow(pair.submission))
        row.reviewers.append((pair, pool.get(pair.user_id)))
    for row in by_paper.values():
        sides = [
            r.side if r else "" for pair, r in row.reviewers if pair.change != PairChange.REMOVED
        ]
        row.problems = coverage_problems(sides, row.submission.track)
    return list(by_paper.values())


@dataclass
class ProposalLine(PaperLine):
    """A paper of a proposal's changes table: its pairs' changes as well."""

    changes: set[str] = field(default_factory=set)


def proposal_lines(
    proposal: AssignmentProposal, tracks: list, hidden_ids: frozenset[int] = frozenset()
) -> tuple[list[ProposalLine], dict[int, Reviewer], list[tuple[int, int]]]:
    """Every paper of the proposal but those in ``hidden_ids`` (the viewing chair's
    conflicts), by number, with the coverage problems of its proposed reviewers (new + kept)
    and the changes of its pairs; the pool; and the (paper, user) keys of the removed pairs
    of those papers. Plain values, three queries."""
    pool: dict[int, Reviewer] = {r.user_id: r for r in reviewer_pool(proposal.conference)}
    by_id = {t.pk: t for t in tracks}
    pairs = ProposedPair.objects.filter(proposal=proposal).exclude(
        submission_id__in=list(hidden_ids)
    )
    lines = {
        pk: ProposalLine(pk, number, title, by_id[track_id].name, track_id)
        for pk, number, title, track_id in Submission.objects.filter(
            pk__in=pairs.values("submission_id")
        )
        .order_by("number")
        .values_list("pk", "number", "title", "track_id")
    }
    sides: dict[int, list[str]] = {pk: [] for pk in lines}
    removed = []
    for submission_id, user_id, change in pairs.values_list("submission_id", "user_id", "change"):
        line = lines[submission_id]
        line.changes.add(change)
        if change == PairChange.REMOVED:
            removed.append((submission_id, user_id))
        else:
            line.reviewers += 1
            reviewer = pool.get(user_id)
            sides[submission_id].append(reviewer.side if reviewer else "")
    for pk, line in lines.items():
        line.problems = coverage_problems(sides[pk], by_id[line.track_id])
    return list(lines.values()), pool, removed


def filter_proposal_lines(
    lines: list[ProposalLine],
    *,
    q: str = "",
    track_id: int | None = None,
    show: str = "",
    change: str = "",
) -> list[ProposalLine]:
    """:func:`filter_lines` and the pairs' change: "new", "removed" or "changed" (either)."""
    out = filter_lines(lines, q=q, track_id=track_id, show=show)
    if change in (PairChange.NEW, PairChange.REMOVED):
        out = [p for p in out if change in p.changes]
    elif change == "changed":
        out = [p for p in out if p.changes & {PairChange.NEW, PairChange.REMOVED}]
    return out


_CHANGE_ORDER: dict[str, int] = {PairChange.KEPT: 0, PairChange.NEW: 1, PairChange.REMOVED: 2}


def proposal_rows(
    proposal: AssignmentProposal, lines: list[ProposalLine], pool: dict[int, Reviewer]
) -> list[PaperRow]:
    """The full rows of one page of ``lines``: each paper's pairs (kept, new, removed; best
    quality first) with users (one query)."""
    by_paper: dict[int, PaperRow] = {}
    for line in lines:
        paper = Submission(pk=line.pk, number=line.number, title=line.title)
        by_paper[line.pk] = PaperRow(paper, problems=line.problems, track_name=line.track)
    pairs = ProposedPair.objects.filter(
        proposal=proposal, submission_id__in=list(by_paper)
    ).select_related("user")
    for pair in sorted(pairs, key=lambda p: (_CHANGE_ORDER[p.change], -p.quality)):
        by_paper[pair.submission_id].reviewers.append((pair, pool.get(pair.user_id)))
    return list(by_paper.values())


def proposal_export_rows(
    proposal: AssignmentProposal, lines: list[ProposalLine], pool: dict[int, Reviewer]
) -> Iterator[list]:
    """One CSV row per pair of the papers of ``lines`` (number, title, track, reviewer, email,
    side, quality, change, the paper's coverage). One query."""
    wanted = {line.pk for line in lines}
    pairs: dict[int, list] = defaultdict(list)
    for row in (
        ProposedPair.objects.filter(proposal=proposal)
        .order_by("submission_id", "-quality", "pk")
        .values_list("submission_id", "user_id", "user__name", "user__email", "quality", "change")
    ):
        if row[0] in wanted:  # the filtered papers, never those the chair may not see
            pairs[row[0]].append(row)
    labels = dict(PairChange.choices)
    sides = {uid: r.side_label for uid, r in pool.items()}
    for line in lines:
        coverage = "; ".join(line.problems) or "OK"
        for _sid, uid, name, email, quality, change in sorted(
            pairs[line.pk], key=lambda r: _CHANGE_ORDER[r[5]]
        ):
            side = sides.get(uid, "")
            yield [
                line.number,
                line.title,
                line.track,
                name or email,
                email,
                side,
                round(quality, 3),
                labels[change],
                coverage,
            ]


def recent_proposals(conference, limit: int = 10) -> QuerySet[AssignmentProposal]:
    return (
        AssignmentProposal.objects.filter(conference=conference)
        .select_related("track", "created_by")
        .order_by("-created_at")[:limit]
    )


def released_assignments_for(user, conference) -> QuerySet[Assignment]:
    """The reviewer's released, live assignments with what My papers shows."""
    return (
        Assignment.objects.live()
        .filter(conference=conference, reviewer=user)
        .select_related("submission__track")
        .prefetch_related("submission__topics", "submission__authors")
        .order_by("submission__number")
    )


IN_PROGRESS = (ProposalStatus.QUEUED, ProposalStatus.RUNNING)


_PAPER_LABEL = re.compile(r"#(\d+)")


def report_without_conflicted(tracks: list[dict], conflicted_ids) -> list[dict]:
    """The report without the lines naming reviewers of papers the chair is conflicted with
    (the "existing assignments now forbidden" list)."""
    if not conflicted_ids:
        return tracks
    numbers = {
        str(n)
        for n in Submission.objects.filter(pk__in=conflicted_ids).values_list("number", flat=True)
    }
    out = []
    for t in tracks:
        dropped = t.get("dropped")
        if dropped:
            t = {**t, "dropped": [d for d in dropped if _paper_number(d) not in numbers]}
        out.append(t)
    return out


def _paper_number(line: str) -> str:
    found = _PAPER_LABEL.match(line)
    return found.group(1) if found else ""
