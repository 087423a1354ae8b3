"""Creating a submission and editing its metadata, authors, declared conflicts and answers."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from mlsys.conferences.enums import PC_ROLES, REVIEWING_ROLES, InvitationStatus
from mlsys.conferences.models import CommitteeMembership, Conference, Topic, Track
from mlsys.conferences.phases import Timeline
from mlsys.conferences.viewer import acting
from mlsys.core import audit
from mlsys.core.errors import Conflict as EditConflict
from mlsys.mail.services import queue_email
from submissions import enums
from submissions.conflicts import schedule_recompute
from submissions.models import Author, Conflict, ExtraField, Submission
from submissions.services.people import normalise_email, users_by_email

#: Statuses in which authors may still edit (before the deadline).
EDITABLE = frozenset({enums.Status.DRAFT, enums.Status.SUBMITTED})
TEXT_ANSWER_MAX = 2000


def submission_is_editable(submission: Submission, timeline: Timeline) -> bool:
    """Whether authors may change ``submission`` now: its details, authors and files.

    A draft or submitted paper, while the conference's submission phase takes updates (see
    ``Timeline.can_update_submission``). ``timeline`` is the conference's, at the moment asked.
    """
    return submission.status in EDITABLE and timeline.can_update_submission()


@dataclass(frozen=True)
class AuthorInput:
    """One row of the ordered author list."""

    name: str
    email: str
    affiliation: str = ""
    is_contact: bool = False


@dataclass(frozen=True)
class ConflictInput:
    """A PC member the authors declare a conflict with, and why (a ConflictReason value)."""

    user_id: int
    reason: str


def word_count(text: str) -> int:
    return len(text.split())


def pc_members(conference: Conference):
    """Accepted program-committee members an author can declare a conflict with."""
    from django.contrib.auth import get_user_model

    roles = set(PC_ROLES) | set(REVIEWING_ROLES)
    member_ids = CommitteeMembership.objects.filter(
        conference=conference, role__in=roles, status=InvitationStatus.ACCEPTED
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=member_ids).order_by("name", "email")


def snapshot(submission: Submission) -> dict:
    """The editable state of ``submission``, JSON-friendly: for audit diffs and edit conflicts."""
    return {
        "version": submission.version,
        "title": submission.title,
        "abstract": submission.abstract,
        "track": submission.track_id,
        "topics": sorted(t.pk for t in submission.topics.all()),
        "authors": [
            {
                "name": a.name,
                "email": a.email,
                "affiliation": a.affiliation,
                "is_contact": a.is_contact,
            }
            for a in submission.authors.order_by("order", "pk")
        ],
        "conflicts": sorted(
            [c.user_id, c.reason]
            for c in submission.conflicts.filter(source=enums.ConflictSource.AUTHOR_DECLARED)
        ),
        "extra_answers": submission.extra_answers,
    }


def create_submission(
    *,
    conference: Conference,
    actor,
    track: Track,
    title: str,
    abstract: str,
    topics: Iterable[Topic] = (),
    authors: Sequence[AuthorInput] | None = None,
    conflicts: Sequence[ConflictInput] = (),
    extra_answers: dict | None = None,
    now: datetime | None = None,
) -> Submission:
    """Register a new draft submission with the next free number of ``conference``.

    Allowed while the conference's timeline says new submissions may be registered. The
    submitter is always an author and a contact (prepended if ``authors`` leaves them out).
    Numbers are allocated under a lock on the conference row, so concurrent registrations never
    share one. Raises ValidationError (field-keyed) or PermissionDenied. Writes an audit event
    and queues the co-author notices.
    """
    viewer, actor = acting(actor)
    if not actor.is_authenticated:
        raise PermissionDenied("Log in to submit a paper.")
    if track.conference_id != conference.pk:
        raise ValidationError({"track": "This track belongs to another conference."})
    now = now or viewer.now  # the request's arrival time (mlsys.core.arrival)
    if not conference.timeline(now).can_register_submission():
        raise ValidationError(
            "Registration of new submissions is closed for this conference.", code="closed"
        )
    author_rows = _with_submitter(actor, authors)
    with transaction.atomic():
        Conference.objects.select_for_update(of=("self",)).filter(pk=conference.pk).first()
        last = Submission.objects.filter(conference=conference).aggregate(n=Max("number"))["n"]
        submission = Submission(
            conference=conference,
            track=track,
            number=(last or 0) + 1,
            title="",
            abstract="",
            created_by=actor,
        )
        _apply(
            submission,
            actor=actor,
            creating=True,
            track=track,
            title=title,
            abstract=abstract,
            topics=list(topics),
            authors=author_rows,
            conflicts=conflicts,
            extra_answers=extra_answers or {},
        )
        audit.record("submissions.created", actor=actor, target=submission)
    return submission


def update_submission(
    *,
    submission: Submission,
    actor,
    version: int,
    title: str | None = None,
    abstract: str | None = None,
    track: Track | None = None,
    topics: Iterable[Topic] | None = None,
    authors: Sequence[AuthorInput] | None = None,
    conflicts: Sequence[ConflictInput] | None = None,
    extra_answers: dict | None = None,
    now: datetime | None = None,
) -> Submission:
    """Change what the authors control; ``None`` leaves a part as it is.

    ``version`` is the value the caller read; if somebody saved in between, raises
    :class:`mlsys.core.errors.Conflict` with the current state in ``current`` and changes nothing.
    Only authors may edit, only while the submission is a draft or submitted and the
    submission phase is open (deadline plus grace, or a chair's switch). The author list is
    replaced as given (rows matched by email): at least one author and one contact remain and
    the acting author cannot remove themselves. Declared conflicts are replaced likewise;
    conflicts from other sources are untouched. Increments ``version``; writes an audit event
    with the diff; queues a notice to every newly added co-author.
    """
    viewer, actor = acting(actor)
    if not viewer.has_perm("submissions.change_submission", submission):
        raise PermissionDenied("Only the authors can edit this submission.")
    now = now or viewer.now  # the request's arrival time (mlsys.core.arrival)
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("conference", "track")
            .get(pk=submission.pk)
        )
        if locked.version != version:
            raise EditConflict(
                "Someone else changed this submission while you were editing it; "
                "here is their version. Your changes are still in the form: "
                "save again to replace theirs.",
                current=snapshot(locked),
            )
        timeline = locked.conference.timeline(now)
        if not submission_is_editable(locked, timeline):
            if locked.status not in EDITABLE:
                raise ValidationError(
                    f"A {locked.get_status_display().lower()} submission cannot be edited.",
                    code="status",
                )
            raise ValidationError(
                f"{timeline.submission_closed_words()}; the submission can no longer be changed.",
                code="closed",
            )
        before = snapshot(locked)
        _apply(
            locked,
            actor=actor,
            creating=False,
            track=track,
            title=title,
            abstract=abstract,
            topics=None if topics is None else list(topics),
            authors=None if authors is None else list(authors),
            conflicts=conflicts,
            extra_answers=extra_answers,
        )
        after = snapshot(locked)
        changes = {
            k: [before[k], after[k]] for k in after if k != "version" and before[k] != after[k]
        }
        audit.record("submissions.updated", actor=actor, target=locked, changes=changes)
    submission.refresh_from_db()
    return locked


def check_input(
    *,
    conference: Conference,
    actor,
    track: Track,
    submission: Submission | None = None,
    title: str | None = None,
    abstract: str | None = None,
    topics: Iterable[Topic] | None = None,
    authors: Sequence[AuthorInput] | None = None,
    conflicts: Sequence[ConflictInput] | None = None,
    extra_answers: dict | None = None,
) -> dict[str, list[str]]:
    """The field-keyed problems :func:`create_submission` (without ``submission``) or
    :func:`update_submission` would raise for this input, found without writing anything.

    ``None`` leaves a part unchecked, so a form whose other inputs did not even parse can
    still show every problem at once. Opening, permission and version checks are left to the
    writing functions.
    """
    creating = submission is None
    if submission is None:
        submission = Submission(conference=conference, track=track)
        if authors is not None:
            authors = _with_submitter(actor, authors)
    errors, *_ = _validate(
        submission,
        actor=actor,
        creating=creating,
        track=track,
        title=title,
        abstract=abstract,
        topics=None if topics is None else list(topics),
        authors=None if authors is None else list(authors),
        conflicts=conflicts,
        extra_answers=extra_answers,
    )
    return errors


def _with_submitter(actor, authors: Sequence[AuthorInput] | None) -> list[AuthorInput]:
    """The author rows, with the submitter prepended as a contact if they left themselves out."""
    rows = list(authors or [])
    if not any(normalise_email(a.email) == normalise_email(actor.email) for a in rows):
        submitter = AuthorInput(
            name=actor.name or actor.email,
            email=actor.email,
            affiliation=getattr(actor, "affiliation", ""),
            is_contact=True,
        )
        rows.insert(0, submitter)
    return rows


def _apply(
    submission: Submission,
    *,
    actor,
    creating: bool,
    track,
    title,
    abstract,
    topics,
    authors,
    conflicts,
    extra_answers,
) -> None:
    """Validate everything first (collecting field errors), then write."""
    track = track or submission.track
    errors, title, abstract, conflicts, extra_answers = _validate(
        submission,
        actor=actor,
        creating=creating,
        track=track,
        title=title,
        abstract=abstract,
        topics=topics,
        authors=authors,
        conflicts=conflicts,
        extra_answers=extra_answers,
    )
    if errors:
        raise ValidationError(errors)

    fields = ["version", "updated_at"]
    submission.track = track
    if title is not None:
        submission.title = title
    if abstract is not None:
        submission.abstract = abstract
    if extra_answers is not None:
        submission.extra_answers = extra_answers
    if creating:
        submission.save()
    else:
        submission.version += 1
        fields += ["track", "title", "abstract", "extra_answers"]
        submission.save(update_fields=fields)
    if topics is not None:
        submission.topics.set(topics)
    if authors is not None:
        _write_authors(submission, actor, authors)
        schedule_recompute(submission.conference)
    if conflicts is not None:
        _write_conflicts(submission, conflicts)


def _validate(
    submission: Submission,
    *,
    actor,
    creating: bool,
    track,
    title,
    abstract,
    topics,
    authors,
    conflicts,
    extra_answers,
) -> tuple[dict[str, list[str]], str | None, str | None, list | None, dict | None]:
    """Every problem with the input (field-keyed messages) and the normalised title,
    abstract, conflicts and answers. Reads only."""
    errors: dict[str, list[str]] = {}
    if track.conference_id != submission.conference_id:
        errors.setdefault("track", []).append("This track belongs to another conference.")
    if title is not None:
        title = " ".join(title.split())
        if not title:
            errors.setdefault("title", []).append("Give the paper a title.")
        elif len(title) > 300:
            errors.setdefault("title", []).append("Titles are at most 300 characters.")
    if abstract is not None:
        abstract = abstract.strip()
        words = word_count(abstract)
        if not abstract:
            errors.setdefault("abstract", []).append("Write an abstract.")
        elif words > track.abstract_word_limit:
            errors.setdefault("abstract", []).append(
                f"The abstract has {words} words; the {track} track allows at most "
                f"{track.abstract_word_limit}."
            )
    if topics is not None:
        foreign = [t for t in topics if t.conference_id != submission.conference_id]
        if foreign:
            errors.setdefault("topics", []).append("Choose topics of this conference.")
        if len(set(topics)) > track.max_topics:
            errors.setdefault("topics", []).append(
                f"Choose at most {track.max_topics} topics ({len(set(topics))} chosen)."
            )
    if authors is not None:
        _validate_authors(submission, actor, authors, creating, errors)
    if conflicts is not None:
        conflicts = _validate_conflicts(submission.conference, conflicts, errors)
    if extra_answers is not None or track.pk != submission.track_id:
        source = submission.extra_answers if extra_answers is None else extra_answers
        extra_answers = _validate_answers(track, source, errors)
    return errors, title, abstract, conflicts, extra_answers


def _validate_authors(submission, actor, authors, creating, errors) -> None:
    problems = errors.setdefault("authors", [])
    if not authors:
        problems.append("A submission needs at least one author.")
    seen: set[str] = set()
    for position, row in enumerate(authors, start=1):
        email = normalise_email(row.email)
        if not row.name.strip():
            problems.append(f"Author {position} needs a name.")
        if not email or "@" not in email:
            problems.append(f"Author {position} needs a valid email address.")
        elif email in seen:
            problems.append(f"{email} appears twice in the author list.")
        seen.add(email)
    if authors and not any(a.is_contact for a in authors):
        problems.append("Mark at least one author as a contact.")
    if not creating and submission.pk:
        mine = submission.authors.filter(user=actor).values_list("email", flat=True)
        mine = {normalise_email(e) for e in mine}
        if mine and not mine & seen:
            problems.append("You cannot remove yourself from the author list.")
    if not problems:
        del errors["authors"]


def _validate_conflicts(conference, conflicts, errors) -> list[ConflictInput]:
    allowed = set(pc_members(conference).values_list("pk", flat=True))
    reasons = set(enums.ConflictReason.values)
    result: dict[int, ConflictInput] = {}
    for row in conflicts:
        if row.user_id not in allowed:
            errors.setdefault("conflicts", []).append(
                "Conflicts can only be declared with members of the program committee."
            )
        elif row.reason not in reasons:
            errors.setdefault("conflicts", []).append("Choose a reason for each conflict.")
        else:
            result[row.user_id] = row
    return list(result.values())


def _validate_answers(track, answers: dict, errors) -> dict:
    cleaned: dict[str, object] = {}
    for field in ExtraField.objects.filter(track=track):
        key = f"extra_{field.pk}"
        value = answers.get(str(field.pk), answers.get(key))
        if field.kind == enums.ExtraFieldKind.CHECKBOX:
            value = bool(value)
            if field.required and not value:
                errors.setdefault(key, []).append("This box must be ticked.")
        else:
            value = "" if value is None else str(value).strip()
            if field.required and not value:
                errors.setdefault(key, []).append("This question needs an answer.")
            elif field.kind == enums.ExtraFieldKind.CHOICE and value:
                if value not in field.choice_list:
                    errors.setdefault(key, []).append("Choose one of the offered answers.")
            elif len(value) > TEXT_ANSWER_MAX:
                errors.setdefault(key, []).append(
                    f"At most {TEXT_ANSWER_MAX} characters ({len(value)} given)."
                )
        cleaned[str(field.pk)] = value
    return cleaned


def _write_authors(submission: Submission, actor, rows: Sequence[AuthorInput]) -> None:
    existing = {normalise_email(a.email): a for a in submission.authors.all()}
    wanted = [normalise_email(r.email) for r in rows]
    submission.authors.exclude(email__in=wanted).delete()
    accounts = users_by_email(e for e in wanted if e not in existing or not existing[e].user_id)
    added = []
    for order, row in enumerate(rows):
        email = normalise_email(row.email)
        author = existing.get(email)
        if author is None:
            author = Author.objects.create(
                submission=submission,
                order=order,
                name=row.name.strip(),
                email=email,
                affiliation=row.affiliation.strip(),
                is_contact=row.is_contact,
                user=accounts.get(email),
            )
            added.append(author)
            continue
        author.order = order
        author.name = row.name.strip()
        author.affiliation = row.affiliation.strip()
        author.is_contact = row.is_contact
        author.user = author.user or accounts.get(email)
        author.save(
            update_fields=["order", "name", "affiliation", "is_contact", "user", "updated_at"]
        )
    for author in added:
        if author.user_id and author.user_id == actor.pk:
            continue
        _notify_new_coauthor(submission, actor, author)


def _notify_new_coauthor(submission: Submission, actor, author: Author) -> None:
    from django.conf import settings

    queue_email(
        to=[author.email],
        key="submissions.coauthor_added",
        conference=submission.conference,
        context={
            "name": author.name,
            "added_by": actor.name or actor.email,
            "number": submission.number,
            "title": submission.title,
            "url": settings.SITE_URL + submission.get_absolute_url(),
            "account_hint": (
                "Log in to see and edit it."
                if author.user_id
                else f"Sign up with {author.email} to see and edit it."
            ),
        },
    )


def _write_conflicts(submission: Submission, rows: Sequence[ConflictInput]) -> None:
    declared = submission.conflicts.filter(source=enums.ConflictSource.AUTHOR_DECLARED)
    declared.exclude(user_id__in=[r.user_id for r in rows]).delete()
    current = {c.user_id: c for c in declared}
    for row in rows:
        conflict = current.get(row.user_id)
        if conflict is None:
            Conflict.objects.create(
                submission=submission,
                user_id=row.user_id,
                source=enums.ConflictSource.AUTHOR_DECLARED,
                reason=row.reason,
                state=enums.ConflictState.SUGGESTED,
            )
        elif conflict.reason != row.reason:
            conflict.reason = row.reason
            conflict.save(update_fields=["reason", "updated_at"])
