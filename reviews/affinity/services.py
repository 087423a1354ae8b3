"""Starting and running affinity computations; every write to ``Affinity`` rows from a backend.

Scores are written under a temporary source (``~<run id>``) batch by batch, so progress is
visible while they are stored, then swapped in for the backend's source in one transaction: the
bidding page and the solver see either the previous scores or the new ones, never a mixture.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower, Substr
from django.utils import timezone
from scipy import sparse

from mlsys.celery import enqueue_on_commit
from mlsys.conferences.models import Conference
from mlsys.core import audit
from reviews.affinity import queries
from reviews.affinity.backends import (
    AffinityBackend,
    PaperText,
    Progress,
    ReviewerText,
    configured_backend_name,
    get_backend,
)
from reviews.affinity.status import transition
from reviews.enums import ProposalStatus
from reviews.models import Affinity, AffinityRun, Expertise, TopicInterest
from submissions.models import Author, Submission

logger = logging.getLogger(__name__)

#: Characters of extracted PDF text handed to backends (each backend may use less).
PAPER_TEXT_CHARS = 20_000
BATCH_SIZE = 2_000
#: A queued/running run that has not reported progress for this long is taken as abandoned
#: (its worker died), so it no longer blocks a new run.
STALE_AFTER = timedelta(minutes=30)
HISTOGRAM_BINS = 10
#: Pairs kept per paper and per reviewer (their union; 0 keeps every positive pair). With
#: TF-IDF nearly every pair shares some term, so "score > 0" alone stores papers × reviewers
#: rows; past a reviewer's best few hundred papers the scores are noise for bidding and the
#: solver, which read a missing pair as 0. See docs/affinity.md.
KEEP_PER_PAPER = 100
KEEP_PER_REVIEWER = 200

# Share of the progress bar per stage: loading texts, the backend, storing rows.
_LOADED, _SCORED = 0.05, 0.65


class RunRefused(Exception):
    """A run cannot be started now; the message says why, for the chair."""


@dataclass
class _Inputs:
    papers: list[PaperText]
    numbers: list[int]
    reviewers: list[ReviewerText]
    reviewer_users: list[dict]
    own_pairs: set[tuple[int, int]]


def start_run(
    conference: Conference, *, actor, backend: str | None = None, enqueue: bool = True
) -> AffinityRun:
    """Create a queued run and enqueue ``reviews.compute_affinities`` after commit (with
    ``enqueue=False`` the caller runs ``compute_affinities`` itself, as the command does).

    Refuses (``RunRefused``) while another run of the conference is queued or running; a run
    silent for ``STALE_AFTER`` is marked failed first so a dead worker cannot block forever.
    """
    name = backend or configured_backend_name()
    try:
        get_backend(name)
    except KeyError as exc:
        raise RunRefused(str(exc.args[0])) from exc
    with transaction.atomic():
        # Serialises concurrent clicks: the second one sees the first one's run.
        Conference.objects.select_for_update(of=("self",)).filter(pk=conference.pk).first()
        _abandon_stale_runs(conference)
        busy = queries.active_run(conference)
        if busy is not None:
            raise RunRefused(
                "Affinities are already being computed "
                f"({busy.get_status_display().lower()}, {busy.progress:.0%}). "
                "Wait for that run to finish."
            )
        run = AffinityRun.objects.create(conference=conference, backend=name, started_by=actor)
        audit.record("affinity.run_started", actor=actor, target=run, conference=conference)
        if enqueue:
            enqueue_on_commit("reviews.compute_affinities", run_id=run.pk)
    return run


def record_used_source(conference: Conference, source: str) -> None:
    """Make ``source`` the scores bidding and the solver read (inside the transaction that
    stored them or that a chair's choice is saved in)."""
    Conference.objects.filter(pk=conference.pk).update(affinity_source=source)
    conference.affinity_source = source


def use_source(conference: Conference, source: str, *, actor) -> None:
    """A chair's choice of the stored ``source`` bidding and the solver read (audited).

    Raises ``ValueError`` with a message for the chair when no such source is stored."""
    names = [row["source"] for row in queries.source_summary(conference)]
    if source not in names:
        raise ValueError("Choose one of the stored sources listed in the summary.")
    with transaction.atomic():
        previous = queries.used_among(conference, names)
        record_used_source(conference, source)
        audit.record(
            "affinity.source_used",
            actor=actor,
            target=conference,
            conference=conference,
            changes={"affinity_source": [previous, source]},
        )


def _abandon_stale_runs(conference: Conference) -> None:
    cutoff = timezone.now() - STALE_AFTER
    for run in conference.affinity_runs.filter(
        status__in=queries.ACTIVE_STATUSES, updated_at__lt=cutoff
    ):
        message = "Abandoned: no progress was reported for 30 minutes."
        if transition(
            run,
            ProposalStatus.FAILED,
            action="affinity.run_finished",
            note=message,
            message=message,
            finished_at=timezone.now(),
        ):
            Affinity.objects.filter(conference=conference, source=_temp_source(run)).delete()


def compute_affinities(run: AffinityRun, *, on_progress: Progress | None = None) -> AffinityRun:
    """Compute and store the scores of ``run``'s backend for every active submission × accepted
    PC member / area chair of its conference; mark the run ready with stats, or failed with a
    message for the chair (details go to the log).

    Idempotent: a run that is already finished is returned unchanged; re-running a run that was
    interrupted starts over and replaces that source's rows (never duplicates them). A run that
    finished meanwhile (abandoned as stale) keeps its status; this computation's rows are dropped.
    ``on_progress`` is also told every fraction written to ``run.progress`` (the command's bar).
    """
    run = AffinityRun.objects.select_related("conference").get(pk=run.pk)
    if not transition(run, ProposalStatus.RUNNING, progress=0, message=""):
        return run
    try:
        stats = _compute_and_store(run, on_progress)
    except Exception as exc:
        # The worker must record the failure on the run, whatever it was, or the chair's page
        # would poll a run that never ends. The traceback goes to the log, not to the page.
        logger.exception("Affinity run %s failed", run.pk)
        Affinity.objects.filter(conference=run.conference, source=_temp_source(run)).delete()
        return _finish(run, ProposalStatus.FAILED, message=_failure_message(exc))
    return _finish(run, ProposalStatus.READY, stats=stats)


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, MemoryError):
        return "The computation ran out of memory. Try a smaller text limit or a larger worker."
    if isinstance(exc, KeyError) and "affinity backend" in str(exc):
        return str(exc.args[0])
    return f"The computation failed ({type(exc).__name__}). The details are in the worker log."


