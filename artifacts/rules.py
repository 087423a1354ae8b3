"""Who may see and do what in artifact evaluation (docs/artifacts.md, "Who sees what").

- The AE chairs (and the program chairs, who may run AE themselves) manage the evaluation; one
  conflicted with a paper (its author, a conflict of the paper, a "conflict" bid on its
  artifact) is kept away from that artifact: its evaluators, messages and verdicts.
- Evaluators see the artifacts they are assigned (plus the bidding metadata of the others) and
  never a review of the paper itself (they hold no reviewing role).
- Authors see their own artifact; evaluators are "Evaluator A/B/C" to them, never a name.
- The evaluators-only thread is the assigned evaluators' and the unconflicted AE chairs'.

Objects are an ``Artifact`` (or anything with an ``artifact`` attribute) unless said otherwise.
"""

from __future__ import annotations

import rules

from artifacts import enums
from mlsys.conferences.rules import conference_of, is_ae_chair, is_ae_evaluator, is_chair
from mlsys.conferences.viewer import as_viewer
from reviews.rules import load_conflicts
from submissions.rules import is_author


def _artifact(obj):
    return getattr(obj, "artifact", obj)


def load_artifact_conflicts(user, conference) -> frozenset[int]:
    """Ids of the conference's *submissions* ``user`` is conflicted with for artifact
    evaluation: the paper's own conflicts (authorship, conflict rows, "conflict" review bids)
    and "conflict" bids on its artifact."""
    # Imported here: artifacts.models imports this module (Meta.rules_permissions).
    from artifacts.models import ArtifactBid

    bids = ArtifactBid.objects.filter(
        user=user,
        artifact__conference=conference,
        preference=enums.BidPreference.CONFLICT,
    ).values_list("artifact__submission_id", flat=True)
    return load_conflicts(user, conference) | frozenset(bids)


def paper_conflict_bids():
    """The reviewing "conflict" bids on papers (a ``reviews.Bid`` queryset): they make the
    bidder conflicted with the paper's artifact too (:func:`load_artifact_conflicts`). The
    SQL forms of the conflicts (bidding, the assignment pool) read them through here."""
    from reviews.enums import BidValue
    from reviews.models import Bid

    return Bid.objects.filter(value=BidValue.CONFLICT)


def load_evaluating(user, conference) -> frozenset[int]:
    """Ids of the conference's artifacts ``user`` is a live evaluator of."""
    from artifacts.models import EvaluatorAssignment

    return frozenset(
        EvaluatorAssignment.objects.live()
        .filter(evaluator=user, artifact__conference=conference)
        .values_list("artifact_id", flat=True)
    )


def conflicted_artifact_submission_ids(user, conference) -> frozenset[int]:
    return as_viewer(user).fact(load_artifact_conflicts, conference)


def evaluating_artifact_ids(user, conference) -> frozenset[int]:
    return as_viewer(user).fact(load_evaluating, conference)


@rules.predicate
def is_artifact_conflicted(user, obj=None) -> bool:
    if obj is None:
        return False
    artifact = _artifact(obj)
    viewer = as_viewer(user)
    conference = conference_of(artifact, viewer)
    return artifact.submission_id in viewer.fact(load_artifact_conflicts, conference)


@rules.predicate
def is_assigned_evaluator(user, obj=None) -> bool:
    if obj is None:
        return False
    artifact = _artifact(obj)
    viewer = as_viewer(user)
    return artifact.pk in viewer.fact(load_evaluating, conference_of(artifact, viewer))


@rules.predicate
def is_artifact_author(user, obj=None) -> bool:
    return obj is not None and is_author(user, _artifact(obj).submission)


@rules.predicate
def is_artifact_lead(user, obj=None) -> bool:
    pk = getattr(user, "pk", None)
    return obj is not None and pk is not None and _artifact(obj).lead_id == pk


def _status_in(statuses, name):
    @rules.predicate(name=name)
    def predicate(user, obj=None) -> bool:
        return obj is not None and _artifact(obj).status in statuses

    return predicate


is_author_editable = _status_in(enums.AUTHOR_EDITABLE, "is_author_editable")
is_under_evaluation = _status_in(
    {
        enums.ArtifactStatus.KICK_THE_TIRES,
        enums.ArtifactStatus.AWAITING_AUTHOR,
        enums.ArtifactStatus.EVALUATING,
        enums.ArtifactStatus.DISCUSSION,
    },
    "is_under_evaluation",
)
is_published = _status_in({enums.ArtifactStatus.PUBLISHED}, "is_published")
is_open_thread = ~_status_in(
    {enums.ArtifactStatus.PUBLISHED, enums.ArtifactStatus.WITHDRAWN}, "is_closed_thread"
)

#: Runs AE at the conference (object: the conference or anything in it).
is_ae_manager = is_ae_chair | is_chair
#: Acts on one artifact as AE chair (object: the artifact).
is_unconflicted_manager = is_ae_manager & ~is_artifact_conflicted
is_live_evaluator = is_ae_evaluator & is_assigned_evaluator & ~is_artifact_conflicted

# --- Conference-wide ---------------------------------------------------------------------------
#: Settings, badges, committee, assignment, the overview (object: the conference).
rules.add_perm("artifacts.manage_ae", is_ae_manager)
#: The evaluator's own pages: hardware profile, bidding, "My artifacts" (object: the conference).
rules.add_perm("artifacts.evaluator_pages", is_ae_evaluator)

# --- One artifact --------------------------------------------------------------------------------
rules.add_perm("artifacts.act_on_artifact", is_unconflicted_manager)
rules.add_perm(
    "artifacts.view_artifact", is_artifact_author | is_live_evaluator | is_unconflicted_manager
)
rules.add_perm("artifacts.edit_artifact", is_artifact_author & is_author_editable)
#: Bidding metadata of an artifact (title, badges, hardware), not its access details.
rules.add_perm("artifacts.bid_on_artifact", is_ae_evaluator & ~is_artifact_conflicted)
#: The access secret (credentials): the authors, the assigned evaluators, unconflicted chairs.
rules.add_perm(
    "artifacts.view_access_secret",
    is_artifact_author | is_live_evaluator | is_unconflicted_manager,
)
rules.add_perm(
    "artifacts.view_author_thread", is_artifact_author | is_live_evaluator | is_unconflicted_manager
)
rules.add_perm(
    "artifacts.post_author_thread",
    (is_artifact_author | is_live_evaluator | is_unconflicted_manager) & is_open_thread,
)
rules.add_perm("artifacts.view_evaluator_thread", is_live_evaluator | is_unconflicted_manager)
rules.add_perm(
    "artifacts.post_evaluator_thread",
    (is_live_evaluator | is_unconflicted_manager) & is_open_thread,
)
#: Fill the kick-the-tires checklist and the full evaluation (object: the artifact).
rules.add_perm("artifacts.evaluate", is_live_evaluator & is_under_evaluation)
#: Propose the final badges (object: the artifact).
rules.add_perm("artifacts.propose_badges", is_live_evaluator & is_artifact_lead)
#: Evaluator identities (names on assignments, bids, verdicts): chairs only, never authors.
rules.add_perm("artifacts.view_evaluator_identities", is_unconflicted_manager)
