"""The AE committee as its page, the API and the home page read it: memberships of the AE
roles with each person's hardware profile and live assignment count (one query per page)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from artifacts.models import EvaluatorAssignment
from mlsys.conferences.enums import Role
from mlsys.conferences.models import CommitteeMembership

AE_ROLES = (Role.AE_EVALUATOR, Role.AE_CHAIR)


def live_assignment_count(conference, user_ref: str = "user") -> Coalesce:
    """Live assignments of the row's user at ``conference`` (an annotation)."""
    counted = (
        EvaluatorAssignment.objects.live()
        .filter(artifact__conference=conference, evaluator=OuterRef(user_ref))
        .values("evaluator")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def ae_committee(conference) -> QuerySet[CommitteeMembership]:
    """AE chairs and evaluators (any invitation status), chairs first, by name."""
    return (
        CommitteeMembership.objects.filter(conference=conference, role__in=AE_ROLES)
        .select_related("user", "user__hardware_profile")
        .annotate(live_assignments=live_assignment_count(conference))
        .order_by("role", "user__name", "pk")
    )