def _finish(run: AffinityRun, status: str, *, message: str = "", stats=None) -> AffinityRun:
    """Move the run to its final ``status``; when it is ready, swap its scores in with it (one
    transaction). If the run is no longer running (abandoned as stale), it keeps its status
    and this computation's rows are deleted."""
    with transaction.atomic():
        if status == ProposalStatus.READY and _archived_since_started(run):
            status, message, stats = ProposalStatus.FAILED, ARCHIVED_MESSAGE, None
            Affinity.objects.filter(conference=run.conference, source=_temp_source(run)).delete()
        if status == ProposalStatus.READY:
            swap_s = _swap_in(run)
            stats["seconds"]["store"] = round(stats["seconds"]["store"] + swap_s, 2)
        fields = {"message": message, "finished_at": timezone.now()}
        if stats is not None:
            fields.update(stats=stats, progress=1.0)
        moved = transition(run, status, action="affinity.run_finished", note=message, **fields)
        if moved and status == ProposalStatus.READY and stats["pairs"]:
            # A run with no scores (no reviewer has expertise yet) must not switch bidding and
            # the solver from the scores they read to none.
            record_used_source(run.conference, run.backend)
        if not moved:
            transaction.set_rollback(True)  # undo the swap: the run is no longer running
    if not moved:
        logger.warning("Affinity run %s finished after it was abandoned; result dropped", run.pk)
        Affinity.objects.filter(conference=run.conference, source=_temp_source(run)).delete()
        run.refresh_from_db()
    return run


ARCHIVED_MESSAGE = "Not stored: the conference was archived (read-only) during this run."


def _archived_since_started(run: AffinityRun) -> bool:
    """Whether the conference was archived after the run was started: archived conferences are
    read-only and background work skips them (site staff may still start a run there)."""
    archived_at = (
        Conference.objects.select_for_update()
        .filter(pk=run.conference_id)
        .values_list("archived_at", flat=True)
        .get()
    )
    return archived_at is not None and archived_at > run.created_at


class _Progress:
    """Writes ``run.progress`` (outside any transaction, so the page sees it) when it has moved
    by at least a percent."""

    def __init__(self, run: AffinityRun, on_progress: Progress | None = None):
        self.run_id, self.last, self.on_progress = run.pk, 0.0, on_progress

    def __call__(self, value: float) -> None:
        value = max(0.0, min(value, 0.99))
        if value - self.last >= 0.01:
            self.last = value
            AffinityRun.objects.filter(pk=self.run_id).update(
                progress=round(value, 3), updated_at=timezone.now()
            )
            if self.on_progress:
                self.on_progress(value)


