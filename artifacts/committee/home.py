"""The artifact-evaluation parts of the home page (mlsys.conferences.homepage providers):

- the AE chair's (and a program chair's, at a conference that runs AE) "Artifact evaluation":
  artifacts by status, links to the setup, the committee and the overview;
- the evaluator's: their hardware profile, live assignments, links to bidding and "My
  artifacts".

Each provider costs a fixed number of queries whatever the number of conferences and artifacts.
Pages built by other packages are linked only if their URL exists (``_url``)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse

from artifacts import enums
from artifacts.models import AESettings, Artifact, HardwareProfile
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


def chair_section(request) -> list[Section] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    has_settings = Exists(AESettings.objects.filter(conference=OuterRef("pk")))
    conferences = list(
        Conference.objects.filter(
            _roles(user, Role.AE_CHAIR) | (_roles(user, Role.PROGRAM_CHAIR) & has_settings),
            archived_at__isnull=True,
        ).order_by("-pk")[:LIMIT]
    )
    if not conferences:
        return None
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in conferences}
    rows = (
        Artifact.objects.filter(conference__in=conferences)
        .values("conference", "status")
        .annotate(n=Count("pk"))
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


def evaluator_section(request) -> list[Section] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    conferences = list(
        Conference.objects.filter(_roles(user, Role.AE_EVALUATOR), archived_at__isnull=True)
        .annotate(
            live=Count(
                "artifacts__assignments",
                filter=Q(
                    artifacts__assignments__evaluator=user,
                    artifacts__assignments__removed_at__isnull=True,
                ),
            )
        )
        .order_by("-pk")[:LIMIT]
    )
    if not conferences:
        return None
    has_profile = HardwareProfile.objects.filter(user=user).exists()
    return [
        Section(
            "artifacts/committee/home_evaluator.html",
            {
                "ae_conference": conference,
                "ae_has_profile": has_profile,
                "ae_live": conference.live,
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
