"""What assigning evaluators reads, for a set of artifacts, in a fixed number of queries: the
accepted AE evaluators with their hardware profiles, loads and capacity, every bid, every
conflict and every assignment row (live or retired) on those artifacts.

A pair (artifact, evaluator) is **eligible** when the evaluator is not conflicted with the
paper (its author, an effective Conflict row — detected, declared, or from a "conflict" review
bid —, a "conflict" bid on the artifact), their hardware fits (artifacts.assignment.hardware)
and they hold no assignment row on the artifact yet. The solver is offered eligible pairs
only; a chair may add a misfit by hand with a stated reason, never a conflicted evaluator.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from artifacts import enums
from artifacts.assignment import hardware
from artifacts.models import (
    AESettings,
    Artifact,
    ArtifactBid,
    EvaluatorAssignment,
    HardwareProfile,
)
from artifacts.rules import paper_conflict_bids
from mlsys.accounts.models import User
from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.models import CommitteeMembership
from submissions import enums as sub_enums
from submissions.models import Author, Conflict

#: Artifacts the assignment fills: submitted up to the full evaluation, not withdrawn.
NEEDING = enums.NEEDS_EVALUATORS

#: The solver's quality of a pair by bid (no bid: ""). Eager > willing > none > reluctant.
BID_QUALITY = {
    enums.BidPreference.EAGER: 4.0,
    enums.BidPreference.WILLING: 3.0,
    "": 2.0,
    enums.BidPreference.RELUCTANT: 1.0,
}


@dataclass
class Evaluator:
    user: User
    max_load: int
    profile: HardwareProfile | None
    #: Live assignments at the conference (all artifacts, not only the pool's).
    load: int = 0
    #: ``load`` as the viewing chair may see it (:func:`hide_loads`): without the artifacts
    #: they are conflicted with. Only for display; the solver uses ``load``.
    shown_load: int | None = None

    @property
    def capacity(self) -> int:
        return max(self.max_load - self.load, 0)

    @property
    def name(self) -> str:
        return self.user.name or self.user.email


@dataclass
class Pool:
    conference: object
    settings: AESettings
    artifacts: list[Artifact]
    evaluators: dict[int, Evaluator]
    #: {(artifact id, user id): preference}
    bids: dict[tuple[int, int], str] = field(default_factory=dict)
    #: {(submission id, user id)} conflicted pairs
    conflicts: set[tuple[int, int]] = field(default_factory=set)
    #: {artifact id: [EvaluatorAssignment, ...]} live and retired, evaluator loaded
    rows: dict[int, list[EvaluatorAssignment]] = field(default_factory=dict)

    def live(self, artifact) -> list[EvaluatorAssignment]:
        return [a for a in self.rows.get(artifact.pk, []) if a.removed_at is None]

    def needed(self, artifact) -> int:
        """How many more evaluators the artifact needs."""
        return max(self.settings.evaluators_per_artifact - len(self.live(artifact)), 0)

    def is_conflicted(self, artifact, user_id: int) -> bool:
        return (artifact.submission_id, user_id) in self.conflicts

    def bid(self, artifact, user_id: int) -> str:
        return self.bids.get((artifact.pk, user_id), "")

    def fit(self, artifact, user_id: int) -> tuple[bool, list[str]]:
        evaluator = self.evaluators.get(user_id)
        return hardware.fit(evaluator.profile if evaluator else None, artifact)

    def has_row(self, artifact, user_id: int) -> bool:
        return any(a.evaluator_id == user_id for a in self.rows.get(artifact.pk, []))

    def eligible(self, artifact, user_id: int) -> bool:
        """The solver may pair them: unconflicted, fitting, not on the artifact already."""
        return (
            user_id in self.evaluators
            and not self.is_conflicted(artifact, user_id)
            and not self.has_row(artifact, user_id)
            and self.fit(artifact, user_id)[0]
        )


def evaluators_of(conference, settings: AESettings) -> dict[int, Evaluator]:
    """The accepted AE evaluators, with profiles and live loads (three queries)."""
    members = (
        CommitteeMembership.objects.filter(
            conference=conference, role=Role.AE_EVALUATOR, status=InvitationStatus.ACCEPTED
        )
        .select_related("user")
        .order_by("user__name", "user__email", "pk")
    )
    out = {
        m.user_id: Evaluator(
            user=m.user,
            max_load=m.max_load if m.max_load is not None else settings.evaluations_per_evaluator,
            profile=None,
        )
        for m in members
    }
    for profile in HardwareProfile.objects.filter(user_id__in=list(out)):
        out[profile.user_id].profile = profile
    loads = Counter(
        EvaluatorAssignment.objects.live()
        .filter(artifact__conference=conference, evaluator_id__in=list(out))
        .exclude(artifact__status=enums.ArtifactStatus.WITHDRAWN)
        .values_list("evaluator_id", flat=True)
    )
    for uid, evaluator in out.items():
        evaluator.load = loads[uid]
    return out


def hide_loads(conference, evaluators, hidden) -> None:
    """Set each evaluator's ``shown_load``: their load without their live assignments on the
    submissions ``hidden`` (those the viewing chair is conflicted with; one query, none when
    there are none). A load that counts them tells a conflicted chair who evaluates the paper
    (the load minus the assignments they can see)."""
    evaluators = list(evaluators)
    counts: Counter = Counter()
    if hidden and evaluators:
        counts = Counter(
            EvaluatorAssignment.objects.live()
            .filter(
                artifact__conference=conference,
                artifact__submission_id__in=list(hidden),
                evaluator_id__in=[e.user.pk for e in evaluators],
            )
            .exclude(artifact__status=enums.ArtifactStatus.WITHDRAWN)
            .values_list("evaluator_id", flat=True)
        )
    for evaluator in evaluators:
        evaluator.shown_load = evaluator.load - counts[evaluator.user.pk]


def conflicts_of(submission_ids, user_ids, conference) -> set[tuple[int, int]]:
    """Conflicted (submission, user) pairs among the given: authorship, an effective Conflict
    row, a "conflict" bid on the paper's artifact or on the paper in reviewing (four
    queries; the same conflicts as ``artifacts.rules.load_artifact_conflicts``)."""
    pairs: set[tuple[int, int]] = set()
    pairs.update(
        Author.objects.filter(submission_id__in=submission_ids, user_id__in=user_ids).values_list(
            "submission_id", "user_id"
        )
    )
    pairs.update(
        Conflict.objects.filter(
            submission_id__in=submission_ids, user_id__in=user_ids, state__in=sub_enums.EFFECTIVE
        ).values_list("submission_id", "user_id")
    )
    pairs.update(
        ArtifactBid.objects.filter(
            artifact__conference=conference,
            artifact__submission_id__in=submission_ids,
            user_id__in=user_ids,
            preference=enums.BidPreference.CONFLICT,
        ).values_list("artifact__submission_id", "user_id")
    )
    pairs.update(
        paper_conflict_bids()
        .filter(submission_id__in=submission_ids, user_id__in=user_ids)
        .values_list("submission_id", "user_id")
    )
    return pairs


def settings_of(conference) -> AESettings:
    """The conference's AE settings (defaults, unsaved, when it has none yet)."""
    return AESettings.objects.filter(conference=conference).first() or AESettings(
        conference=conference
    )


