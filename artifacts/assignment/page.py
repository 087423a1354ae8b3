"""This package's section of the artifact page (artifacts/page): what its template
(templates/artifacts/detail/_assignment.html) reads, for this viewer.

- Unconflicted AE chairs (``artifacts.view_evaluator_identities``): the evaluators with their
  names, aliases, bids and hardware fit, and a link to change them.
- A live evaluator: their own alias and the other evaluators' aliases, nothing more.
- Authors (and anyone else): nothing — no evaluator identity ever reaches them here.
"""

from artifacts.assignment import hardware
from artifacts.assignment import pool as pools
from artifacts.rules import is_live_evaluator


def context(viewer, artifact) -> dict:
    if viewer.has_perm("artifacts.view_evaluator_identities", artifact):
        pool = pools.load(artifact.conference, [artifact])
        rows = []
        for a in pool.live(artifact):
            ok, reasons = pool.fit(artifact, a.evaluator_id)
            rows.append(
                {
                    "alias": a.alias,
                    "name": a.evaluator.name or a.evaluator.email,
                    "bid": pool.bid(artifact, a.evaluator_id),
                    "fits": ok,
                    "why_not": reasons,
                }
            )
        return {
            "assignment_section": {
                "chair": True,
                "evaluators": rows,
                "wanted": pool.settings.evaluators_per_artifact,
                "needs": hardware.needs(artifact),
            }
        }
    if is_live_evaluator(viewer, artifact):
        live = list(
            artifact.assignments.live().order_by("alias").values_list("evaluator_id", "alias")
        )
        mine = next((alias for uid, alias in live if uid == viewer.pk), "")
        return {
            "assignment_section": {
                "chair": False,
                "mine": mine,
                "others": [alias for uid, alias in live if uid != viewer.pk],
                "needs": hardware.needs(artifact),
            }
        }
    return {}
