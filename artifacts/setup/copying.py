"""Starting next year's conference from this one (a ``mlsys.conferences.setup_copy`` hook,
registered from ``ArtifactsConfig.ready``): the AE settings and the active badges with their
combinations. The AE dates are conference deadlines and move with the conferences app's own
deadlines hook. One bulk write per kind; no audit event (the creation records one)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery

from artifacts.models import AESettings, Badge
from artifacts.setup.services import SETTINGS_FIELDS

SETTINGS = "artifact evaluation settings"
BADGES = "artifact badges"
ORDER = 50
COPIED_BADGE_FIELDS = (
    "key",
    "label",
    "description",
    "order",
    "colour",
    "checklist",
    "required_fields",
)


def preview(source) -> dict[str, int]:
    """What would be copied, in one query (nothing if the source never configured AE)."""
    active = (
        Badge.objects.filter(conference=OuterRef("conference"), active=True)
        .values("conference")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = (
        AESettings.objects.filter(conference=source)
        .annotate(badges=Subquery(active, output_field=IntegerField()))
        .values_list("badges", flat=True)
    )
    if not found:
        return {}
    return {SETTINGS: 1, BADGES: found[0] or 0}


def copy(context) -> dict[str, int]:
    source, target = context.source, context.target
    settings = AESettings.objects.filter(conference=source).first()
    if settings is None:
        return {}
    AESettings.objects.create(
        conference=target, **{name: getattr(settings, name) for name in SETTINGS_FIELDS}
    )
    olds = list(Badge.objects.filter(conference=source, active=True).order_by("order", "pk"))
    news = Badge.objects.bulk_create(
        Badge(conference=target, **{name: getattr(b, name) for name in COPIED_BADGE_FIELDS})
        for b in olds
    )
    mapped = {old.pk: new.pk for old, new in zip(olds, news, strict=True)}
    for relation in (Badge.requires.through, Badge.excludes.through):
        links = relation.objects.filter(from_badge_id__in=mapped, to_badge_id__in=mapped)
        relation.objects.bulk_create(
            relation(from_badge_id=mapped[a], to_badge_id=mapped[b])
            for a, b in links.values_list("from_badge_id", "to_badge_id")
        )
    return {SETTINGS: 1, BADGES: len(news)}