def load(conference, artifacts: list[Artifact], *, settings: AESettings | None = None) -> Pool:
    """The pool around ``artifacts`` (a fixed number of queries, whatever their number)."""
    settings = settings or settings_of(conference)
    evaluators = evaluators_of(conference, settings)
    ids = [a.pk for a in artifacts]
    submission_ids = [a.submission_id for a in artifacts]
    user_ids = list(evaluators)
    bids = {
        (aid, uid): pref
        for aid, uid, pref in ArtifactBid.objects.filter(artifact_id__in=ids).values_list(
            "artifact_id", "user_id", "preference"
        )
    }
    rows: dict[int, list[EvaluatorAssignment]] = defaultdict(list)
    for row in EvaluatorAssignment.objects.filter(artifact_id__in=ids).select_related("evaluator"):
        rows[row.artifact_id].append(row)
    # Conflicts of assigned people too (an evaluator who declared one after being assigned).
    people = set(user_ids) | {a.evaluator_id for rs in rows.values() for a in rs}
    return Pool(
        conference=conference,
        settings=settings,
        artifacts=list(artifacts),
        evaluators=evaluators,
        bids=bids,
        conflicts=conflicts_of(submission_ids, list(people), conference),
        rows=dict(rows),
    )


def needing(conference):
    """The conference's artifacts the assignment fills (``NEEDING``), by paper number."""
    return (
        Artifact.objects.filter(conference=conference, status__in=NEEDING)
        .select_related("submission")
        .order_by("submission__number")
    )
