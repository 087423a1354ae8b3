"""What a decision letter says, and which letters a chair works on.

A letter holds only what the paper's authors may read once its decision is released: the
outcome's label, the submitted meta-review's summary and the author-visible answers of the
reviews under "Reviewer A/B/…" (reviews.response.queries.author_reviews: the rows carry no
reviewer, so no template can print a name).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, QuerySet
from django.urls import reverse

from decisions import enums
from decisions.models import Decision, LetterEmail
from mlsys.mail.models import OutboundEmail
from reviews.enums import ReviewState
from reviews.models import MetaReview
from reviews.response.queries import AuthorReview, author_reviews
from reviews.rules import conflicted_submission_ids
from submissions.enums import Status
from submissions.models import Submission

#: What ``{meta_review}`` says when the paper has no submitted meta-review summary.
NO_META_REVIEW = "(No meta-review was written for this paper.)"
#: Statuses of a paper whose decision is released (the status changes only at release).
RELEASED_STATUSES = (Status.ACCEPTED, Status.REJECTED)


@dataclass
class LetterContent:
    submission: Submission
    decision: Decision
    meta_review: str
    reviews: list[AuthorReview] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return self.decision.outcome.label

    @property
    def accepted(self) -> bool:
        return self.decision.outcome.accepts


def released_decisions(conference, viewer=None) -> QuerySet[Decision]:
    """The conference's released decisions whose paper is accepted or rejected, in paper order;
    with ``viewer``, without the papers that viewer is conflicted with."""
    decisions = (
        Decision.objects.filter(
            submission__conference=conference,
            status=enums.DecisionStatus.RELEASED,
            submission__status__in=RELEASED_STATUSES,
        )
        .select_related("submission", "outcome")
        .order_by("submission__number")
    )
    if viewer is not None:
        decisions = decisions.exclude(
            submission_id__in=conflicted_submission_ids(viewer, conference)
        )
    return decisions


def meta_review_summary(submission) -> str:
    meta = (
        MetaReview.objects.filter(submission=submission, state=ReviewState.SUBMITTED)
        .only("summary")
        .first()
    )
    return meta.summary.strip() if meta and meta.summary.strip() else ""


def letter_content(decision: Decision) -> LetterContent:
    """Everything a letter shows (four queries: the meta-review, the reviews' labels, the
    reviews and their form fields)."""
    submission = decision.submission
    return LetterContent(
        submission=submission,
        decision=decision,
        meta_review=meta_review_summary(submission),
        reviews=author_reviews(submission),
    )


def reviews_text(reviews: list[AuthorReview]) -> str:
    """The reviews as plain text for an email: each under its "Reviewer A" heading."""
    if not reviews:
        return "(No reviews.)"
    parts = []
    for review in reviews:
        lines = [review.label, "-" * len(review.label)]
        for answer in review.answers:
            if answer.is_text:
                lines.append(f"{answer.question}:")
                lines.append(str(answer.value).strip())
            else:
                lines.append(f"{answer.question}: {answer.value}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def paper_url(submission) -> str:
    return settings.SITE_URL + reverse(
        "submissions:detail",
        kwargs={"conference": submission.conference.slug, "number": submission.number},
    )


def email_context(content: LetterContent, *, name: str) -> dict[str, object]:
    submission = content.submission
    return {
        "name": name,
        "number": submission.number,
        "title": submission.title,
        "decision": content.outcome,
        "meta_review": content.meta_review or NO_META_REVIEW,
        "reviews": reviews_text(content.reviews),
        "url": paper_url(submission),
    }


def recipients(submission) -> list[tuple[str, str]]:
    """(address, name) of each of the paper's authors, one per address, in author order."""
    seen: dict[str, str] = {}
    for author in submission.authors.select_related("user").order_by("order", "pk"):
        address = (author.user.email if author.user else author.email).strip().lower()
        if address and address not in seen:
            seen[address] = author.name or (author.user.name if author.user else "") or address
    return list(seen.items())


def letter_emails(conference, viewer) -> QuerySet[LetterEmail]:
    """The conference's prepared letters a chair may see (not those of papers they are
    conflicted with), with their outbox row and paper, in paper then address order."""
    return (
        LetterEmail.objects.filter(decision__submission__conference=conference)
        .exclude(decision__submission_id__in=conflicted_submission_ids(viewer, conference))
        .select_related("email", "decision__submission", "decision__outcome")
        .order_by("decision__submission__number", "recipient")
    )


def held(conference, viewer) -> QuerySet[LetterEmail]:
    return letter_emails(conference, viewer).filter(email__status=OutboundEmail.Status.HELD)


def letter_counts(conference, viewer) -> dict[str, int]:
    """How many prepared letters the chair sees are held, queued (pending or sending), sent and
    failed, and how many released papers they may prepare letters for (two queries)."""
    counts = {"held": 0, "queued": 0, "sent": 0, "failed": 0}
    S = OutboundEmail.Status
    bucket = {S.HELD: "held", S.PENDING: "queued", S.SENDING: "queued", S.SENT: "sent"}
    rows = (
        letter_emails(conference, viewer)
        .order_by()
        .values_list("email__status")
        .annotate(n=Count("pk"))
    )
    for status, n in rows:
        counts[bucket.get(status, "failed")] += n
    counts["released"] = released_decisions(conference, viewer).count()
    return counts