def _compute_and_store(run: AffinityRun, on_progress: Progress | None = None) -> dict:
    conference = run.conference
    progress = _Progress(run, on_progress)
    backend = get_backend(run.backend)
    started = time.perf_counter()
    inputs = load_inputs(conference)
    progress(_LOADED)
    matrix = backend.score(
        inputs.papers,
        inputs.reviewers,
        progress=lambda f: progress(_LOADED + (_SCORED - _LOADED) * f),
    )
    rows, cols, scores = _positive_pairs(matrix, inputs)
    positive = len(scores)
    keep = _top_pairs(
        rows,
        cols,
        scores,
        per_paper=getattr(settings, "AFFINITY_KEEP_PER_PAPER", KEEP_PER_PAPER),
        per_reviewer=getattr(settings, "AFFINITY_KEEP_PER_REVIEWER", KEEP_PER_REVIEWER),
    )
    rows, cols, scores = rows[keep], cols[keep], scores[keep]
    scored = time.perf_counter()
    progress(_SCORED)
    stored = store_scores(
        conference,
        backend,
        run,
        submission_ids=[inputs.papers[i].id for i in rows],
        user_ids=[inputs.reviewers[j].id for j in cols],
        scores=scores,
        progress=lambda f: progress(_SCORED + (1 - _SCORED) * f),
    )
    finished = time.perf_counter()
    stats = _stats(inputs, scores, stored, score_s=scored - started, store_s=finished - scored)
    stats["pairs_positive"] = positive
    return stats


def load_inputs(conference: Conference) -> _Inputs:
    """The texts of the conference's active submissions and of its reviewers' expertise (each
    reviewer's own papers, less those they set aside for this conference), with the topics the
    authors chose and the topic levels the reviewers declared (topic ids).

    Drafts, withdrawn and desk-rejected submissions are left out (drafts still change; the others
    are not reviewed). Six queries, whatever the number of papers and reviewers.
    """
    active = Submission.objects.active().filter(conference=conference)
    paper_topics: dict[int, list[int]] = {}
    for submission_id, topic_id in (
        Submission.topics.through.objects.filter(submission__in=active)
        .order_by("submission_id", "topic_id")
        .values_list("submission_id", "topic_id")
    ):
        paper_topics.setdefault(submission_id, []).append(topic_id)
    papers, numbers = [], []
    for pk, number, title, abstract, body in (
        active.annotate(body=Substr("current_paper__text", 1, PAPER_TEXT_CHARS))
        .order_by("number")
        .values_list("pk", "number", "title", "abstract", "body")
    ):
        papers.append(
            PaperText(
                id=pk,
                title=title,
                abstract=abstract,
                body=body or "",
                topics=tuple(paper_topics.get(pk, ())),
            )
        )
        numbers.append(number)
    users = list(queries.reviewers(conference).values("pk", "name", "email"))
    levels: dict[int, dict[int, int]] = {u["pk"]: {} for u in users}
    for user_id, topic_id, level in TopicInterest.objects.filter(
        conference=conference, user_id__in=levels, level__gt=0
    ).values_list("user_id", "topic_id", "level"):
        levels[user_id][topic_id] = level
    documents: dict[int, list[str]] = {u["pk"]: [] for u in users}
    for user_id, title, abstract in (
        Expertise.objects.used_at(conference)
        .filter(user_id__in=documents)
        .order_by("user_id", "pk")
        .values_list("user_id", "title", "abstract")
    ):
        documents[user_id].append(f"{title}\n{abstract}")
    reviewers = [
        ReviewerText(id=u["pk"], documents=tuple(documents[u["pk"]]), topics=levels[u["pk"]])
        for u in users
    ]
    own_pairs = _own_pairs(conference, users)
    return _Inputs(papers, numbers, reviewers, users, own_pairs)


def _own_pairs(conference: Conference, users: list[dict]) -> set[tuple[int, int]]:
    """(submission id, user id) of every reviewer who is an author of a submission, by linked
    account or by email."""
    by_email = {u["email"].lower(): u["pk"] for u in users}
    ids = set(by_email.values())
    pairs = set()
    for submission_id, user_id, email in (
        Author.objects.filter(submission__conference=conference)
        .annotate(email_lower=Lower("email"))
        .filter(Q(user_id__in=ids) | Q(email_lower__in=list(by_email)))
        .values_list("submission_id", "user_id", "email_lower")
    ):
        if user_id in ids:
            pairs.add((submission_id, user_id))
        if email in by_email:
            pairs.add((submission_id, by_email[email]))
    return pairs


