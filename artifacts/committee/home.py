"""The artifact-evaluation parts of the home page (mlsys.conferences.homepage providers):

- the AE chair's (and a program chair's, at a conference that runs AE) "Artifact evaluation":
  artifacts by status, links to the setup, the committee and the overview;
- the evaluator's: their hardware profile, live assignments, links to bidding and "My
  artifacts".

One provider: a fixed number of queries whatever the number of conferences and artifacts.
Pages built by other packages are linked only if their URL exists (``_url``)."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse

from artifacts import enums
from artifacts.models import AESettings, Artifact, EvaluatorAssignment, HardwareProfile
from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.homepage import LIMIT, Section
from mlsys.conferences.models import CommitteeMembership, Conference


def _url(name: str, conference) -> str:
    try:
        return reverse(name, kwargs={"conference": conference.slug})
    except NoReverseMatch:
        return ""


def _roles(user, *roles) -> Exists:
    return Exists(
        CommitteeMembership.objects.filter(
            conference=OuterRef("pk"), user=user, role__in=roles, status=InvitationStatus.ACCEPTED
        )
    )


def ae_sections(request) -> list[Section] | None:
    """The AE chair's and the evaluator's parts, per conference: one query for a visitor
    without an AE role, three at most otherwise."""
    user = request.user
    if not user.is_authenticated:
        return None
    live = (
        EvaluatorAssignment.objects.live()
        .filter(artifact__conference=OuterRef("pk"), evaluator=user)
        .values("evaluator")
        .annotate(n=Count("pk"))
        .values("n")
    )
    conferences = list(
        Conference.objects.filter(archived_at__isnull=True)
        .annotate(
            ae_chair=_roles(user, Role.AE_CHAIR),
            ae_program_chair=_roles(user, Role.PROGRAM_CHAIR)
            & Exists(AESettings.objects.filter(conference=OuterRef("pk"))),
            ae_evaluator=_roles(user, Role.AE_EVALUATOR),
        )
        .filter(Q(ae_chair=True) | Q(ae_program_chair=True) | Q(ae_evaluator=True))
        .annotate(ae_live=Coalesce(Subquery(live, output_field=IntegerField()), Value(0)))
        .order_by("-pk")[:LIMIT]
    )
    if not conferences:
        return None
    chaired = [c for c in conferences if c.ae_chair or c.ae_program_chair]
    evaluating = [c for c in conferences if c.ae_evaluator]
    sections = _chair_sections(chaired) if chaired else []
    if evaluating:
        sections += _evaluator_sections(user, evaluating)
    return sections


def _chair_sections(conferences) -> list[Section]:
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in conferences}
    rows = (
        Artifact.objects.filter(conference__in=conferences)
        .values("conference", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["conference"]][row["status"]] = row["n"]
    sections = []
    for conference in conferences:
        by_status = counts[conference.pk]
        sections.append(
            Section(
                "artifacts/committee/home_chair.html",
                {
                    "ae_conference": conference,
                    "ae_counts": [
                        (label, by_status[value])
                        for value, label in enums.ArtifactStatus.choices
                        if by_status.get(value)
                    ],
                    "ae_total": sum(by_status.values()),
                    "ae_links": {
                        "settings": _url("artifacts:settings", conference),
                        "badges": _url("artifacts:badges", conference),
                        "committee": _url("artifacts:committee", conference),
                        "overview": _url("artifacts:overview", conference),
                    },
                },
                conference_id=conference.pk,
            )
        )
    return sections


def _evaluator_sections(user, conferences) -> list[Section]:
    has_profile = HardwareProfile.objects.filter(user=user).exists()
    return [
        Section(
            "artifacts/committee/home_evaluator.html",
            {
                "ae_conference": conference,
                "ae_has_profile": has_profile,
                "ae_live": conference.ae_live,
                "ae_links": {
                    "hardware": _url("artifacts:hardware", conference),
                    "bidding": _url("artifacts:bidding", conference),
                    "mine": _url("artifacts:mine", conference),
                },
            },
            conference_id=conference.pk,
        )
        for conference in conferences
    ]
