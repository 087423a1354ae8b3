"""External reviewer requests: a reviewer of a paper asks that an outside expert review it;
a chair approves (the expert gets an account, an external-reviewer membership and a released
assignment for that one paper) or declines (the requester is told).

An expert who is an author of the paper or otherwise conflicted with it can't be approved.
The requester is never told why (that would reveal authors of an anonymous paper); the chair
sees the reason on the requests page.
"""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import InvitationStatus, Role, Side
from mlsys.conferences.models import CommitteeMembership
from mlsys.core import audit
from mlsys.mail.services import queue_email
from reviews.enums import AssignmentKind, ExternalRequestState
from reviews.models import Assignment, ExternalReviewRequest
from reviews.reviewing.services import paper_chair_emails
from reviews.rules import conflicted_submission_ids
from submissions.models import Author


def _existing_user(email: str):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        user = address.user if address else None
    return user


def conflict_reason(request: ExternalReviewRequest) -> str:
    """Why the requested expert can't review the paper (shown to chairs only), or ""."""
    submission = request.submission
    if Author.objects.filter(submission=submission, email__iexact=request.email).exists():
        return "This address belongs to an author of the paper."
    user = _existing_user(request.email)
    if user is None:
        return ""
    if submission.pk in conflicted_submission_ids(user, submission.conference):
        return "This person has a conflict of interest with the paper."
    if Assignment.objects.current().filter(submission=submission, reviewer=user).exists():
        return "This person is already assigned to the paper."
    return ""


def request_external_reviewer(
    submission, *, actor, name: str, email: str, affiliation: str = "", reason: str
) -> ExternalReviewRequest:
    """Record a pending request by ``actor`` (a reviewer of the paper; the view checks) and
    email the non-conflicted chairs. A second pending request for the same address and paper
    is refused."""
    email = get_user_model().objects.normalize_email(email).strip().lower()
    if ExternalReviewRequest.objects.filter(
        submission=submission, email__iexact=email, state=ExternalRequestState.PENDING
    ).exists():
        raise ValidationError({"email": ["This expert has already been requested for this paper."]})
    with transaction.atomic():
        request = ExternalReviewRequest.objects.create(
            submission=submission,
            requested_by=actor,
            name=name.strip(),
            email=email,
            affiliation=affiliation.strip(),
            reason=reason.strip(),
        )
        audit.record(
            "external_request.created",
            actor=actor,
            target=request,
            conference=submission.conference,
        )
        recipients = paper_chair_emails(submission)
        if recipients:
            path = reverse(
                "reviews:external_requests", kwargs={"conference": submission.conference.slug}
            )
            queue_email(
                to=recipients,
                key="reviews.external_requested",
                conference=submission.conference,
                context={
                    "requester": actor.name or actor.email,
                    "expert": request.name,
                    "number": submission.number,
                    "title": submission.title,
                    "reason": request.reason,
                    "url": settings.SITE_URL + path,
                },
            )
    return request


def _lock_pending(request: ExternalReviewRequest) -> ExternalReviewRequest:
    request = (
        ExternalReviewRequest.objects.select_for_update(of=("self",))
        .select_related("submission__conference", "requested_by")
        .get(pk=request.pk)
    )
    if request.state != ExternalRequestState.PENDING:
        raise ValidationError("This request has already been decided.", code="decided")
    return request


def password_set_url(user) -> str:
    """An allauth password-reset link for ``user`` (works once; sets their first password)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def approve_external_request(
    request: ExternalReviewRequest, *, actor, side: str = Side.BOTH
) -> ExternalReviewRequest:
    """Approve: find or create the expert's account (new accounts get an unusable password),
    give them an accepted external-reviewer membership and a released external assignment for
    the paper, then email the expert (with a password-set link for a new account) and the
    requester. Refused when the expert is conflicted with the paper."""
    User = get_user_model()
    with transaction.atomic():
        request = _lock_pending(request)
        reason = conflict_reason(request)
        if reason:
            raise ValidationError(reason, code="conflict")
        submission = request.submission
        conference = submission.conference
        user = _existing_user(request.email)
        new_account = user is None
        if new_account:
            user = User(email=request.email, name=request.name, affiliation=request.affiliation)
            user.set_unusable_password()
            user.save()
            # Verified because nobody can log in before setting a password through the link
            # sent to this very address, which proves they read the mailbox.
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
            audit.record(
                "user.created_for_external_review", actor=actor, target=user, conference=conference
            )
        membership, created = CommitteeMembership.objects.get_or_create(
            conference=conference,
            user=user,
            role=Role.EXTERNAL_REVIEWER,
            defaults={
                "side": side,
                "status": InvitationStatus.ACCEPTED,
                "invited_by": actor,
                "invited_at": timezone.now(),
                "responded_at": timezone.now(),
            },
        )
        if not created and membership.status != InvitationStatus.ACCEPTED:
            membership.status = InvitationStatus.ACCEPTED
            membership.responded_at = timezone.now()
            membership.save(update_fields=["status", "responded_at", "updated_at"])
        assignment, _ = Assignment.objects.update_or_create(
            submission=submission,
            reviewer=user,
            round=1,
            defaults={
                "conference": conference,
                "kind": AssignmentKind.EXTERNAL,
                "released": True,
                "declined_at": None,
                "decline_reason": "",
                "removed_at": None,
                "removed_by": None,
            },
        )
        request.state = ExternalRequestState.APPROVED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.reviewer = user
        request.save(update_fields=["state", "decided_by", "decided_at", "reviewer", "updated_at"])
        audit.record(
            "external_request.approved",
            actor=actor,
            target=request,
            conference=conference,
            changes={"state": [ExternalRequestState.PENDING, ExternalRequestState.APPROVED]},
        )
        review_path = reverse(
            "reviews:review", kwargs={"conference": conference.slug, "number": submission.number}
        )
        queue_email(
            to=[user.email],
            key="reviews.external_invitation",
            conference=conference,
            context={
                "name": request.name,
                "title": submission.title,
                "number": submission.number,
                "review_url": settings.SITE_URL + review_path,
                "account_step": (
                    f"First choose a password for your new account: {password_set_url(user)}"
                    if new_account
                    else "Log in with your existing account."
                ),
            },
        )
        _tell_requester(request, "reviews.external_approved")
    return request


def decline_external_request(
    request: ExternalReviewRequest, *, actor, note: str = ""
) -> ExternalReviewRequest:
    """Decline the request; the requester is emailed (with the chair's note, if any)."""
    with transaction.atomic():
        request = _lock_pending(request)
        request.state = ExternalRequestState.DECLINED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
        audit.record(
            "external_request.declined",
            actor=actor,
            target=request,
            conference=request.submission.conference,
            changes={"state": [ExternalRequestState.PENDING, ExternalRequestState.DECLINED]},
            note=note.strip(),
        )
        _tell_requester(request, "reviews.external_declined", note=note.strip())
    return request


def _tell_requester(request: ExternalReviewRequest, key: str, note: str = "") -> None:
    submission = request.submission
    queue_email(
        to=[request.requested_by.email],
        key=key,
        conference=submission.conference,
        context={
            "name": request.requested_by.name or request.requested_by.email,
            "expert": request.name,
            "number": submission.number,
            "title": submission.title,
            "note": note or "—",
        },
    )
