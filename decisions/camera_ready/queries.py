"""Reading camera-readies: the final PDF of one paper or of a whole conference (the proceedings
export reads these two), each paper's checklist, the final author list and what changed in it
since submission, and the chairs' overview queryset."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Subquery, When

from decisions import enums
from decisions.models import CameraReady, LicenceText
from mlsys.conferences.enums import DeadlineKind, Phase, PhaseMode
from submissions.enums import CheckStatus, FileKind, Status
from submissions.models import Submission, SubmissionFile

S = enums.ShepherdStatus
#: A camera-ready version in one of these states can be the final one: a version that violates
#: the camera-ready format (or is no PDF) never replaces a good one.
FINAL_OK = frozenset({CheckStatus.PASSED, CheckStatus.WARNINGS})

# --- The final PDF -------------------------------------------------------------------------


def usable_camera_readies() -> QuerySet[SubmissionFile]:
    return SubmissionFile.objects.filter(
        kind=FileKind.CAMERA_READY, check_status__in=FINAL_OK
    ).order_by("-created_at", "-pk")


def final_pdf(submission: Submission) -> SubmissionFile | None:
    """The paper's final version: its newest camera-ready upload that passed the check (with
    or without warnings), or None. One query."""
    return usable_camera_readies().filter(submission=submission).first()


def newer_versions_waiting(final: SubmissionFile) -> QuerySet[SubmissionFile]:
    """The camera-ready versions uploaded after ``final`` that still wait for their check:
    any of them that passes becomes the final PDF in its place."""
    return SubmissionFile.objects.filter(
        Q(created_at__gt=final.created_at) | Q(created_at=final.created_at, pk__gt=final.pk),
        submission_id=final.submission_id,
        kind=FileKind.CAMERA_READY,
        check_status=CheckStatus.PENDING,
    )


def final_pdfs(conference) -> dict[int, SubmissionFile]:
    """{submission id: final version} for every accepted paper of ``conference`` that has one
    (see :func:`final_pdf`). One query whatever the number of papers."""
    found: dict[int, SubmissionFile] = {}
    files = usable_camera_readies().filter(
        submission__conference=conference, submission__status=Status.ACCEPTED
    )
    for file in files.defer("text"):
        found.setdefault(file.submission_id, file)
    return found


def camera_ready_versions(submission: Submission) -> list[SubmissionFile]:
    """Every camera-ready upload of the paper, newest first (the page's version list)."""
    return list(
        SubmissionFile.objects.filter(submission=submission, kind=FileKind.CAMERA_READY)
        .select_related("uploaded_by")
        .defer("text")
        .order_by("-created_at", "-pk")
    )


def camera_ready_of(submission: Submission) -> CameraReady | None:
    """The paper's camera-ready row, or None before anyone acted on it (no query when selected
    with ``select_related("camera_ready")``)."""
    try:
        return submission.camera_ready
    except CameraReady.DoesNotExist:
        return None


def current_licence(conference) -> LicenceText | None:
    """The newest version of the conference's licence terms, or None when the chairs set none."""
    return LicenceText.objects.filter(conference=conference).order_by("-version").first()


# --- Authors ------------------------------------------------------------------------------


def submitted_authors(submission: Submission) -> list[dict[str, str]]:
    """The author list as submitted (the Author rows, in order)."""
    return [
        {"name": a.name, "email": a.email, "affiliation": a.affiliation}
        for a in submission.authors.all()
    ]


def final_authors(submission: Submission, camera_ready: CameraReady | None = None) -> list[dict]:
    """The final author list: the authors' edited one, else the list as submitted."""
    camera_ready = camera_ready if camera_ready is not None else camera_ready_of(submission)
    if camera_ready is not None and camera_ready.final_authors:
        return list(camera_ready.final_authors)
    return submitted_authors(submission)


def author_changes(before: list[dict], after: list[dict]) -> list[str]:
    """What changed from ``before`` to ``after`` (people matched by email), in words: added,
    removed, renamed, new affiliation, new order."""
    key = _email_key
    old = {key(a): a for a in before}
    new = {key(a): a for a in after}
    changes = [f"Removed: {a['name']} <{a['email']}>" for k, a in old.items() if k not in new]
    changes += [f"Added: {a['name']} <{a['email']}>" for k, a in new.items() if k not in old]
    for k, a in new.items():
        was = old.get(k)
        if was is None:
            continue
        if was["name"] != a["name"]:
            changes.append(f"Name of {a['email']}: “{was['name']}” → “{a['name']}”")
        if (was.get("affiliation") or "") != (a.get("affiliation") or ""):
            changes.append(
                f"Affiliation of {a['name']}: “{was.get('affiliation') or '—'}” → "
                f"“{a.get('affiliation') or '—'}”"
            )
    kept_old = [k for k in old if k in new]
    kept_new = [k for k in new if k in old]
    if kept_old != kept_new:
        changes.append("Order: " + ", ".join(new[k]["name"] for k in new))
    return changes


def removed_authors(before: list[dict], after: list[dict]) -> list[dict]:
    emails = {_email_key(a) for a in after}
    return [a for a in before if _email_key(a) not in emails]


def _email_key(author: dict) -> str:
    return (author.get("email") or "").strip().lower()


# --- The checklist ------------------------------------------------------------------------


@dataclass
class Checklist:
    """An accepted paper's camera-ready state: each item done or not; ``shepherd`` is None when
    the paper has no shepherd (nothing to wait for)."""

    pdf: bool
    authors: bool
    licence: bool
    shepherd: bool | None
    pdf_state: str = ""
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.pdf and self.authors and self.licence and self.shepherd is not False


def checklist(
    camera_ready: CameraReady | None, *, has_final: bool, pdf_state: str = ""
) -> Checklist:
    """The checklist from the paper's camera-ready row and whether it has a final PDF."""
    shepherd: bool | None = None
    if camera_ready is not None and camera_ready.status != S.NONE:
        shepherd = camera_ready.status == S.APPROVED
    result = Checklist(
        pdf=has_final,
        authors=bool(camera_ready and camera_ready.authors_confirmed_at),
        licence=bool(camera_ready and camera_ready.licence_id),
        shepherd=shepherd,
        pdf_state=pdf_state,
    )
    if not result.pdf:
        result.missing.append("a final PDF that passes the camera-ready check")
    if not result.authors:
        result.missing.append("confirming the final author list")
    if not result.licence:
        result.missing.append("accepting the licence")
    if result.shepherd is False:
        result.missing.append("the shepherd's approval")
    return result


def paper_checklist(submission: Submission) -> Checklist:
    """One paper's checklist, read fresh from the database (two queries)."""
    final = final_pdf(submission)
    row = CameraReady.objects.filter(submission=submission).first()
    return checklist(row, has_final=final is not None)


# --- The chairs' overview -----------------------------------------------------------------

FILTERS = {
    "incomplete": "Incomplete",
    "missing_licence": "Missing licence",
    "awaiting_shepherd": "Awaiting shepherd",
    "complete": "Complete",
}


def _complete_q() -> Q:
    return (
        Q(has_final=True)
        & Q(camera_ready__authors_confirmed_at__isnull=False)
        & Q(camera_ready__licence__isnull=False)
        & Q(camera_ready__status__in=[S.NONE, S.APPROVED])
    )


def accepted_papers(conference) -> QuerySet[Submission]:
    """The conference's accepted papers with what the overview shows: the camera-ready row
    (shepherd, licence), whether a final PDF exists, the newest camera-ready upload's check
    status and whether everything is done. One query for any page of it."""
    finals = usable_camera_readies().filter(submission=OuterRef("pk"))
    newest = SubmissionFile.objects.filter(
        submission=OuterRef("pk"), kind=FileKind.CAMERA_READY
    ).order_by("-created_at", "-pk")
    return (
        conference.submissions.filter(status=Status.ACCEPTED)
        .select_related("track", "camera_ready__shepherd", "camera_ready__licence")
        .annotate(
            has_final=Exists(finals),
            newest_check=Subquery(newest.values("check_status")[:1]),
        )
        .annotate(
            is_complete=Case(
                When(_complete_q(), then=True), default=False, output_field=BooleanField()
            )
        )
        .order_by("number")
    )


def filtered(papers: Any, name: str, hidden: Any = ()) -> Any:
    """``papers`` narrowed to one of :data:`FILTERS`; ``hidden`` paper ids (the viewer's
    conflicts) never match a filter: their state is not the viewer's to know."""
    if name not in FILTERS:
        return papers
    if hidden:
        papers = papers.exclude(pk__in=hidden)
    if name == "incomplete":
        return papers.filter(is_complete=False)
    if name == "complete":
        return papers.filter(is_complete=True)
    if name == "missing_licence":
        return papers.filter(camera_ready__licence__isnull=True)
    return papers.filter(camera_ready__status=S.PENDING)


def row_checklist(paper: Any) -> Checklist:
    """The checklist of a row of :func:`accepted_papers` (no query)."""
    return checklist(
        camera_ready_of(paper), has_final=bool(paper.has_final), pdf_state=paper.newest_check or ""
    )


# --- The phase, in words --------------------------------------------------------------------


def phase_state(conference) -> str:
    """Where the camera-ready phase stands, to tell authors and chairs the right thing:
    ``open``; ``upcoming`` (follows the clock and opens at the decision deadline); ``held``
    (a chair switched it closed before its deadline); ``closed`` (its deadline has passed)."""
    timeline = conference.timeline()
    if timeline.is_open(Phase.CAMERA_READY):
        return "open"
    due = conference.deadline_map().get(DeadlineKind.CAMERA_READY)
    if due is None or due.at > timeline.now:
        if timeline.mode(Phase.CAMERA_READY) == PhaseMode.CLOSED:
            return "held"
        return "upcoming"
    return "closed"
