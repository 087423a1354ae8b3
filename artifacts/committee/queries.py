"""The AE committee as its page, the API and the home page read it: memberships of the AE
roles with each person's hardware profile and live assignment count (one query per page)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from artifacts.models import EvaluatorAssignment
from artifacts.rules import conflicted_artifact_submission_ids
from mlsys.conferences.enums import Role
from mlsys.conferences.models import CommitteeMembership

AE_ROLES = (Role.AE_EVALUATOR, Role.AE_CHAIR)


def live_assignment_count(
    conference, user_ref: str = "user", *, hidden: Iterable[int] = ()
) -> Coalesce:
    """Live assignments of the row's user at ``conference`` (an annotation), leaving out the
    artifacts of the submissions ``hidden`` (those the viewer is conflicted with: a count
    that includes them tells a conflicted chair who evaluates the paper)."""
    counted = (
        EvaluatorAssignment.objects.live()
        .filter(artifact__conference=conference, evaluator=OuterRef(user_ref))
        .exclude(artifact__submission_id__in=list(hidden))
        .values("evaluator")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def ae_committee(conference, viewer=None) -> QuerySet[CommitteeMembership]:
    """AE chairs and evaluators (any invitation status), chairs first, by name; the live
    assignment counts leave out the artifacts ``viewer`` is conflicted with."""
    hidden = conflicted_artifact_submission_ids(viewer, conference) if viewer else frozenset()
    return (
        CommitteeMembership.objects.filter(conference=conference, role__in=AE_ROLES)
        .select_related("user", "user__hardware_profile")
        .annotate(live_assignments=live_assignment_count(conference, hidden=hidden))
        .order_by("role", "user__name", "pk")
    )
