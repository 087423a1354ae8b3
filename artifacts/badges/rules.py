"""Who sees the badges leaving the evaluation (docs/artifacts.md, "Badges").

- The results pages (the conference's and each paper's) are public as the conference is: anyone
  who may view the conference reads them, and they show only published artifacts.
- A requested badge's outcome is everyone's who sees the artifact once it is published; before,
  only the unconflicted AE chairs and the assigned evaluators see it (a pending outcome).
- The stamped camera-ready: the paper's authors and the unconflicted (AE) chairs download it;
  an unconflicted (AE) chair asks for it to be stamped again.
- The badge metadata export: the AE chairs (and program chairs); it holds only what is public.

Objects are a ``StampedPaper``, an ``Artifact`` or a ``Submission`` unless said otherwise.
"""

from __future__ import annotations

import rules

from artifacts.rules import (
    conflicted_artifact_submission_ids,
    is_ae_manager,
    is_live_evaluator,
    is_published,
    is_unconflicted_manager,
)
from mlsys.conferences.rules import can_view_conference, conference_of
from mlsys.conferences.viewer import as_viewer
from submissions.rules import is_author


def _paper(obj):
    """The submission behind a stamped paper, an artifact or a submission."""
    return getattr(obj, "submission", obj)


@rules.predicate
def is_author_of_paper(user, obj=None) -> bool:
    return obj is not None and is_author(user, _paper(obj))


@rules.predicate
def is_unconflicted_manager_of_paper(user, obj=None) -> bool:
    """An AE chair or program chair of the paper's conference not conflicted with it (its
    conflicts and "conflict" bids on its artifact count)."""
    if obj is None:
        return False
    paper = _paper(obj)
    viewer = as_viewer(user)
    conference = conference_of(paper, viewer)
    return is_ae_manager(viewer, conference) and paper.pk not in (
        conflicted_artifact_submission_ids(viewer, conference)
    )


#: The public results pages and API (object: the conference).
rules.add_perm("artifacts.view_results", can_view_conference)
#: The badge metadata export, CSV and JSON (object: the conference).
rules.add_perm("artifacts.export_badges", is_ae_manager)
#: A requested badge's outcome (object: the artifact): public with the artifact once published.
rules.add_perm(
    "artifacts.view_badge_outcomes", is_published | is_unconflicted_manager | is_live_evaluator
)
#: Ask for the camera-ready to be stamped again (object: the artifact).
rules.add_perm("artifacts.stamp_paper", is_unconflicted_manager & is_published)
#: The stamped camera-ready and its status (object: the StampedPaper or the artifact).
rules.add_perm(
    "artifacts.download_stamped_paper", is_author_of_paper | is_unconflicted_manager_of_paper
)
