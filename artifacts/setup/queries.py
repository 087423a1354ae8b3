"""The badge set as the AE chair's pages, the API and the services read it: in order, with the
combinations prefetched and how much each badge is used."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from artifacts.models import Badge, BadgeVerdict, RequestedBadge


def badges(conference) -> QuerySet[Badge]:
    """Every badge of the conference (retired ones too) with requires/excludes: three queries."""
    return (
        Badge.objects.filter(conference=conference)
        .order_by("order", "pk")
        .prefetch_related("requires", "excludes")
    )


def with_usage(conference) -> QuerySet[Badge]:
    """:func:`badges` annotated with ``request_count`` (artifacts that asked for it)."""
    return badges(conference).annotate(request_count=Count("requests", distinct=True))


@dataclass(frozen=True)
class Usage:
    requests: int
    verdicts: int


def badge_usage(badge: Badge) -> Usage:
    return Usage(
        requests=RequestedBadge.objects.filter(badge=badge).count(),
        verdicts=BadgeVerdict.objects.filter(badge=badge).count(),
    )


def set_warnings(rows: list[Badge]) -> list[str]:
    """What the AE chair should fix in the set (it saves, but offers a combination that cannot
    be met): active badges requiring a retired one."""
    warnings = []
    for badge in rows:
        if not badge.active:
            continue
        retired = [r.label for r in badge.requires.all() if not r.active]
        if retired:
            warnings.append(
                f"“{badge.label}” requires {', '.join(retired)}, which "
                f"{'is' if len(retired) == 1 else 'are'} retired: no artifact can get it. "
                "Restore the retired badge or edit the requirement."
            )
    return warnings


def requiring(badge: Badge) -> list[Badge]:
    """Badges that require ``badge`` (listed when it is retired or deleted)."""
    return list(badge.required_by.order_by("order", "pk"))
