"""Chairs' bulk actions on submissions. Each status change goes through the one submission
service (``submissions.services.change_status``); these only batch it and manage tags."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mlsys.conferences.viewer import acting
from mlsys.core import audit
from submissions import enums
from submissions.models import Submission, Tag
from submissions.services import change_status


def _require_chair(actor, conference) -> None:
    if not actor.has_perm("submissions.manage_submissions", conference):
        raise PermissionDenied("Only the program chairs manage submissions.")


def bulk_desk_reject(*, conference, numbers: Sequence[int], actor, reason: str) -> list[Submission]:
    """Desk-reject the submissions ``numbers`` of ``conference``, all or none.

    Calls ``change_status`` for each (which audits and queues the author email); any refusal
    rolls the whole batch back and is re-raised naming the paper.
    """
    viewer, _user = acting(actor)
    _require_chair(viewer, conference)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason the authors will read."})
    done = []
    with transaction.atomic():
        submissions = Submission.objects.filter(conference=conference, number__in=numbers)
        for submission in submissions.order_by("number"):
            try:
                done.append(
                    change_status(
                        submission=submission,
                        actor=viewer,
                        to=enums.Status.DESK_REJECTED,
                        reason=reason.strip(),
                    )
                )
            except ValidationError as exc:
                raise ValidationError(
                    f"#{submission.number}: {' '.join(exc.messages)} Nothing was changed."
                ) from exc
            except PermissionDenied as exc:
                raise ValidationError(f"#{submission.number}: {exc} Nothing was changed.") from exc
    return done


def _refuse_conflicted(viewer, submissions) -> None:
    """All or none: name the papers ``viewer`` is conflicted with, if any."""
    conflicted = [
        s.number for s in submissions if not viewer.has_perm("submissions.act_on_submission", s)
    ]
    if conflicted:
        numbers = ", ".join(f"#{n}" for n in sorted(conflicted))
        raise ValidationError(
            f"You are conflicted with {numbers}; another chair must act on "
            f"{'them' if len(conflicted) > 1 else 'it'}. Nothing was changed."
        )


def set_tag(
    *, conference, numbers: Sequence[int], actor, name: str, add: bool
) -> tuple[Tag | None, int]:
    """Add (creating the tag if needed) or remove tag ``name`` on the submissions ``numbers``.

    Returns the tag and how many submissions changed; audits one ``submissions.tagged`` or
    ``submissions.untagged`` event per changed submission. All or none: refused (naming them)
    when the actor is conflicted with any of the papers.
    """
    viewer, actor = acting(actor)
    _require_chair(viewer, conference)
    name = " ".join(name.split())[:50]
    if not name:
        raise ValidationError({"tag": "Name the tag."})
    with transaction.atomic():
        if add:
            tag, _ = Tag.objects.get_or_create(conference=conference, name=name)
        else:
            tag = Tag.objects.filter(conference=conference, name=name).first()
            if tag is None:
                return None, 0
        submissions = list(
            Submission.objects.filter(conference=conference, number__in=numbers).select_related(
                "conference"
            )
        )
        _refuse_conflicted(viewer, submissions)
        through = Submission.tags.through
        tagged = set(
            through.objects.filter(tag=tag, submission__in=submissions).values_list(
                "submission_id", flat=True
            )
        )
        if add:
            changed = [s for s in submissions if s.pk not in tagged]
            through.objects.bulk_create(
                [through(submission_id=s.pk, tag_id=tag.pk) for s in changed]
            )
        else:
            changed = [s for s in submissions if s.pk in tagged]
            through.objects.filter(tag=tag, submission__in=[s.pk for s in changed]).delete()
        for submission in changed:
            audit.record(
                "submissions.tagged" if add else "submissions.untagged",
                actor=actor,
                target=submission,
                conference=conference,
                changes={"tags": [name]},
            )
    return tag, len(changed)
