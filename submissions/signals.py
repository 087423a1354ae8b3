"""Receivers: link co-authors to accounts once an address is proven theirs, send a new
receipt when a submitted paper gets a new counting PDF, recompute conflicts when committees or
profiles change, and re-check a track's papers when its anonymity rule changes."""

from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver

from mlsys.accounts.signals import conflict_profile_changed
from mlsys.celery import enqueue_on_commit
from mlsys.conferences import archive
from mlsys.conferences.signals import committee_changed, track_anonymity_changed
from submissions import enums
from submissions.conflicts import schedule_recompute
from submissions.models import Submission
from submissions.pipeline import file_checked
from submissions.services import link_authors_to_user, send_receipt


@receiver(email_confirmed, dispatch_uid="submissions.link_on_email_confirmed")
def link_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    link_authors_to_user(email_address.user, emails=[email_address.email])


@receiver(user_signed_up, dispatch_uid="submissions.link_on_signup")
def link_on_signup(sender, request, user, **kwargs) -> None:
    # Social sign-ups arrive with verified addresses; plain sign-ups link on confirmation.
    link_authors_to_user(user)


@receiver(file_checked, dispatch_uid="submissions.receipt_on_new_version")
def receipt_on_new_version(sender, file, status, **kwargs) -> None:
    # Authors of a submitted paper get the hash of the PDF that now counts, as on submission.
    if file.kind != enums.FileKind.PAPER:
        return
    submission = (
        Submission.objects.select_related("conference", "track", "current_paper")
        .filter(pk=file.submission_id, status=enums.Status.SUBMITTED, current_paper=file)
        .first()
    )
    if submission is not None:
        send_receipt(submission, event="updated with a new PDF")


@receiver(committee_changed, dispatch_uid="submissions.conflicts_on_committee_change")
def conflicts_on_committee_change(sender, conference, **kwargs) -> None:
    schedule_recompute(conference)


@receiver(conflict_profile_changed, dispatch_uid="submissions.conflicts_on_profile_change")
def conflicts_on_profile_change(sender, user, **kwargs) -> None:
    # Only conferences where the person sits on a committee can gain or lose conflicts.
    # Archived conferences are read-only: their conflicts stay as they were.
    for conference in archive.active_conferences().filter(memberships__user=user).distinct():
        schedule_recompute(conference)


@receiver(track_anonymity_changed, dispatch_uid="submissions.recheck_on_anonymity_change")
def recheck_on_anonymity_change(sender, track, **kwargs) -> None:
    # Papers checked under the old rule have no anonymity findings (or no reviewers' copy).
    enqueue_on_commit("submissions.recheck_track", track_id=track.pk)