def _positive_pairs(matrix, inputs: _Inputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row indices, column indices and scores of the pairs worth storing: score > 0, and not a
    reviewer on their own paper."""
    coo = sparse.coo_matrix(matrix)
    expected = (len(inputs.papers), len(inputs.reviewers))
    if coo.shape != expected:
        raise ValueError(f"Backend returned a {coo.shape} matrix, expected {expected}")
    keep = coo.data > 0
    rows, cols, data = coo.row[keep], coo.col[keep], coo.data[keep].astype(np.float64)
    if inputs.own_pairs and len(rows):
        paper_index = {p.id: i for i, p in enumerate(inputs.papers)}
        reviewer_index = {r.id: j for j, r in enumerate(inputs.reviewers)}
        width = len(inputs.reviewers)
        own = np.array(
            [
                paper_index[s] * width + reviewer_index[u]
                for s, u in inputs.own_pairs
                if s in paper_index and u in reviewer_index
            ],
            dtype=np.int64,
        )
        keep = ~np.isin(rows.astype(np.int64) * width + cols, own)
        rows, cols, data = rows[keep], cols[keep], data[keep]
    return rows, cols, np.minimum(data, 1.0)


def _top_pairs(
    rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, *, per_paper: int, per_reviewer: int
) -> np.ndarray:
    """Mask of the pairs among each paper's ``per_paper`` best reviewers or each reviewer's
    ``per_reviewer`` best papers (ties broken by position); a limit of 0 keeps everything."""
    if not per_paper or not per_reviewer:
        return np.ones(len(scores), dtype=bool)
    by_paper = _ranked_within(rows, scores) < per_paper
    by_reviewer = _ranked_within(cols, scores) < per_reviewer
    return by_paper | by_reviewer


def _ranked_within(groups: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Each pair's 0-based rank by descending score inside its group."""
    order = np.lexsort((-scores, groups))
    sorted_groups = groups[order]
    position = np.arange(len(order))
    is_start = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
    group_start = np.maximum.accumulate(np.where(is_start, position, 0))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = position - group_start
    return ranks


def store_scores(
    conference: Conference,
    backend: AffinityBackend,
    run: AffinityRun,
    *,
    submission_ids: list[int],
    user_ids: list[int],
    scores: np.ndarray,
    progress=None,
) -> int:
    """Store these pairs under the run's temporary source, batch by batch; returns the count.

    They replace the ``backend.name`` rows of the conference when the run becomes ready
    (``_swap_in``, in the transaction of that status change).
    """
    temp = _temp_source(run)
    Affinity.objects.filter(conference=conference, source=temp).delete()
    now = timezone.now()
    total = len(scores)
    for begin in range(0, total, BATCH_SIZE):
        end = min(begin + BATCH_SIZE, total)
        Affinity.objects.bulk_create(
            [
                Affinity(
                    conference=conference,
                    submission_id=submission_ids[i],
                    user_id=user_ids[i],
                    source=temp,
                    score=float(scores[i]),
                    computed_at=now,
                )
                for i in range(begin, end)
            ]
        )
        if progress:
            progress(0.9 * end / total)
    return total


def _swap_in(run: AffinityRun) -> float:
    """Delete the conference's old rows of the run's backend and rename the run's new ones;
    returns the seconds it took (counted in the run's "store" time)."""
    started = time.perf_counter()
    conference = run.conference
    Affinity.objects.filter(conference=conference, source=run.backend).delete()
    swapped = Affinity.objects.filter(conference=conference, source=_temp_source(run)).update(
        source=run.backend
    )
    seconds = time.perf_counter() - started
    logger.info("Affinity run %s: %s rows swapped in %.1f s", run.pk, swapped, seconds)
    return seconds


def _temp_source(run: AffinityRun) -> str:
    return f"~{run.pk}"


def _stats(inputs: _Inputs, scores: np.ndarray, stored: int, *, score_s: float, store_s: float):
    counts, edges = np.histogram(scores, bins=HISTOGRAM_BINS, range=(0.0, 1.0))
    return {
        "papers": len(inputs.papers),
        "reviewers": len(inputs.reviewers),
        "pairs": stored,
        "density": round(stored / max(1, len(inputs.papers) * len(inputs.reviewers)), 4),
        "reviewers_without_expertise": [
            {"id": u["pk"], "name": u["name"], "email": u["email"]}
            for u, r in zip(inputs.reviewer_users, inputs.reviewers, strict=True)
            if not r.documents
        ],
        "papers_without_text": [
            n for n, p in zip(inputs.numbers, inputs.papers, strict=True) if not p.body.strip()
        ],
        "own_pairs_skipped": len(inputs.own_pairs),
        "score": {
            "min": round(float(scores.min()), 4) if stored else None,
            "median": round(float(np.median(scores)), 4) if stored else None,
            "mean": round(float(scores.mean()), 4) if stored else None,
            "max": round(float(scores.max()), 4) if stored else None,
        },
        "histogram": [
            {"low": round(float(lo), 1), "high": round(float(hi), 1), "count": int(c)}
            for lo, hi, c in zip(edges[:-1], edges[1:], counts, strict=True)
        ],
        "seconds": {"score": round(score_s, 2), "store": round(store_s, 2)},
    }
