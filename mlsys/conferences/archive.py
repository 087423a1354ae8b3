"""Archived conferences are read-only for everyone but site staff.

The rule is enforced in one place per entry point: :func:`refusal` is asked by the pages'
mixin (mlsys.conferences.mixins.ConferenceMixin) for every non-GET request and by the API's
(mlsys.conferences.api.scoping.ConferenceScopedAPIMixin) for every unsafe method; background
work (the reminder tasks) skips archived conferences through :func:`active_conferences`.
Reading stays as before: the committee and the authors keep everything they could see.

:func:`archive` (chairs, site staff) and :func:`unarchive` (site staff only) are the only
writers of ``Conference.archived_at``; both are audited.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mlsys.conferences.models import Conference
from mlsys.conferences.rules import is_site_staff
from mlsys.conferences.viewer import acting
from mlsys.core import audit

MESSAGE = "This conference is archived: read-only."

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def refusal(user, conference: Conference, method: str) -> str | None:
    """Why ``user`` may not send a ``method`` request at ``conference`` (None: they may)."""
    if method.upper() in SAFE_METHODS or conference.archived_at is None:
        return None
    if is_site_staff(user):
        return None
    return MESSAGE


def active_conferences() -> QuerySet[Conference]:
    """Conferences not archived: the only ones background work writes to or emails about."""
    return Conference.objects.filter(archived_at__isnull=True)


def archive(*, conference: Conference, actor) -> Conference:
    """Make ``conference`` read-only. Chairs and site staff (``actor``: a viewer or a user);
    audited. Archiving an archived conference changes nothing."""
    viewer, actor = acting(actor)
    if not viewer.has_perm("conferences.archive_conference", conference):
        raise PermissionDenied("Only the conference's chairs or site staff can archive it.")
    with transaction.atomic():
        locked = Conference.objects.select_for_update().get(pk=conference.pk)
        if locked.archived_at is None:
            locked.archived_at = timezone.now()
            locked.save(update_fields=["archived_at", "updated_at"])
            audit.record(
                "conferences.archived",
                actor=actor,
                target=locked,
                conference=locked,
                changes={"archived_at": [None, locked.archived_at.isoformat()]},
            )
    conference.archived_at = locked.archived_at
    return conference


def unarchive(*, conference: Conference, actor) -> Conference:
    """Make ``conference`` writable again. Site staff only (``actor``: a viewer or a user);
    audited."""
    viewer, actor = acting(actor)
    if not viewer.has_perm("conferences.unarchive_conference", conference):
        raise PermissionDenied("Only site staff can unarchive a conference.")
    with transaction.atomic():
        locked = Conference.objects.select_for_update().get(pk=conference.pk)
        if locked.archived_at is not None:
            before = locked.archived_at.isoformat()
            locked.archived_at = None
            locked.save(update_fields=["archived_at", "updated_at"])
            audit.record(
                "conferences.unarchived",
                actor=actor,
                target=locked,
                conference=locked,
                changes={"archived_at": [before, None]},
            )
    conference.archived_at = locked.archived_at
    return conference
