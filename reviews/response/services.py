"""Every write to an author response: drafts (optimistic locking) and submission.

Invariants: only the paper's authors write, only while the response phase is open (checked
here, not only in the page), and a submitted response stays within the conference's word limit
counted over the general text and every per-review section together. Submitting (or
re-submitting an edited response) emails each non-conflicted reviewer of the paper.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.viewer import acting, as_viewer
from mlsys.core import audit
from mlsys.core.errors import Conflict
from mlsys.mail.services import queue_email
from reviews.enums import ResponseState
from reviews.models import AuthorResponse
from reviews.response.queries import author_reviews, reviewers_to_notify
from submissions import enums as sub_enums
from submissions.services.editing import word_count

SUBMITTED_KEY = "reviews.response_submitted"


def count_words(text: str, per_review: dict[str, str]) -> int:
    """Words of the whole response: the general text plus every per-review section."""
    return word_count(text or "") + sum(word_count(v or "") for v in (per_review or {}).values())


def current_state(response: AuthorResponse | None) -> dict:
    """What a stale editor is shown: the stored text, sections and version."""
    if response is None:
        return {"text": "", "per_review": {}, "version": 0, "state": ResponseState.DRAFT}
    return {
        "text": response.text,
        "per_review": dict(response.per_review),
        "version": response.version,
        "state": response.state,
    }


def _check_may_write(submission, actor) -> None:
    if submission.status not in sub_enums.ACTIVE or not as_viewer(actor).has_perm(
        "reviews.write_response", submission
    ):
        raise PermissionDenied("The response period is not open for this paper.")


def _clean_sections(submission, per_review) -> dict[str, str]:
    """Keep non-empty sections for reviews the authors can see; drop anything else."""
    allowed = {str(r.review_id) for r in author_reviews(submission)}
    return {
        str(key): value.strip()
        for key, value in (per_review or {}).items()
        if str(key) in allowed and isinstance(value, str) and value.strip()
    }


def _locked(submission, version: int) -> AuthorResponse | None:
    response = (
        AuthorResponse.objects.select_for_update(of=("self",)).filter(submission=submission).first()
    )
    stored = response.version if response else 0
    if version != stored:
        raise Conflict(
            "Somebody (perhaps a co-author) changed this response since you opened it.",
            current=current_state(response),
        )
    return response


def _apply(submission, response, text: str, sections: dict[str, str]) -> AuthorResponse:
    if response is None:
        return AuthorResponse.objects.create(
            submission=submission, text=text, per_review=sections, version=1
        )
    response.text = text
    response.per_review = sections
    response.version += 1
    return response


@transaction.atomic
def save_draft(submission, *, actor, text: str, per_review: dict, version: int) -> AuthorResponse:
    """Store a draft (over the word limit is allowed: only submitting enforces it).

    ``version`` is the one the editor last read (0 before the first save); a different stored
    version raises :class:`mlsys.core.errors.Conflict` and changes nothing. A submitted
    response is not turned back into a draft: its authors submit their changes instead.
    Drafts are not audited (autosave runs every few seconds); submissions are.
    """
    _check_may_write(submission, actor)
    response = _locked(submission, version)
    if response is not None and response.state == ResponseState.SUBMITTED:
        raise ValidationError(
            "This response was already submitted; submit your changes so the reviewers see them."
        )
    sections = _clean_sections(submission, per_review)
    response = _apply(submission, response, (text or "").strip(), sections)
    if response.version > 1:
        response.save(update_fields=["text", "per_review", "version", "updated_at"])
    return response


@transaction.atomic
def submit(submission, *, actor, text: str, per_review: dict, version: int) -> AuthorResponse:
    """Submit (or re-submit an edited) response and email the paper's reviewers.

    Raises PermissionDenied outside the response phase or for a non-author, Conflict for a
    stale ``version``, ValidationError when empty, over the word limit, or unchanged since the
    last submission (nothing to tell the reviewers).
    """
    viewer, actor = acting(actor)
    _check_may_write(submission, viewer)
    response = _locked(submission, version)
    text = (text or "").strip()
    sections = _clean_sections(submission, per_review)
    if not text and not sections:
        raise ValidationError({"text": "Write a response before submitting it."})
    limit = submission.conference.response_word_limit
    words = count_words(text, sections)
    if words > limit:
        raise ValidationError(
            {"text": f"The response has {words} words; the limit is {limit}. Shorten it."}
        )
    resubmitted = response is not None and response.state == ResponseState.SUBMITTED
    unchanged = response is not None and (response.text, response.per_review) == (text, sections)
    if resubmitted and unchanged:
        raise ValidationError("Nothing changed since you submitted the response.")
    before = response.state if response else None
    response = _apply(submission, response, text, sections)
    response.state = ResponseState.SUBMITTED
    response.submitted_at = timezone.now()
    response.submitted_by = actor
    response.save(
        update_fields=[
            "text",
            "per_review",
            "version",
            "state",
            "submitted_at",
            "submitted_by",
            "updated_at",
        ]
    )
    audit.record(
        "reviews.response_resubmitted" if resubmitted else "reviews.response_submitted",
        actor=actor,
        target=response,
        conference=submission.conference,
        changes={"state": [before, response.state], "words": [None, words]},
    )
    _notify_reviewers(submission, updated=resubmitted)
    return response


def _notify_reviewers(submission, *, updated: bool) -> None:
    conference = submission.conference
    kwargs = {"conference": conference.slug, "number": submission.number}
    # The paper page shows the response beside the reviews it answers; the review page is
    # where the reviewer updates their own.
    url = settings.SITE_URL + reverse("reviews:paper", kwargs=kwargs) + "#author-response"
    review_url = settings.SITE_URL + reverse("reviews:review", kwargs=kwargs)
    # One email per reviewer: reviewers of a paper may not know each other's identities.
    for reviewer in reviewers_to_notify(submission):
        queue_email(
            to=[reviewer.email],
            key=SUBMITTED_KEY,
            conference=conference,
            context={
                "name": reviewer.name or reviewer.email,
                "number": submission.number,
                "title": submission.title,
                "action": "updated their response" if updated else "submitted a response",
                "url": url,
                "review_url": review_url,
            },
        )
