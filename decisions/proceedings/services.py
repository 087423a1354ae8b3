"""Building the program booklet and the ZIP of final PDFs: every write of a ProceedingsBuild.

A chair starts a build (``start_build``: a queued row, then the ``decisions.build_proceedings``
task after commit); the task renders it (``run_build``) and stores the file as the protected
"proceedings" kind. The status follows ``decisions.enums.BUILD_TRANSITIONS``
through ``mlsys.core.transitions.transition``: a build abandoned as stale (no news for
``STALE_AFTER``) stays failed and its worker's late file is dropped. When a build is ready, the
files of older builds of its kind are removed (they are regenerated data, not anyone's work;
the rows stay, for the record).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from decisions import enums
from decisions.models import ProceedingsBuild
from decisions.proceedings import booklet, bundle, queries
from mlsys.celery import enqueue_on_commit
from mlsys.conferences.models import Conference
from mlsys.conferences.viewer import require
from mlsys.core import audit, transitions

logger = logging.getLogger(__name__)

B = enums.BuildStatus
K = enums.ProceedingsKind
#: How messages name each kind ("Building the booklet.").
NOUNS: dict[str, str] = {K.BOOKLET: "booklet", K.ZIP: "ZIP of final PDFs"}
#: A queued or running build silent this long is taken as abandoned (its worker died).
STALE_AFTER = timedelta(minutes=30)


class BuildRefused(Exception):
    """A build cannot start now; the message says why, for the chair."""


def _transition(build: ProceedingsBuild, status: str, *, action: str, actor=None, **fields) -> bool:
    return transitions.transition(
        build,
        status,
        table=enums.BUILD_TRANSITIONS,
        action=action,
        actor=actor,
        conference=build.conference,
        note=fields.get("message", ""),
        **fields,
    )


def start_build(conference: Conference, *, kind: str, actor) -> ProceedingsBuild:
    """Queue a build of ``kind`` (booklet or zip) and enqueue its task after commit.

    Chairs only (PermissionDenied). Refused (BuildRefused) while a build of that kind is queued
    or running; one silent for ``STALE_AFTER`` is marked failed first.
    """
    _, user = require(
        actor,
        "decisions.export_proceedings",
        conference,
        "Only the program chairs export the proceedings.",
    )
    if kind not in K.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(K.values)}."})
    with transaction.atomic():
        # Serialises concurrent clicks: the second one sees the first one's build.
        Conference.objects.select_for_update(of=("self",)).filter(pk=conference.pk).first()
        _abandon_stale(conference, kind)
        busy = queries.active_build(conference, kind)
        if busy is not None:
            raise BuildRefused(
                f"The {NOUNS[K(kind)]} is already being built "
                f"({busy.get_status_display().lower()}). Wait for that build to finish."
            )
        build = ProceedingsBuild.objects.create(conference=conference, kind=kind, started_by=user)
        audit.record(
            "proceedings.build_started",
            actor=user,
            target=build,
            conference=conference,
            changes={"kind": [None, kind]},
        )
        enqueue_on_commit("decisions.build_proceedings", build_id=build.pk)
    return build


def _abandon_stale(conference: Conference, kind: str) -> None:
    cutoff = timezone.now() - STALE_AFTER
    for build in ProceedingsBuild.objects.filter(
        conference=conference, kind=kind, status__in=queries.ACTIVE, updated_at__lt=cutoff
    ).select_related("conference"):
        _transition(
            build,
            B.FAILED,
            action="proceedings.build_finished",
            message="Abandoned: the build reported nothing for 30 minutes.",
            finished_at=timezone.now(),
        )


def run_build(build: ProceedingsBuild) -> ProceedingsBuild:
    """Render ``build`` and store its file; mark it ready (with papers, pages, size, missing
    PDFs and seconds) or failed with a message for the chair (details go to the log).

    Idempotent: a finished build is returned unchanged; a running one the queue restarts is
    rebuilt from scratch.
    """
    build = ProceedingsBuild.objects.select_related("conference").get(pk=build.pk)
    if not _transition(build, B.RUNNING, action="proceedings.build_status", message=""):
        return build
    started = time.perf_counter()
    try:
        fields = _render_and_store(build)
    except Exception as exc:
        # Whatever went wrong must end the build, or the chair's page would wait forever.
        logger.exception("Proceedings build %s failed", build.pk)
        message = f"The build failed ({type(exc).__name__}). The details are in the worker log."
        _transition(
            build,
            B.FAILED,
            action="proceedings.build_finished",
            message=message,
            finished_at=timezone.now(),
        )
        return build
    fields["seconds"] = round(time.perf_counter() - started, 2)
    with transaction.atomic():
        moved = _transition(
            build,
            B.READY,
            action="proceedings.build_finished",
            finished_at=timezone.now(),
            **fields,
        )
        if moved:
            older = list(
                ProceedingsBuild.objects.filter(conference=build.conference, kind=build.kind)
                .exclude(pk=build.pk)
                .exclude(file="")
            )
            ProceedingsBuild.objects.filter(pk__in=[b.pk for b in older]).update(file="")
            transaction.on_commit(lambda: _delete_files(older))
    if not moved:
        logger.warning("Proceedings build %s finished after it was abandoned; dropped", build.pk)
        build.file.storage.delete(fields["file"])
        build.refresh_from_db()
    return build


def _render_and_store(build: ProceedingsBuild) -> dict:
    conference = build.conference
    if build.kind == K.BOOKLET:
        result = booklet.render(conference)
        name = build.file.field.generate_filename(build, "booklet.pdf")
        stored = build.file.storage.save(name, ContentFile(result.pdf))
        return {
            "file": stored,
            "papers": result.papers,
            "pages": result.pages,
            "size": len(result.pdf),
            "missing": [],
        }
    zipped = bundle.write(conference)
    with zipped.file as handle:
        name = build.file.field.generate_filename(build, "final-pdfs.zip")
        size = handle.seek(0, 2)
        handle.seek(0)
        stored = build.file.storage.save(name, File(handle))
    return {
        "file": stored,
        "papers": zipped.papers,
        "pages": None,
        "size": size,
        "missing": zipped.missing,
    }


def _delete_files(builds: list[ProceedingsBuild]) -> None:
    for old in builds:
        try:
            old.file.storage.delete(old.file.name)
        except OSError:  # already gone: nothing to free
            logger.warning("Could not delete %s", old.file.name)
