"""What the chairs' external requests page reads."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from reviews.enums import BidValue
from reviews.models import Assignment, Bid
from submissions.enums import EFFECTIVE
from submissions.models import Author, Conflict


def pending_conflicts(requests: list) -> dict[int, str]:
    """``{request id: why the expert can't review}`` for external requests, in a fixed number
    of queries (the chairs' list). The approve service re-checks one by one."""
    if not requests:
        return {}
    papers = {r.submission_id for r in requests}
    emails = {r.email.lower() for r in requests}
    author_emails = {
        (sid, email.lower())
        for sid, email in Author.objects.filter(submission_id__in=papers).values_list(
            "submission_id", "email"
        )
    }
    users = dict(
        get_user_model()
        .objects.annotate(e=Lower("email"))
        .filter(e__in=emails)
        .values_list("e", "pk")
    )
    for email, uid in (
        EmailAddress.objects.annotate(e=Lower("email"))
        .filter(e__in=emails)
        .values_list("e", "user_id")
    ):
        users.setdefault(email, uid)
    ids = set(users.values())
    conflicted = set(
        Conflict.objects.filter(
            user_id__in=ids, submission_id__in=papers, state__in=EFFECTIVE
        ).values_list("submission_id", "user_id")
    )
    conflicted |= set(
        Author.objects.filter(user_id__in=ids, submission_id__in=papers).values_list(
            "submission_id", "user_id"
        )
    )
    conflicted |= set(
        Bid.objects.filter(
            user_id__in=ids, submission_id__in=papers, value=BidValue.CONFLICT
        ).values_list("submission_id", "user_id")
    )
    assigned = set(
        Assignment.objects.current()
        .filter(reviewer_id__in=ids, submission_id__in=papers)
        .values_list("submission_id", "reviewer_id")
    )
    out = {}
    for r in requests:
        uid = users.get(r.email.lower())
        if (r.submission_id, r.email.lower()) in author_emails:
            out[r.pk] = "This address belongs to an author of the paper."
        elif uid and (r.submission_id, uid) in conflicted:
            out[r.pk] = "This person has a conflict of interest with the paper."
        elif uid and (r.submission_id, uid) in assigned:
            out[r.pk] = "This person is already assigned to the paper."
    return out
